// Runs scenario files against a live engine: each `do` is a verb sent to the
// engine (sim.* verbs script the virtual PSTN), each `expect` waits for an
// event in engine time. One line per step; after the scenario every channel
// must be idle and the engine must hold no more file descriptors than before.
import fs from 'node:fs';
import path from 'node:path';
import { EngineClient, EngineError } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';
import { scenario as scenarioSchema, type Scenario, type Step } from './format.js';
import { describeZodError } from '../engine/verbs.js';
import { readWav, toneShare } from './wav-check.js';
import type { Store } from '../store/store.js';
import type { JournalEntry } from '../store/journal.js';

export interface StepResult { index: number; ok: boolean; text: string }
// Timing of a scenario's run: engine time over wall time, and the ticks the
// engine's media thread started a whole period late (stats `overruns`).
export interface ScenarioTiming { askedSpeed: number; speed: number; overruns: number; engineMs: number; wallMs: number; analog: boolean }
export interface ScenarioResult { name: string; file: string; ok: boolean; steps: StepResult[]; timing?: ScenarioTiming }

// A scenario asked to run at least this fast on analog ports must reach it:
// slower, its timers and tones no longer say what a real line would.
export const MIN_ANALOG_SPEED = 10;

export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new Error(`${file}: ${describeZodError(r.error)}`);
  return r.data;
}

function matches(e: EngineEvent, name: string, chan: number | undefined, match: Record<string, unknown> | undefined, vars: Record<string, unknown>): boolean {
  if (e.event !== name) return false;
  if (chan !== undefined && e.chan !== chan) return false;
  for (const [k, v] of Object.entries(match ?? {})) if (e[k] !== subst(v, vars)) return false;
  return true;
}

function subst(v: unknown, vars: Record<string, unknown>): unknown {
  if (typeof v === 'string' && v.startsWith('$')) {
    const [name, field] = v.slice(1).split('.');
    const base = vars[name!];
    return field ? (base as Record<string, unknown> | undefined)?.[field] : base;
  }
  return v;
}

function describe(s: Step): string {
  if ('do' in s) return `do ${s.do}${s.chan !== undefined ? ` chan ${s.chan}` : ''}`;
  if ('expect' in s) return `expect ${s.expect}${s.chan !== undefined ? ` chan ${s.chan}` : ''}${s.match ? ` ${JSON.stringify(s.match)}` : ''}`;
  if ('expectNo' in s) return `expect no ${s.expectNo}${s.chan !== undefined ? ` chan ${s.chan}` : ''} for ${s.during} ms`;
  if ('wait' in s) return `wait ${s.wait} ms`;
  if ('expectJournal' in s) return `journal ${s.expectJournal}${s.match ? ` ${JSON.stringify(s.match)}` : ''}`;
  if ('expectNoJournal' in s) return `no journal ${s.expectNoJournal} for ${s.during} ms`;
  if ('expectCdr' in s) return `CDR ${s.expectCdr} ${JSON.stringify(s.match)}`;
  return `check recording ${s.checkWav}`;
}

// A field by dotted path ("data.entry", "tags.0").
function field(o: Record<string, unknown>, key: string): unknown {
  let v: unknown = o;
  for (const k of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

// Analog: every channel the steps name is an FXO or FXS port (and some are named).
function isAnalog(sc: Scenario, channels: { chan: number; kind: string }[]): boolean {
  const named = new Set(sc.steps.flatMap((s) => ('chan' in s && s.chan !== undefined ? [s.chan] : [])));
  if (named.size === 0) return false;
  return [...named].every((n) => { const k = channels.find((c) => c.chan === n)?.kind; return k === 'fxo' || k === 'fxs'; });
}

function fdCount(pid: number): number | undefined {
  try { return fs.readdirSync(`/proc/${pid}/fd`).length; } catch { return undefined; }
}

export class ScenarioRunner {
  private events: EngineEvent[] = [];
  private consumed = new Set<number>();
  private mark = 0;
  private onEvent = (e: EngineEvent) => { this.events.push(e); };

  // The box's store, for journal and CDR expectations.
  store: Store | undefined;
  private journalMark = 0;
  private journalSeen = new Set<number>();

  // shared: the engine is a live box with other calls on it (--socket): the
  // idle check covers only this scenario's channels, and descriptors are not
  // compared (other calls open and close files meanwhile).
  constructor(private client: EngineClient, private opts: { shared?: boolean } = {}) {}

  private journalSince(): JournalEntry[] {
    if (!this.store) throw new Error('this step needs a box (a supervisor): add "box" to the scenario');
    this.store.flush();
    return (this.store.db.prepare('SELECT * FROM journal WHERE id > ? ORDER BY id').all(this.journalMark) as { id: number; at: string; engine_ms: number | null; journey: string | null; kind: JournalEntry['kind']; event: string; data: string }[])
      .map((r) => ({ id: r.id, at: r.at, engineMs: r.engine_ms, journey: r.journey, kind: r.kind, event: r.event, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  private findJournal(name: string, match: Record<string, unknown> | undefined, vars: Record<string, unknown>): JournalEntry | undefined {
    return this.journalSince().find((e) => !this.journalSeen.has(e.id) && e.event === name
      && Object.entries(match ?? {}).every(([k, v]) => field(e as unknown as Record<string, unknown>, k) === subst(v, vars)));
  }

  // Engine time, asked of the engine so that waits work even when no event comes.
  private async now(): Promise<number> {
    const s = await this.client.stats();
    return s.time as number;
  }

  private async waitEngine(ms: number, until?: () => boolean): Promise<boolean> {
    const end = (await this.now()) + ms;
    for (;;) {
      if (until?.()) return true;
      const t = await this.now();
      if (t >= end) return until ? until() : true;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  async run(sc: Scenario, file: string, print: (line: string) => void): Promise<ScenarioResult> {
    const steps: StepResult[] = [];
    const vars: Record<string, unknown> = {};
    this.events = [];
    this.consumed.clear();
    this.mark = 0;
    this.journalMark = 0;
    this.journalSeen.clear();
    this.client.on('event', this.onEvent);
    const pid = this.client.engine?.pid;
    const fdsBefore = pid ? fdCount(pid) : undefined;
    print(`# ${sc.name} (${path.basename(file)})`);
    let failed = false;
    const stats0 = await this.client.stats();
    const wall0 = performance.now();
    for (const [i, s] of sc.steps.entries()) {
      let r: StepResult;
      try {
        r = { index: i + 1, ok: true, text: await this.step(s, vars) };
      } catch (e) {
        r = { index: i + 1, ok: false, text: `${describe(s)}: ${(e as Error).message}` };
      }
      steps.push(r);
      print(`${r.ok ? 'ok' : 'not ok'} ${r.index} - ${r.ok ? describe(s) : r.text}${r.ok && r.text ? ` (${r.text})` : ''}`);
      if (!r.ok) { failed = true; break; }
    }
    // Leave the engine as we found it: every channel idle, no descriptor kept.
    if (sc.idleAfter) {
      const idx = steps.length + 1;
      try {
        const ok = await this.waitEngine(3000, () => false).then(async () => {
          const st = (await this.client.request('state')) as { states: { chan: number; state: string; offhook: boolean }[] };
          const mine = new Set(sc.steps.flatMap((x) => ('chan' in x && x.chan !== undefined ? [x.chan] : [])));
          return st.states.filter((c) => (c.state !== 'idle' || c.offhook) && (!this.opts.shared || mine.has(c.chan)));
        });
        const fdsAfter = pid && !this.opts.shared ? fdCount(pid) : undefined;
        const problems: string[] = [];
        if (ok.length) problems.push(`channels not idle: ${ok.map((c) => `${c.chan}=${c.state}`).join(', ')}`);
        if (fdsBefore !== undefined && fdsAfter !== undefined && fdsAfter > fdsBefore) problems.push(`engine fds grew ${fdsBefore} -> ${fdsAfter}`);
        const r = { index: idx, ok: problems.length === 0, text: problems.join('; ') || 'all channels idle, no fd growth' };
        steps.push(r);
        print(`${r.ok ? 'ok' : 'not ok'} ${idx} - ${r.ok ? 'cleanup' : 'cleanup: ' + r.text}`);
        if (!r.ok) failed = true;
      } catch (e) {
        steps.push({ index: idx, ok: false, text: (e as Error).message });
        failed = true;
      }
    }
    const timing = await this.timing(sc, stats0, wall0);
    // 2 % for the measurement itself (two stats round trips around the run).
    const slow = timing.analog && timing.askedSpeed >= MIN_ANALOG_SPEED && timing.speed < MIN_ANALOG_SPEED * 0.98;
    // At real time an overrun is late audio on a line: a failure. Faster than
    // real time the engine catches up with ticks back to back, and a stall of
    // a shared machine's scheduler shows as one: what counts is the speed. A
    // scenario that pins real time only because its far end keeps wall-clock
    // time (libss7) is about signalling, whose timers are hundreds of ms: its
    // overruns are reported, and its steps judge it.
    const late = timing.overruns > 0 && timing.askedSpeed > 0 && timing.askedSpeed <= 1 && sc.speed === undefined;
    const tr = { index: steps.length + 1, ok: !late && !slow, text: '' };
    tr.text = `speed ${timing.speed.toFixed(1)}x (asked ${timing.askedSpeed || 'max'}x${timing.analog ? ', analog' : ''}), `
      + `overruns ${timing.overruns}, ${(timing.engineMs / 1000).toFixed(1)} s of engine time in ${(timing.wallMs / 1000).toFixed(2)} s`;
    steps.push(tr);
    print(`${tr.ok ? 'ok' : 'not ok'} ${tr.index} - timing: ${tr.text}${slow ? `; below ${MIN_ANALOG_SPEED}x` : ''}${late ? '; the engine overran at real time' : ''}`);
    if (!tr.ok) failed = true;
    this.client.off('event', this.onEvent);
    return { name: sc.name, file, ok: !failed, steps, timing };
  }

  private async timing(sc: Scenario, stats0: Record<string, unknown>, wall0: number): Promise<ScenarioTiming> {
    const stats1 = await this.client.stats();
    const wallMs = performance.now() - wall0;
    const engineMs = (stats1.time as number) - (stats0.time as number);
    return {
      askedSpeed: this.client.engine?.speed ?? 0,
      speed: wallMs > 0 ? engineMs / wallMs : 0,
      overruns: (stats1.overruns as number) - (stats0.overruns as number),
      engineMs, wallMs,
      analog: isAnalog(sc, this.client.channels),
    };
  }

  private find(name: string, chan: number | undefined, match: Record<string, unknown> | undefined, vars: Record<string, unknown>): EngineEvent | undefined {
    for (let i = this.mark; i < this.events.length; i++) {
      if (this.consumed.has(i)) continue;
      const e = this.events[i]!;
      if (matches(e, name, chan, match, vars)) { this.consumed.add(i); return e; }
    }
    return undefined;
  }

  private async step(s: Step, vars: Record<string, unknown>): Promise<string> {
    if ('do' in s) {
      this.mark = this.events.length;
      if (this.store) { this.store.flush(); this.journalMark = (this.store.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM journal').get() as { n: number }).n; }
      const args = Object.fromEntries(Object.entries(s.args ?? {}).map(([k, v]) => [k, subst(v, vars)]));
      try {
        const data = await this.client.request(s.do, s.chan, args);
        if (s.fails) throw new Error(`expected it to fail with ${s.fails}, it succeeded`);
        if (s.save) vars[s.save] = data;
        return '';
      } catch (e) {
        if (s.fails && e instanceof EngineError) {
          if (e.code !== s.fails) throw new Error(`expected error ${s.fails}, got ${e.code}: ${e.message}`);
          return `refused: ${e.code}: ${e.message}`;
        }
        throw e;
      }
    }
    if ('expect' in s) {
      let found: EngineEvent | undefined;
      await this.waitEngine(s.within, () => (found = this.find(s.expect, s.chan, s.match, vars)) !== undefined);
      if (!found) {
        const seen = this.events.slice(this.mark).filter((e) => s.chan === undefined || e.chan === s.chan).map((e) => e.event);
        throw new Error(`not seen within ${s.within} ms; saw [${seen.slice(-12).join(', ')}]`);
      }
      return `at ${found.time} ms`;
    }
    if ('expectNo' in s) {
      let found: EngineEvent | undefined;
      await this.waitEngine(s.during, () => (found = this.find(s.expectNo, s.chan, s.match, vars)) !== undefined);
      if (found) throw new Error(`unexpected ${JSON.stringify(found)}`);
      return '';
    }
    if ('wait' in s) {
      await this.waitEngine(s.wait);
      return '';
    }
    if ('expectJournal' in s) {
      let found: JournalEntry | undefined;
      await this.waitEngine(s.within, () => (found = this.findJournal(s.expectJournal, s.match, vars)) !== undefined);
      if (!found) throw new Error(`not journaled within ${s.within} ms; journal has [${this.journalSince().slice(-12).map((e) => e.event).join(', ')}]`);
      this.journalSeen.add(found.id);
      if (s.save) vars[s.save] = { journey: found.journey, ...found.data };
      return found.journey ? `journey ${found.journey}` : '';
    }
    if ('expectNoJournal' in s) {
      let found: JournalEntry | undefined;
      await this.waitEngine(s.during, () => (found = this.findJournal(s.expectNoJournal, s.match, vars)) !== undefined);
      if (found) throw new Error(`unexpected ${JSON.stringify(found)}`);
      return '';
    }
    if ('expectCdr' in s) {
      const journey = String(subst(s.expectCdr, vars));
      const store = this.store;
      if (!store) throw new Error('this step needs a box (a supervisor): add "box" to the scenario');
      // The row is checked once the call has ended.
      let row: Record<string, unknown> | undefined;
      await this.waitEngine(s.within, () => { row = store.cdr.get(journey) as Record<string, unknown> | undefined; return !!row && row.disposition !== 'in_progress'; });
      if (!row) throw new Error(`no CDR for journey ${journey}`);
      if (row.disposition === 'in_progress') throw new Error(`the call did not end within ${s.within} ms`);
      const wrong = Object.entries(s.match).filter(([k, v]) => JSON.stringify(field(row!, k)) !== JSON.stringify(subst(v, vars)))
        .map(([k, v]) => `${k} is ${JSON.stringify(field(row!, k))}, expected ${JSON.stringify(subst(v, vars))}`);
      if (wrong.length) throw new Error(wrong.join('; '));
      return `${row.disposition}`;
    }
    const file = String(subst(s.checkWav, vars));
    const w = readWav(file);
    const ms = (w.frames * 1000) / w.rate;
    if (s.channels !== undefined && w.channels !== s.channels) throw new Error(`${w.channels} channels, expected ${s.channels}`);
    if (s.minMs !== undefined && ms < s.minMs) throw new Error(`${ms.toFixed(0)} ms long, expected at least ${s.minMs}`);
    if (s.maxMs !== undefined && ms > s.maxMs) throw new Error(`${ms.toFixed(0)} ms long, expected at most ${s.maxMs}`);
    for (const t of s.tones ?? []) {
      const share = toneShare(w.samples[t.channel] ?? new Int16Array(), w.rate, t.freq);
      if (t.present && share < 0.05) throw new Error(`${t.freq} Hz not heard on channel ${t.channel} (share ${share.toFixed(3)})`);
      if (!t.present && share > 0.02) throw new Error(`${t.freq} Hz heard on channel ${t.channel} (share ${share.toFixed(3)})`);
    }
    return `${ms.toFixed(0)} ms, ${w.channels} ch`;
  }
}
