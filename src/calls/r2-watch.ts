// What the supervisor keeps of R2 timeslots besides calls: who blocks each
// circuit (so hunting skips it) and each call's signalling trace, which the
// engine sends in parts once the line is idle again and which is journaled as
// `R2Trace` on the journey that last held the timeslot.
import type { EngineEvent } from '../telephony/protocol.js';
import type { CallContext } from './context.js';
import type { Port } from './ports.js';

// One trace entry: engine ms since the seizure, sent or received, and what
// (`ABCD=1011` line bits, or an MF signal such as `I-3`, `A-1`, `B-6`).
export type R2TraceEntry = [ms: number, dir: 'tx' | 'rx', what: string];

export function parseTrace(entries: string): R2TraceEntry[] {
  const out: R2TraceEntry[] = [];
  for (const item of entries.split(' ')) {
    const m = /^(\d+)([<>])(.+)$/.exec(item);
    if (m) out.push([Number(m[1]), m[2] === '<' ? 'rx' : 'tx', m[3]!]);
  }
  return out;
}

export class R2Watch {
  private parts = new Map<number, { dropped: number; entries: R2TraceEntry[] }>();

  constructor(private ctx: CallContext) {}

  onEvent(port: Port, e: EngineEvent): void {
    if (e.event === 'CircuitBlocked') port.blocked = e.by === 'far' ? 'far' : 'near';
    else if (e.event === 'CircuitUnblocked') port.blocked = null;
    else if (e.event === 'R2Trace' || e.event === 'Ss7Trace') this.tracePart(port, e);
  }

  private tracePart(port: Port, e: EngineEvent): void {
    const chan = port.info.chan;
    const part = Number(e.part), parts = Number(e.parts);
    let t = this.parts.get(chan);
    if (part === 1 || !t) { t = { dropped: Number(e.dropped) || 0, entries: [] }; this.parts.set(chan, t); }
    t.entries.push(...parseTrace(String(e.entries ?? '')));
    if (part < parts) return;
    this.parts.delete(chan);
    const journey = port.journey;
    port.journey = null;
    this.ctx.store.journal.append('call', e.event, {
      journey, engineMs: e.time, at: this.ctx.now(),
      data: { chan, dropped: t.dropped, entries: t.entries, ...(e.cic !== undefined ? { cic: e.cic } : {}) },
    });
  }
}
