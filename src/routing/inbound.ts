/**
 * Inbound routes: which route a call arriving on a trunk takes, chosen by
 * trunk, DID and caller number, and where that route sends it at a given time.
 *
 * Among matching routes the best is, in order of the tie-breaks:
 * higher `priority`; a DID pattern over none, then the more specific DID
 * (Asterisk order); likewise for the caller pattern; a route limited to
 * trunks over one taking any trunk; then list order. DID before caller
 * follows Asterisk, which matches the extension before the caller ID: a VIP
 * caller route without a DID therefore needs a higher priority to beat a DID
 * route (see docs/routing.md).
 */
import { z } from 'zod';
import { parseConfig } from './config-error.js';
import { describeDestination, destinationSchema, type Destination } from './destination.js';
import { cachedPattern, compareSpecificity, patternSchema } from './pattern.js';
import {
  UNRESOLVED,
  chooseByState,
  lookupTimeCondition,
  resolveTarget,
  traceState,
  type Resolution,
  type TimeConditionTable,
  type TraceStep,
} from './resolve-target.js';
import { STATE_NAME_RE } from './time-condition-schema.js';

const inboundRouteObject = z
  .object({
    id: z.string().min(1, 'a route needs an id').max(64),
    name: z.string().max(64).default(''),
    enabled: z.boolean().default(true),
    trunks: z
      .array(z.string().min(1))
      .default([])
      .describe('trunk ids or channel numbers as strings, compared exactly; empty = any trunk'),
    did: patternSchema.optional().describe('pattern for the dialed number; absent = any'),
    callerPattern: patternSchema.optional().describe('pattern for the caller number (empty when withheld); absent = any'),
    priority: z.number().int().min(-1000).max(1000).default(0).describe('higher wins before specificity is compared'),
    destination: destinationSchema.optional(),
    timeCondition: z.string().min(1).optional().describe('with byState: the time condition whose state picks the destination'),
    byState: z.record(destinationSchema).optional().describe('state -> destination; "default" is required'),
    recording: z.enum(['always', 'never', 'on-demand']).optional().describe('recording policy for calls on this route (an extension\'s own setting wins)'),
  })
  .strict();

export type InboundRoute = z.output<typeof inboundRouteObject>;
export type InboundRouteInput = z.input<typeof inboundRouteObject>;

export const inboundRouteSchema = inboundRouteObject.superRefine((r, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (r.destination !== undefined) {
    if (r.byState !== undefined) issue(['byState'], 'give either destination or timeCondition with byState, not both');
    if (r.timeCondition !== undefined) issue(['timeCondition'], 'give either destination or timeCondition with byState, not both');
    return;
  }
  if (r.byState === undefined) {
    issue(['destination'], 'a route needs a destination, or a timeCondition with byState');
    return;
  }
  if (r.timeCondition === undefined) issue(['timeCondition'], 'byState needs the id of the time condition that picks the state');
  if (!Object.hasOwn(r.byState, 'default')) issue(['byState', 'default'], 'byState needs a "default" destination for states it does not list');
  for (const key of Object.keys(r.byState)) {
    if (key !== 'default' && (!STATE_NAME_RE.test(key) || key === 'auto')) issue(['byState', key], `"${key}" is not a state name`);
  }
});

export const inboundRoutesSchema = z.array(inboundRouteSchema).superRefine((routes, ctx) => {
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    const dup = seen.get(r.id);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id "${r.id}" is already used by route [${dup}]` });
    seen.set(r.id, i);
  });
});

export function parseInboundRoutes(input: unknown): InboundRoute[] {
  return parseConfig(inboundRoutesSchema, input, 'inbound routes');
}

export interface InboundCall {
  trunk: string;
  /** The dialed number as the trunk delivered it (DNIS). */
  did: string;
  /** Caller number; empty when withheld. */
  caller: string;
}

function routeMatches(r: InboundRoute, call: InboundCall): boolean {
  if (!r.enabled) return false;
  if (r.trunks.length > 0 && !r.trunks.includes(call.trunk)) return false;
  if (r.did !== undefined && !cachedPattern(r.did).matches(call.did)) return false;
  if (r.callerPattern !== undefined && !cachedPattern(r.callerPattern).matches(call.caller)) return false;
  return true;
}

/** Present beats absent; two present patterns compare by specificity. */
function comparePatternField(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  return compareSpecificity(cachedPattern(a), cachedPattern(b));
}

/** Every route matching `call`, best first (the order documented above). */
export function rankInbound(routes: readonly InboundRoute[], call: InboundCall): InboundRoute[] {
  return routes
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => routeMatches(r, call))
    .sort(
      (a, b) =>
        b.r.priority - a.r.priority ||
        comparePatternField(a.r.did, b.r.did) ||
        comparePatternField(a.r.callerPattern, b.r.callerPattern) ||
        (a.r.trunks.length > 0 ? 0 : 1) - (b.r.trunks.length > 0 ? 0 : 1) ||
        a.i - b.i,
    )
    .map(({ r }) => r);
}

export function matchInbound(routes: readonly InboundRoute[], call: InboundCall): InboundRoute | undefined {
  return rankInbound(routes, call)[0];
}

/** Where `route` sends a call at `date`, with the trace of how it decided. */
export function resolveDestination(route: InboundRoute, table: TimeConditionTable, date: Date): Resolution {
  const label = route.name ? `${route.id} (${route.name})` : route.id;
  const trace: TraceStep[] = [{ kind: 'route', routeId: route.id, name: route.name, text: `inbound route ${label}` }];
  if (route.destination) return resolveTarget(route.destination, table, date, trace);

  const problems: string[] = [];
  const problem = (text: string) => {
    trace.push({ kind: 'problem', text });
    problems.push(text);
  };
  let state: string | undefined;
  const tcId = route.timeCondition;
  const tc = tcId === undefined ? undefined : lookupTimeCondition(table, tcId);
  if (tcId === undefined) problem(`route ${route.id} has byState but no timeCondition`);
  else if (!tc) problem(`time condition ${tcId} does not exist; using the route's default`);
  else state = traceState(tcId, tc, date, trace);

  const chosen: Destination | undefined = chooseByState(route.byState ?? {}, state, trace);
  if (!chosen) {
    problem(`route ${route.id} has no destination for state ${state ?? '(none)'} and no default`);
    return { destination: UNRESOLVED, trace, problems };
  }
  const rest = resolveTarget(chosen, table, date, trace);
  return { ...rest, problems: [...problems, ...rest.problems] };
}

export type InboundPreview =
  | { matched: true; route: InboundRoute; resolution: Resolution; alsoMatching: string[]; text: string }
  | { matched: false; text: string };

/** "What happens to this call at this time": for the panel's route tester. */
export function previewInbound(
  routes: readonly InboundRoute[],
  table: TimeConditionTable,
  call: InboundCall,
  date: Date,
): InboundPreview {
  const head = `call on trunk ${call.trunk} to ${call.did || '(no DID)'} from ${call.caller || '(withheld)'} at ${date.toISOString()}`;
  const ranked = rankInbound(routes, call);
  const route = ranked[0];
  if (!route) return { matched: false, text: `${head}\nno inbound route matches` };
  const resolution = resolveDestination(route, table, date);
  const alsoMatching = ranked.slice(1).map((r) => r.id);
  const lines = [
    head,
    ...resolution.trace.map((s) => s.text),
    `=> ${describeDestination(resolution.destination)}`,
    ...(alsoMatching.length ? [`(also matching, lower ranked: ${alsoMatching.join(', ')})`] : []),
  ];
  return { matched: true, route, resolution, alsoMatching, text: lines.join('\n') };
}
