// The E1 spans from the panel: spans with their alarms and every R2 circuit's
// state, blocking and unblocking a circuit (audited), a span reset, and the
// signalling trace of a call (journaled as R2Trace when its line went idle).
import { z } from 'zod';
import { command, SUPERVISORS, type CommandRegistry, type CommandContext } from '../registry.js';
import { notFound, internal, conflict, validationFailed } from '../errors.js';
import { EngineError } from '../../telephony/engine-client.js';
import type { ChannelInfo, ChannelState } from '../../telephony/protocol.js';
import { ALARMS } from '../../engine/verbs.js';

export type CircuitState = 'idle' | 'in-call' | 'blocked-local' | 'blocked-remote' | 'alarm';

interface EngineState { channels: ChannelInfo[]; states: ChannelState[]; spans: { span: number; alarms: number }[] }

const ALARM_NAMES = Object.entries(ALARMS) as [string, number][];
const alarmNames = (bits: number) => ALARM_NAMES.filter(([, b]) => bits & b).map(([n]) => n);
// Red or blue: the span carries no signalling, whatever its circuits last said.
const SPAN_DOWN = ALARMS.red | ALARMS.blue | ALARMS.los;

function engineOf(ctx: CommandContext) {
  const engine = ctx.deps.engine;
  if (!engine) throw internal('no engine connection');
  return engine;
}

async function engineState(ctx: CommandContext): Promise<EngineState> {
  return (await engineOf(ctx).request('state')) as unknown as EngineState;
}

export function circuitState(sigState: string | undefined, spanAlarms: number): CircuitState {
  if (spanAlarms & SPAN_DOWN) return 'alarm';
  if (sigState === 'blocked-local' || sigState === 'blocked-remote') return sigState;
  return !sigState || sigState === 'idle' ? 'idle' : 'in-call';
}

async function r2Channel(ctx: CommandContext, chan: number): Promise<{ info: ChannelInfo; state: ChannelState | undefined }> {
  const st = await engineState(ctx);
  const info = st.channels.find((c) => c.chan === chan);
  if (!info) throw notFound(`channel ${chan}`);
  if (info.kind !== 'e1-r2') throw validationFailed([{ path: 'chan', message: `channel ${chan} is not an R2 timeslot (${info.kind})` }]);
  return { info, state: st.states.find((s) => s.chan === chan) };
}

// Engine refusals keep their meaning for the client.
async function engineDo(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof EngineError && e.code !== 'disconnected' && e.code !== 'timeout') throw conflict(e.message);
    throw e;
  }
}

const chan = z.number().int().positive().describe('an E1 R2 timeslot channel');

export function traceText(journey: string, traces: { chan: number; dropped: number; entries: [number, string, string][] }[]): string {
  const lines = [`# R2 signalling of call ${journey}: ms since seizure, tx (we sent) / rx (we received), signal`];
  for (const t of traces) {
    lines.push(`# channel ${t.chan}${t.dropped ? ` (${t.dropped} earlier entries dropped)` : ''}`);
    for (const [ms, dir, what] of t.entries) lines.push(`${String(ms).padStart(6)} ${dir} ${what}`);
  }
  return lines.join('\n') + '\n';
}

export function e1Commands(r: CommandRegistry): void {
  r.add(command({
    name: 'e1/span/list', summary: 'E1 spans with their alarms, and each R2 circuit: channel, signalling state, trunk and state (idle, in-call, blocked-local, blocked-remote, alarm)', access: SUPERVISORS, kind: 'read',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const st = await engineState(ctx);
      const spanAlarms = new Map(st.spans.map((s) => [s.span, s.alarms]));
      const byChan = new Map(st.states.map((s) => [s.chan, s]));
      const spans = new Map<number, { span: number; alarms: string[]; circuits: unknown[] }>();
      for (const c of st.channels) {
        if (c.kind !== 'e1-r2' && c.kind !== 'e1') continue;
        const alarms = spanAlarms.get(c.span) ?? 0;
        let span = spans.get(c.span);
        if (!span) { span = { span: c.span, alarms: alarmNames(alarms), circuits: [] }; spans.set(c.span, span); }
        const s = byChan.get(c.chan);
        span.circuits.push({
          chan: c.chan, timeslot: c.chanpos, signalling: c.kind === 'e1-r2' ? 'r2' : 'none',
          sigState: s?.sigState ?? null, state: circuitState(s?.sigState, alarms),
          trunk: ctx.deps.config.trunkByPort(c.chan)?.id ?? null,
        });
      }
      return { spans: [...spans.values()].sort((a, b) => a.span - b.span) };
    },
  }));

  r.add(command({
    name: 'e1/circuit/block', summary: 'Block an R2 circuit: an idle one at once, one in a call when the call ends (pending: true); it is then never seized and refuses seizures', access: SUPERVISORS, kind: 'write',
    input: z.object({ chan }).strict(),
    target: (i) => `circuit ${i.chan}`,
    async handler(i, ctx) {
      const { state } = await r2Channel(ctx, i.chan);
      const sig = state?.sigState;
      await engineDo(() => engineOf(ctx).request('block', i.chan));
      return { chan: i.chan, pending: !!sig && sig !== 'idle' && sig !== 'blocked-local' && sig !== 'blocked-remote' };
    },
  }));

  r.add(command({
    name: 'e1/circuit/unblock', summary: 'Lift our block of an R2 circuit (or cancel a block waiting for a call to end)', access: SUPERVISORS, kind: 'write',
    input: z.object({ chan }).strict(),
    target: (i) => `circuit ${i.chan}`,
    async handler(i, ctx) {
      await r2Channel(ctx, i.chan);
      await engineDo(() => engineOf(ctx).request('unblock', i.chan));
      return { chan: i.chan };
    },
  }));

  r.add(command({
    name: 'e1/span/reset', summary: 'Reset a span\'s R2 circuits: our blocks are lifted and every circuit without a call sends idle bits again (calls in progress are left alone)', access: SUPERVISORS, kind: 'write',
    input: z.object({ span: z.number().int().positive() }).strict(),
    target: (i) => `span ${i.span}`,
    async handler(i, ctx) {
      const st = await engineState(ctx);
      const circuits = st.channels.filter((c) => c.span === i.span && c.kind === 'e1-r2');
      if (!circuits.length) throw notFound(`R2 span ${i.span}`);
      const engine = engineOf(ctx);
      const unblocked: number[] = [], reset: number[] = [], busy: number[] = [];
      for (const c of circuits) {
        const sig = st.states.find((s) => s.chan === c.chan)?.sigState;
        // A block waiting for a call's end is cancelled too: unblock answers not_blocked otherwise.
        const wasLocal = await engine.request('unblock', c.chan).then(() => true, () => false);
        if (wasLocal) unblocked.push(c.chan);
        if (sig && sig !== 'idle' && sig !== 'blocked-local' && sig !== 'blocked-remote') { busy.push(c.chan); continue; }
        // setR2 with no change re-sends the idle bits of a circuit without a call.
        if (await engine.request('setR2', c.chan, {}).then(() => true, () => false)) reset.push(c.chan);
      }
      return { span: i.span, unblocked, reset, inCall: busy };
    },
  }));

  r.add(command({
    name: 'e1/trace/get', summary: 'A call\'s R2 signalling trace (line bits and MF signals, both ways, per timeslot); format text for a download', access: SUPERVISORS, kind: 'read',
    input: z.object({ journey: z.string().min(1).max(64), format: z.enum(['json', 'text']).default('json') }).strict(),
    handler(i, ctx) {
      const traces = ctx.deps.store.journal.forJourney(i.journey).filter((e) => e.event === 'R2Trace')
        .map((e) => ({ at: e.at, chan: e.data.chan as number, dropped: (e.data.dropped as number) ?? 0, entries: e.data.entries as [number, string, string][] }));
      if (!traces.length) throw notFound(`an R2 trace for call ${i.journey}`);
      if (i.format === 'text') return { filename: `r2-trace-${i.journey}.txt`, text: traceText(i.journey, traces) };
      return { journey: i.journey, traces };
    },
  }));
}
