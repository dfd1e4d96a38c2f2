/**
 * Outbound routes: which trunks a dialed number leaves on, in what form, and
 * whether the extension dialing it may call it; plus when an analog phone has
 * finished dialing.
 *
 * Route choice: every enabled route's patterns are tried; the most specific
 * matching pattern wins (ties: route order). When the extension may not use
 * that route (its minClass) or call that number through it, the next
 * matching route is tried, as with FreePBX route permissions. A number is
 * classified after the route strips its access code and before it prepends
 * anything, i.e. as the user meant it: 9 + 13800138000 is a mobile.
 *
 * Emergency numbers are always allowed. When no route matches one (a user
 * dialing 110 without the access code) it goes out unchanged on every
 * route's trunks in route order: a wrong number format on some trunk is a
 * smaller harm than refusing the call.
 */
import { z } from 'zod';
import { parseConfig } from './config-error.js';
import {
  CHINA_DIAL_PLAN,
  CLASSES_OF_SERVICE,
  classifyNumber,
  cosRank,
  isCompleteNumber,
  type ClassOfService,
  type DialPlan,
  type NumberClass,
} from './dial-plan.js';
import { cachedPattern, compareSpecificity, patternSchema, type Pattern } from './pattern.js';

const outboundRouteObject = z
  .object({
    id: z.string().min(1, 'a route needs an id').max(64),
    name: z.string().max(64).default(''),
    enabled: z.boolean().default(true),
    patterns: z.array(patternSchema).min(1, 'a route needs at least one pattern').max(100),
    stripDigits: z.number().int().min(0).max(20).default(0).describe('digits removed from the front (the access code)'),
    prepend: z
      .string()
      .regex(/^[0-9*#+]{0,20}$/, 'prepend is up to 20 digits, * # or +')
      .default('')
      .describe('added in front after stripping (carrier prefix, area code)'),
    trunks: z.array(z.string().min(1)).min(1, 'a route needs at least one trunk').describe('tried in this order'),
    minClass: z.enum(CLASSES_OF_SERVICE).optional().describe('class of service an extension needs to use this route at all'),
  })
  .strict();

export type OutboundRoute = z.output<typeof outboundRouteObject>;
export type OutboundRouteInput = z.input<typeof outboundRouteObject>;

export const outboundRouteSchema = outboundRouteObject.superRefine((r, ctx) => {
  r.patterns.forEach((src, i) => {
    let p: Pattern;
    try {
      p = cachedPattern(src);
    } catch {
      return; // already reported by patternSchema
    }
    if (r.stripDigits >= p.minLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['patterns', i],
        message: `stripDigits ${r.stripDigits} would strip every digit of a number matching ${src} (as short as ${p.minLength})`,
      });
    }
  });
});

export const outboundRoutesSchema = z.array(outboundRouteSchema).superRefine((routes, ctx) => {
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    const dup = seen.get(r.id);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id "${r.id}" is already used by route [${dup}]` });
    seen.set(r.id, i);
  });
});

export function parseOutboundRoutes(input: unknown): OutboundRoute[] {
  return parseConfig(outboundRoutesSchema, input, 'outbound routes');
}

export type OutboundPlan =
  | {
      ok: true;
      route: OutboundRoute;
      /** The route pattern that matched. */
      pattern: string;
      /** What to send on the trunk: stripped, then prepended. */
      number: string;
      trunks: string[];
      numberClass: NumberClass;
      /** True when an emergency number went out through no matching route. */
      emergencyFallback: boolean;
    }
  | { ok: false; reason: 'forbidden' | 'no_route'; message: string; numberClass?: NumberClass };

export interface OutboundOptions {
  dialPlan?: DialPlan;
  /** So that extension numbers classify as internal. */
  extensions?: readonly string[];
}

const maxCos = (a: ClassOfService, b: ClassOfService | undefined) => (b !== undefined && cosRank(b) > cosRank(a) ? b : a);

/** Every enabled route pattern matching `dialed`, most specific first. */
export function rankOutbound(routes: readonly OutboundRoute[], dialed: string): { route: OutboundRoute; pattern: Pattern }[] {
  const hits: { route: OutboundRoute; pattern: Pattern; index: number }[] = [];
  routes.forEach((route, index) => {
    if (!route.enabled) return;
    let best: Pattern | undefined;
    for (const src of route.patterns) {
      const p = cachedPattern(src);
      if (p.matches(dialed) && (!best || compareSpecificity(p, best) < 0)) best = p;
    }
    if (best) hits.push({ route, pattern: best, index });
  });
  hits.sort((a, b) => compareSpecificity(a.pattern, b.pattern) || a.index - b.index);
  return hits.map(({ route, pattern }) => ({ route, pattern }));
}

export function planOutbound(
  routes: readonly OutboundRoute[],
  dialed: string,
  extCos: ClassOfService,
  options: OutboundOptions = {},
): OutboundPlan {
  const plan = options.dialPlan ?? CHINA_DIAL_PLAN;
  const extensions = options.extensions ?? [];
  const ranked = rankOutbound(routes, dialed);

  if (ranked.length === 0) {
    const c = classifyNumber(dialed, plan, extensions);
    const trunks = [...new Set(routes.filter((r) => r.enabled).flatMap((r) => r.trunks))];
    if (c.class === 'emergency' && trunks.length > 0) {
      const route: OutboundRoute = {
        id: '(emergency)',
        name: `emergency fallback: ${c.label}`,
        enabled: true,
        patterns: [dialed],
        stripDigits: 0,
        prepend: '',
        trunks,
      };
      return { ok: true, route, pattern: dialed, number: dialed, trunks, numberClass: 'emergency', emergencyFallback: true };
    }
    return { ok: false, reason: 'no_route', message: `no outbound route matches ${dialed}`, numberClass: c.class };
  }

  let refusal: Extract<OutboundPlan, { ok: false }> | undefined;
  for (const { route, pattern } of ranked) {
    const meant = dialed.slice(route.stripDigits);
    const c = classifyNumber(meant, plan, extensions);
    const ok = (): OutboundPlan => ({
      ok: true,
      route,
      pattern: pattern.source,
      number: route.prepend + meant,
      trunks: [...route.trunks],
      numberClass: c.class,
      emergencyFallback: false,
    });
    if (c.class === 'emergency') return ok();
    const needed = maxCos(c.requiredCos ?? 'internal', route.minClass);
    if (cosRank(extCos) >= cosRank(needed)) return ok();
    refusal ??= {
      ok: false,
      reason: 'forbidden',
      numberClass: c.class,
      message:
        `${meant} is ${c.class} (${c.label}); route ${route.id} needs class ${needed}` +
        (route.minClass && needed === route.minClass && c.requiredCos !== needed ? ' (route minimum)' : '') +
        `, the extension has ${extCos}`,
    };
  }
  return refusal!;
}

export type DialState = 'complete' | 'incomplete' | 'invalid';

/**
 * Whether an analog phone has finished dialing `dialed`. Complete when
 * something matches and nothing longer could, or when a route matches and the
 * number it would send is complete in the dial plan (a mobile number after
 * the access code: no route pattern can say that). Incomplete while a longer
 * number could still match: the caller keeps collecting, with its own
 * inter-digit timeout, and then dials what it has if that matches.
 */
export function dialState(
  dialed: string,
  extensions: readonly string[],
  routes: readonly OutboundRoute[],
  featureCodes: readonly string[] = [],
  dialPlan: DialPlan = CHINA_DIAL_PLAN,
): DialState {
  let matched = false;
  let internalMore = false;
  let routeMore = false;
  let knownComplete = false;

  for (const src of [...extensions, ...featureCodes]) {
    const p = cachedPattern(src);
    if (p.matches(dialed)) matched = true;
    if (p.canMatchMore(dialed)) internalMore = true;
  }
  for (const route of routes) {
    if (!route.enabled) continue;
    for (const src of route.patterns) {
      const p = cachedPattern(src);
      if (p.matches(dialed)) {
        matched = true;
        if (isCompleteNumber(dialed.slice(route.stripDigits), dialPlan)) knownComplete = true;
      }
      if (p.canMatchMore(dialed)) routeMore = true;
    }
  }
  // Emergency numbers route even without a matching route (planOutbound).
  for (const r of dialPlan.rules) {
    if (r.class !== 'emergency') continue;
    const p = cachedPattern(r.pattern);
    if (p.matches(dialed)) {
      matched = true;
      if (isCompleteNumber(dialed, dialPlan)) knownComplete = true;
    }
    if (p.canMatchMore(dialed)) routeMore = true;
  }

  if (matched && !internalMore && (!routeMore || knownComplete)) return 'complete';
  if (internalMore || routeMore) return 'incomplete';
  return 'invalid';
}
