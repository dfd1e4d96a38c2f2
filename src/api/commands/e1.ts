// The E1 spans from the panel: spans with their alarms, their settings and
// (SS7) the signalling link's state, every R2 or SS7 circuit's state, blocking
// and unblocking a circuit (audited), a span reset, and the signalling trace
// of a call (journaled as R2Trace or Ss7Trace when its circuit went idle).
import { z } from 'zod';
import { command, SUPERVISORS, ADMINS, type CommandRegistry, type CommandContext } from '../registry.js';
import { notFound, internal, conflict, validationFailed, notSupported } from '../errors.js';
import { EngineError } from '../../telephony/engine-client.js';
import type { ChannelInfo, ChannelState } from '../../telephony/protocol.js';
import { ss7LinkValues } from '../../config/span-schema.js';
import { ALARMS } from '../../engine/verbs.js';
import { generateSystemConf, e1SettingsFromSpanDocs, SystemConfError, type ConfSpan } from '../../boards/system-conf.js';

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

// An SS7 span is one whose timeslot 16 is a D-channel; its other timeslots are circuits.
function ss7Spans(st: EngineState): Map<number, ChannelInfo> {
  return new Map(st.channels.filter((c) => c.kind === 'dchan').map((c) => [c.span, c]));
}

function signallingOf(c: ChannelInfo, dchans: Map<number, ChannelInfo>): 'r2' | 'ss7' | null {
  if (c.kind === 'e1-r2') return 'r2';
  return c.kind === 'e1' && dchans.has(c.span) ? 'ss7' : null;
}

async function circuitChannel(ctx: CommandContext, chan: number): Promise<{ info: ChannelInfo; state: ChannelState | undefined }> {
  const st = await engineState(ctx);
  const info = st.channels.find((c) => c.chan === chan);
  if (!info) throw notFound(`channel ${chan}`);
  if (!signallingOf(info, ss7Spans(st))) throw validationFailed([{ path: 'chan', message: `channel ${chan} is not an R2 or SS7 circuit (${info.kind})` }]);
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

const chan = z.number().int().positive().describe('an E1 circuit\'s channel (R2 or SS7 timeslot)');

export function traceText(journey: string, traces: { chan: number; dropped: number; entries: [number, string, string][]; kind?: 'r2' | 'ss7' }[]): string {
  const ss7 = traces.some((t) => t.kind === 'ss7');
  const lines = [ss7
    ? `# SS7 ISUP signalling of call ${journey}: ms since the IAM, tx (we sent) / rx (we received), message`
    : `# R2 signalling of call ${journey}: ms since seizure, tx (we sent) / rx (we received), signal`];
  for (const t of traces) {
    lines.push(`# channel ${t.chan}${t.dropped ? ` (${t.dropped} earlier entries dropped)` : ''}`);
    for (const [ms, dir, what] of t.entries) lines.push(`${String(ms).padStart(6)} ${dir} ${what}`);
  }
  return lines.join('\n') + '\n';
}

export function e1Commands(r: CommandRegistry): void {
  r.add(command({
    name: 'e1/span/list', summary: 'E1 spans with their alarms, signalling, settings and SS7 link state, and each circuit: channel, timeslot, CIC (SS7), signalling state, trunk and state (idle, in-call, blocked-local, blocked-remote, alarm)', access: SUPERVISORS, kind: 'read',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const st = await engineState(ctx);
      const spanAlarms = new Map(st.spans.map((s) => [s.span, s.alarms]));
      const byChan = new Map(st.states.map((s) => [s.chan, s]));
      const dchans = ss7Spans(st);
      type SpanOut = { span: number; alarms: string[]; errors: unknown; signalling: 'r2' | 'ss7' | null; settings: unknown; link: unknown; mismatch: string | null; circuits: unknown[] };
      const spans = new Map<number, SpanOut>();
      for (const c of st.channels) {
        if (c.kind !== 'e1-r2' && c.kind !== 'e1') continue;
        const alarms = spanAlarms.get(c.span) ?? 0;
        const signalling = signallingOf(c, dchans);
        let span = spans.get(c.span);
        if (!span) {
          const settings = ctx.deps.config.doc('span', String(c.span)) ?? null;
          const d = dchans.get(c.span);
          const link = d ? { chan: d.chan, state: byChan.get(d.chan)?.sigState ?? 'unconfigured', counters: byChan.get(d.chan)?.link ?? null } : null;
          // Saving a span never re-lays it (that would drop its calls by surprise): e1/span/apply does, or an engine restart.
          const mismatch = settings && signalling && settings.signalling !== signalling
            ? `configured as ${settings.signalling} but the board runs ${signalling}: apply it now (ends the calls on this span) or it applies when the engine restarts` : null;
          const errors = byChan.get(c.chan)?.spanErrors ?? null;
          span = { span: c.span, alarms: alarmNames(alarms), errors, signalling, settings, link, mismatch, circuits: [] };
          spans.set(c.span, span);
        }
        const s = byChan.get(c.chan);
        const ss7 = signalling === 'ss7' && span.settings ? (span.settings as { ss7?: { cicBase: number } }).ss7 : undefined;
        span.circuits.push({
          chan: c.chan, timeslot: c.chanpos, signalling: signalling ?? 'none', cic: ss7 ? ss7.cicBase + c.chanpos : null,
          sigState: s?.sigState ?? null, state: circuitState(s?.sigState, alarms),
          trunk: ctx.deps.config.trunkByPort(c.chan)?.id ?? null,
        });
      }
      return { spans: [...spans.values()].sort((a, b) => a.span - b.span) };
    },
  }));

  r.add(command({
    name: 'e1/circuit/block', summary: 'Block a circuit. R2: an idle one at once, one in a call when the call ends (pending: true). SS7: a BLO to the far end (the call in progress goes on; acknowledged by BLA). A blocked circuit is never seized', access: SUPERVISORS, kind: 'write',
    input: z.object({ chan }).strict(),
    target: (i) => `circuit ${i.chan}`,
    async handler(i, ctx) {
      const { state } = await circuitChannel(ctx, i.chan);
      const sig = state?.sigState;
      await engineDo(() => engineOf(ctx).request('block', i.chan));
      return { chan: i.chan, pending: !!sig && sig !== 'idle' && sig !== 'blocked-local' && sig !== 'blocked-remote' };
    },
  }));

  r.add(command({
    name: 'e1/circuit/unblock', summary: 'Lift our block of a circuit (R2: or cancel a block waiting for a call to end; SS7: UBL)', access: SUPERVISORS, kind: 'write',
    input: z.object({ chan }).strict(),
    target: (i) => `circuit ${i.chan}`,
    async handler(i, ctx) {
      await circuitChannel(ctx, i.chan);
      await engineDo(() => engineOf(ctx).request('unblock', i.chan));
      return { chan: i.chan };
    },
  }));

  r.add(command({
    name: 'e1/span/reset', summary: 'Reset a span. R2: our blocks are lifted and every circuit without a call sends idle bits again (calls in progress are left alone). SS7: a group reset (GRS) of every circuit, which ends calls on them; link: true restarts the signalling link instead (calls stay)', access: SUPERVISORS, kind: 'write',
    input: z.object({ span: z.number().int().positive(), link: z.boolean().default(false) }).strict(),
    target: (i) => `span ${i.span}`,
    async handler(i, ctx) {
      const st = await engineState(ctx);
      const d = ss7Spans(st).get(i.span);
      if (d) {
        await engineDo(() => engineOf(ctx).request('ss7Reset', d.chan, { link: i.link }));
        return { span: i.span, signalling: 'ss7', reset: i.link ? 'link' : 'circuits' };
      }
      const circuits = st.channels.filter((c) => c.span === i.span && c.kind === 'e1-r2');
      if (!circuits.length) throw notFound(`E1 span ${i.span}`);
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
    name: 'e1/span/apply', summary: 'Apply a span\'s saved signalling type (r2 or ss7) now, while the engine runs: the calls on this span end (cause span-reconfigured), other spans\' calls go on; then its R2 or SS7 settings apply. A span already running its saved type is left alone. DAHDI cards answer not_supported: their signalling is system.conf (e1/system-conf/get, dahdi_cfg) and applies when the engine restarts', access: SUPERVISORS, kind: 'write',
    input: z.object({ span: z.number().int().positive() }).strict(),
    target: (i) => `span ${i.span}`,
    async handler(i, ctx) {
      const st = await engineState(ctx);
      if (!st.channels.some((c) => c.span === i.span && (c.kind === 'e1' || c.kind === 'e1-r2' || c.kind === 'dchan'))) throw notFound(`E1 span ${i.span}`);
      const running = ss7Spans(st).has(i.span) ? 'ss7' : 'r2';
      const settings = ctx.deps.config.doc('span', String(i.span));
      if (!settings) throw conflict(`span ${i.span} has no saved settings: save its signalling first`);
      if (settings.signalling === running) return { span: i.span, signalling: running, changed: false, callsEnded: 0 };
      // The sim board's far end for a span switched to SS7 mirrors the saved
      // link settings (its point code is our DPC, ours its DPC); real cards ignore it.
      const link = settings.signalling === 'ss7' && settings.ss7 ? ss7LinkValues(settings.ss7) : undefined;
      const far = link ? { variant: link.variant, boxPc: link.opc, farPc: link.dpc, ni: link.ni, cicFirst: link.cicBase + 1 } : undefined;
      let data: Record<string, unknown>;
      try {
        data = await engineOf(ctx).request('respan', undefined, { span: i.span, signalling: settings.signalling, ...(far ? { far } : {}) });
      } catch (e) {
        if (e instanceof EngineError && e.code === 'not_supported') {
          throw notSupported(`${e.message}: on DAHDI cards a span's signalling is its system.conf; apply the file from e1/system-conf/get with dahdi_cfg, then restart the engine`);
        }
        if (e instanceof EngineError && e.code !== 'disconnected' && e.code !== 'timeout') throw conflict(e.message);
        throw e;
      }
      ctx.audit.summary = `span ${i.span} switched from ${running} to ${settings.signalling} (${Number(data.callsEnded ?? 0)} calls ended)`;
      return { span: i.span, signalling: settings.signalling, changed: true, callsEnded: Number(data.callsEnded ?? 0) };
    },
  }));

  r.add(command({
    name: 'e1/system-conf/get', summary: 'The DAHDI system.conf for the channels the engine drives and the saved span settings (signalling, CRC-4, line code, clock): what the appliance writes to /etc/dahdi/system.conf and applies with dahdi_cfg when the engine restarts', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const st = await engineState(ctx);
      const KIND: Record<string, ConfSpan['channels'][number]['kind']> = { fxo: 'FXO', fxs: 'FXS', e1: 'E1', 'e1-r2': 'E1', dchan: 'DCHAN', none: 'none' };
      const bySpan = new Map<number, ConfSpan>();
      for (const c of st.channels) {
        let sp = bySpan.get(c.span);
        if (!sp) { sp = { span: c.span, type: 'unknown', channels: [] }; bySpan.set(c.span, sp); }
        sp.channels.push({ channo: c.chan, chanpos: c.chanpos, kind: KIND[c.kind] ?? 'none' });
        if (c.kind === 'fxo' || c.kind === 'fxs') sp.type = 'analog';
        else if (c.kind === 'e1' || c.kind === 'e1-r2' || c.kind === 'dchan') sp.type = 'e1';
      }
      const spans = [...bySpan.values()];
      // A CAS span's timeslot 16 is no channel of ours: the generator still counts 31.
      for (const sp of spans) {
        if (sp.type !== 'e1') continue;
        for (let pos = 1; pos <= 31; pos++) {
          if (!sp.channels.some((c) => c.chanpos === pos)) sp.channels.push({ channo: sp.channels[0]!.channo - sp.channels[0]!.chanpos + pos, chanpos: pos, kind: 'none' });
        }
        sp.channels.sort((a, b) => a.chanpos - b.chanpos);
        // A span without settings keeps what its board runs.
        if (!ctx.deps.config.doc('span', String(sp.span))) {
          const r2 = st.channels.some((c) => c.span === sp.span && c.kind === 'e1-r2');
          (sp as ConfSpan & { boardSignalling?: string }).boardSignalling = r2 ? 'r2' : 'ss7';
        }
      }
      const settings = e1SettingsFromSpanDocs(ctx.deps.config.list('span'));
      for (const sp of spans as (ConfSpan & { boardSignalling?: 'r2' | 'ss7' })[]) if (sp.boardSignalling) settings[sp.span] = { signalling: sp.boardSignalling };
      // D-channels the board fixes apply only to CCS spans: a span switched to R2 loses its link.
      for (const sp of spans) {
        if (settings[sp.span]?.signalling === 'r2') for (const c of sp.channels) if (c.kind === 'DCHAN') c.kind = 'E1';
      }
      try {
        return { text: generateSystemConf(spans, { zone: ctx.deps.config.settings.zone, spans: settings }) };
      } catch (e) {
        if (e instanceof SystemConfError) throw validationFailed(e.problems.map((p) => ({ path: 'span', message: p })));
        throw e;
      }
    },
  }));

  r.add(command({
    name: 'e1/trace/get', summary: 'A call\'s signalling trace: R2 line bits and MF signals, or SS7 ISUP messages, both ways, per timeslot; format text for a download', access: SUPERVISORS, kind: 'read',
    input: z.object({ journey: z.string().min(1).max(64), format: z.enum(['json', 'text']).default('json') }).strict(),
    handler(i, ctx) {
      const traces = ctx.deps.store.journal.forJourney(i.journey).filter((e) => e.event === 'R2Trace' || e.event === 'Ss7Trace')
        .map((e) => ({ at: e.at, chan: e.data.chan as number, kind: e.event === 'Ss7Trace' ? 'ss7' as const : 'r2' as const, dropped: (e.data.dropped as number) ?? 0, entries: e.data.entries as [number, string, string][] }));
      if (!traces.length) throw notFound(`a signalling trace for call ${i.journey}`);
      const kind = traces.some((t) => t.kind === 'ss7') ? 'ss7' : 'r2';
      if (i.format === 'text') return { filename: `${kind}-trace-${i.journey}.txt`, text: traceText(i.journey, traces) };
      return { journey: i.journey, traces };
    },
  }));
}
