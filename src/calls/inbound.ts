// A call arriving on an exchange line: the CDR opens at the first ring, caller
// ID arrives, screening decides (blocked callers get their configured
// treatment, VIPs skip the IVR), then the inbound route and its time
// condition pick the destination.
import type { CallContext } from './context.js';
import { CallSession } from './session.js';
import { Journey } from './journey.js';
import type { Leg } from './leg.js';
import type { EngineEvent } from '../telephony/protocol.js';
import { screenCaller } from '../screening/screening.js';
import { matchInbound, resolveDestination } from '../routing/inbound.js';
import { goTo } from './destinations.js';
import type { Destination } from '../routing/destination.js';

// Caller ID is line data: keep only what a number can hold.
export function cleanNumber(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/[^0-9*#+]/g, '').slice(0, 24) : '';
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Control characters (C0, C1) and bidirectional overrides go (they can make a
// display lie about a number); the cut is by code point, never mid-character.
export function cleanName(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return Array.from(raw.replace(LONE_SURROGATE, '').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g, '')).slice(0, 40).join('');
}

export async function inboundCall(ctx: CallContext, leg: Leg, first: EngineEvent): Promise<void> {
  const trunk = ctx.config.trunkByPort(leg.chan);
  // E1 (R2) calls arrive with the number dialled (DNIS): inbound routes can match it.
  const did = cleanNumber(first.dnis);
  const journey = new Journey(ctx.store, { direction: 'inbound', caller: '', trunk: trunk?.id ?? null, port: leg.chan, ...(did ? { did } : {}), legs: [leg.chan], engineMs: first.time }, ctx.now);
  journey.log('CallRinging', first.time, { chan: leg.chan, trunk: trunk?.id ?? null });
  const offered = first.event === 'CallOffered' ? first : await leg.wait((e) => e.event === 'CallOffered').catch(() => null);
  if (!offered) {
    journey.end(ctx.engineMs(), { side: 'caller', cause: 'cancelled', disposition: 'abandoned' });
    await leg.release();
    return;
  }
  const number = cleanNumber(offered.number);
  const name = cleanName(offered.name);
  const absence = typeof offered.absence === 'string' ? offered.absence : null;
  journey.set({ caller: number, callerName: name });
  journey.log('CallerIdentified', offered.time, { number, name, standard: offered.standard ?? null, absence, raw: offered.number !== number ? offered.number : undefined });
  const s = new CallSession(ctx, journey, leg, number, name);
  await s.run(async () => {
    const hit = screenCaller(ctx.config.screening(), number, { absence, now: ctx.now() });
    if (hit?.entry.list === 'block') {
      s.disposition = 'blocked';
      journey.tag('blocked');
      journey.log('CallBlocked', ctx.engineMs(), { entry: hit.entry.id, why: hit.why, action: hit.entry.action });
      const act = hit.entry.action;
      const dest: Destination = act === 'voicemail' ? { type: 'voicemail', box: ctx.config.settings.operator ?? '' }
        : act === 'announcement' ? { type: 'announcement', prompt: hit.entry.prompt ?? 'builtin:not_in_service' }
          : { type: act };
      try {
        await goTo(s, act === 'voicemail' && !ctx.config.settings.operator ? { type: 'busy' } : dest);
      } finally {
        // Voicemail sets its own disposition; a caller hanging up after the
        // message must still count as blocked.
        s.disposition = 'blocked';
      }
      return;
    }
    const route = matchInbound(ctx.config.list('inboundRoute'), { trunk: trunk?.id ?? String(leg.chan), did, caller: number });
    if (hit?.entry.list === 'vip' && hit.entry.destination) {
      journey.tag('vip');
      s.priority = hit.entry.priority;
      journey.log('VipRecognized', ctx.engineMs(), { entry: hit.entry.id, why: hit.why, priority: hit.entry.priority });
      if (route) {
        applyRoute(s, route.id, route.recording);
        journey.log('RouteChosen', ctx.engineMs(), { route: route.id, trace: ['VIP: the route sets recording only'], problems: [], destination: hit.entry.destination });
      }
      return goTo(s, hit.entry.destination as Destination);
    }
    if (!route) {
      journey.log('NoInboundRoute', ctx.engineMs(), { trunk: trunk?.id ?? null });
      return goTo(s, { type: 'operator' });
    }
    applyRoute(s, route.id, route.recording);
    const r = resolveDestination(route, ctx.config.table('timeCondition'), ctx.now());
    journey.log('RouteChosen', ctx.engineMs(), { route: route.id, trace: r.trace.map((t) => t.text), problems: r.problems, destination: r.destination });
    return goTo(s, r.destination);
  });
}

function applyRoute(s: CallSession, id: string, recording: 'always' | 'never' | 'on-demand' | undefined): void {
  s.route = id;
  s.journey.set({ route: id });
  if (recording) s.recordingMode = recording;
}
