// The demo office's day: virtual callers ring in on the sim board's exchange
// lines at a gentle rate, walk the IVR to the service queue, wait, sometimes
// give up or ask for a callback; others dial the 400 numbers over the E1
// trunks (MFC/R2 and SS7), which lead straight to the queue; virtual agents on the phones of agents 2001
// and 2002 answer, talk and hang up. Everything goes through the far end of
// the simulated board (the same signals a real line makes), so the wallboard,
// CDRs and reports fill as they would on a real day. Agent 2003's phone (806)
// is left alone for a person to use.
import { EngineClient } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';
import type { Logger } from '../log.js';
import type { CallContext } from '../calls/context.js';
import { evaluate } from '../routing/time-conditions.js';

export interface DemoTrafficOptions {
  socketPath: string;
  // Exchange lines the callers use, and the phones virtual agents answer.
  lines?: number[];
  // E1 circuits callers may arrive on, with the number they dial (the 400
  // hotline's DID on that trunk), and the share of calls that do.
  e1?: { chans: number[]; dnis: string }[];
  e1Share?: number;
  agentPhones?: number[];
  // New calls per minute (on average; arrivals are random).
  callsPerMinute?: number;
  random?: () => number;
  log?: Logger;
}

export interface DemoTraffic { stop(): void; placed(): number }

// Returning customers: a few numbers call again, so sticky agents show.
const REGULARS = ['13911112222', '13822223333', '13733334444', '02155556666'];

export async function startDemoTraffic(o: DemoTrafficOptions): Promise<DemoTraffic> {
  const far = new EngineClient({ socketPath: o.socketPath, name: 'demo-traffic' });
  await far.connect();
  const lines = o.lines ?? [1, 2, 3, 4];
  const e1 = o.e1 ?? [];
  const e1Share = o.e1Share ?? 0.3;
  const phones = new Set(o.agentPhones ?? [8, 9]);
  const rnd = o.random ?? Math.random;
  const perMin = o.callsPerMinute ?? 2;
  const busy = new Set<number>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let placed = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); if (!stopped) fn(); }, ms);
    timers.add(t);
  };
  const between = (a: number, b: number) => a + rnd() * (b - a);
  const quiet = (p: Promise<unknown>) => { p.catch(() => {}); };

  // A caller: rings in, presses 3 for the service queue once the IVR answers,
  // then waits; some hang up after a while, a few press 1 for a callback.
  const call = (line: number) => {
    busy.add(line);
    placed++;
    const from = rnd() < 0.3 ? REGULARS[Math.floor(rnd() * REGULARS.length)]! : `13${Math.floor(between(3, 10))}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
    const patience = between(30_000, 150_000);
    const callback = rnd() < 0.08;
    const dnis = e1.find((g) => g.chans.includes(line))?.dnis;
    const placing = dnis ? far.sim('call', line, { dnis, ani: from }) : far.sim('call', line, { from, callerId: 'bell202' });
    quiet(placing.catch(() => { busy.delete(line); }));
    const onEvent = (e: EngineEvent) => {
      if (e.chan !== line) return;
      if (e.event === 'SimLineAnswered') {
        // The IVR wants 3 for the service queue; a 400 number is the queue already.
        if (!dnis) later(between(3000, 6000), () => quiet(far.sim('dial', line, { digits: '3' })));
        if (callback) later(between(15_000, 30_000), () => quiet(far.sim('dial', line, { digits: '1' })));
        later(patience, () => quiet(far.sim('hangup', line)));
      }
      if (e.event === 'SimLineReleased' || e.event === 'SimCallAbandoned' || e.event === 'SimLineIdle') { far.off('event', onEvent); busy.delete(line); }
    };
    far.on('event', onEvent);
  };

  // Virtual agents: answer a ringing phone after a few seconds, talk, put the
  // phone down when the caller is gone or after a while.
  const talking = new Set<number>();
  far.on('event', (e: EngineEvent) => {
    if (stopped || e.chan === undefined || !phones.has(e.chan)) return;
    const chan = e.chan;
    if (e.event === 'SimPhoneRang' && !talking.has(chan)) {
      talking.add(chan);
      later(between(2000, 6000), () => {
        quiet(far.sim('answer', chan).then(() => far.sim('talk', chan, { freq: 440 })));
        later(between(20_000, 90_000), () => { quiet(far.sim('onhook', chan)); talking.delete(chan); });
      });
    }
    // The caller left: busy or dial tone on the agent's phone.
    if (e.event === 'SimToneHeard' && talking.has(chan) && (e.tone === 'busy' || e.tone === 'congestion' || e.tone === 'dial')) {
      quiet(far.sim('onhook', chan));
      talking.delete(chan);
    }
  });

  const next = () => {
    later(-Math.log(1 - rnd()) * (60_000 / perMin), () => {
      const viaE1 = e1.length > 0 && rnd() < e1Share;
      const pool = viaE1 ? e1[Math.floor(rnd() * e1.length)]!.chans : lines;
      const free = pool.filter((l) => !busy.has(l));
      if (free.length) call(free[Math.floor(rnd() * free.length)]!);
      next();
    });
  };
  next();
  o.log?.info('demo traffic started', { callsPerMinute: perMin, lines, e1: e1.map((g) => g.dnis), agentPhones: [...phones] });
  return {
    placed: () => placed,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      far.close();
    },
  };
}

// Demo traffic outside office hours would all end in the closed message: the
// day/night override (what *50 does from a phone) holds the office open, and
// is journaled like a press of *50. Returns the time conditions it forced.
export function holdOfficeOpen(ctx: CallContext): string[] {
  const now = ctx.now();
  const forced: string[] = [];
  for (const [id, tc] of Object.entries(ctx.config.table('timeCondition'))) {
    if (tc.override.mode !== 'auto' || evaluate(tc, now).state !== tc.defaultState) continue;
    ctx.config.put('timeCondition', id, { ...tc, override: { mode: 'day' } });
    forced.push(id);
  }
  if (forced.length) {
    const states = Object.entries(ctx.config.table('timeCondition')).map(([id, tc]) => `${id}:${evaluate(tc, now).state}`);
    ctx.store.journal.append('system', 'DayNightToggled', { data: { override: true, states, by: 'demo-traffic' }, at: now });
  }
  return forced;
}
