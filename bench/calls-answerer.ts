// The near end of the `calls` bench, in its own process as on the box, so its
// event-loop lag, CPU and memory are its own and not the far end's.
//   supervisor: the real Supervisor (store, config, call manager) over the engine socket.
//   bare:       the baseline, a minimal EngineClient script: answer on CallOffered,
//               play the same greeting, react to a key with one command. No store,
//               no routing, no IVR machine, no engine timers.
// The parent (bench/calls.ts) talks to it over the fork IPC channel.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance as perf, type IntervalHistogram, type EventLoopUtilization } from 'node:perf_hooks';
import { Supervisor } from '../src/supervisor.js';
import { EngineClient } from '../src/telephony/engine-client.js';
import type { EngineEvent } from '../src/telephony/protocol.js';
import { createLogger } from '../src/log.js';
import { resolvePrompt, type PromptDirs } from '../src/prompts/library.js';
import { projectRoot } from '../src/native/addon.js';

export type AnswererMode = 'supervisor' | 'bare';

// A call the far end placed: the line, the engine time of its first ring (the
// CDR's start_ms) and the number it sent as caller ID.
export interface PlacedCall { chan: number; ringAt: number | null; hungUpAt: number | null; caller: string }

export type ToAnswerer =
  | { type: 'start'; mode: AnswererMode; socketPath: string; dataDir: string; configFile: string }
  | { type: 'measure' }
  | { type: 'report'; calls: PlacedCall[]; drainMs: number }
  | { type: 'stop' };

export interface AnswererReport {
  mode: AnswererMode;
  eventLoopLagMs: { mean: number; p50: number; p99: number; max: number };
  // Share of wall time the event loop was busy (JS, and synchronous I/O such as SQLite commits).
  eventLoopUtilization: number;
  rssMb: { atStart: number; atEnd: number; peak: number; afterGc: number | null };
  heapUsedAfterGcMb: number | null;
  // RSS while measuring, every ~10% of the run: a leak grows steadily, a cache levels off.
  rssTimelineMb: number[];
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  cpuShare: number;              // process CPU time / wall time while measuring (1 = one core)
  wallSeconds: number;
  activeCallsAtEnd: number;
  drainedInMs: number;
  logs: { errors: number; warnings: number; lastErrors: string[] };
  // Store transactions committed while measuring (each one an fsync: WAL,
  // synchronous=FULL), run synchronously on the event loop.
  commits?: { count: number; totalMs: number; p50Ms: number; p99Ms: number; maxMs: number; shareOfWall: number };
  store?: StoreCheck;
}

export interface StoreCheck {
  cdrRows: number;
  cdrForPlacedCalls: number;     // placed calls with a CDR row (matched by port and first-ring engine time, else by port and a start within the call)
  cdrStartLate: number;          // rows matched only the second way: the journey opened after the first ring
  cdrDuplicates: number;         // extra rows for one placed call
  cdrOpen: number;               // rows without endedAt
  cdrUnmatched: number;          // rows no placed call explains
  cdrCallerWrong: number;        // matched rows whose caller is not the number sent
  examples: { unmatched: unknown[]; callerWrong: unknown[]; startLate: unknown[]; missing: PlacedCall[] };
  dispositions: Record<string, number>;
  hangupSides: Record<string, number>;
  journal: { rows: number; callEnded: number; callFailed: number; routingProblems: number };
  voicemailMessages: number;
}

export type FromAnswerer =
  | { type: 'ready'; engine: unknown }
  | { type: 'measuring' }
  | { type: 'report'; report: AnswererReport }
  | { type: 'failed'; error: string };

const send = (m: FromAnswerer): void => { process.send?.(m); };
const mb = (b: number): number => Math.round(b / 1048576 * 10) / 10;
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

interface Near {
  commitMs?: number[];
  activeCalls(): number;
  idle(): Promise<void>;
  storeCheck(calls: PlacedCall[]): StoreCheck | undefined;
  stop(): Promise<void>;
}

let near: Near | undefined;
let mode: AnswererMode = 'supervisor';
let eld: IntervalHistogram | undefined;
let elu0: EventLoopUtilization | undefined;
let rssStart = 0;
let rssPeak = 0;
let rssSamples: number[] = [];
let cpu0 = process.cpuUsage();
let wall0 = performance.now();
const logs = { errors: 0, warnings: 0, lastErrors: [] as string[] };

async function startSupervisor(socketPath: string, dataDir: string, configFile: string): Promise<Near> {
  const seedConfig = JSON.parse(fs.readFileSync(configFile, 'utf8')) as unknown;
  const log = createLogger({ app: 'hotline' }, (line) => {
    if (line.includes('"level":"error"')) {
      logs.errors++;
      if (logs.lastErrors.length < 5) logs.lastErrors.push(line.slice(0, 400));
    } else if (line.includes('"level":"warn"')) logs.warnings++;
  });
  const sup = await Supervisor.start({ dataDir, socketPath, seedConfig, log });
  const commitMs = timeTransactions(sup);
  return {
    commitMs,
    activeCalls: () => sup.calls.activeCalls,
    idle: () => sup.calls.idle(),
    storeCheck: (calls) => checkStore(sup, calls),
    stop: () => sup.stop(),
  };
}

// Times every commit of the store (Store.flush commits the open batch).
// Measurement only: the wrapped method behaves as the original.
function timeTransactions(sup: Supervisor): number[] {
  const times: number[] = [];
  const store = sup.store as unknown as { flush: () => void; commits: number };
  const original = store.flush.bind(store);
  store.flush = () => {
    const before = store.commits;
    const t0 = performance.now();
    try { original(); } finally { if (store.commits !== before) times.push(performance.now() - t0); }
  };
  return times;
}

function count(rows: { k: string | null; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.k ?? 'null', r.n]));
}

// Every placed call must have exactly one CDR row, closed. A row is matched to
// its call by port and the engine time of the first ring (the journey opens on
// it), so a row whose caller ID went wrong is still found; a row left over is
// then matched to a call on its port whose ring..hang-up span holds its start.
function checkStore(sup: Supervisor, calls: PlacedCall[]): StoreCheck {
  const { store } = sup;
  store.flush();
  const db = store.db;
  type Row = { journey: string; port: number | null; start_ms: number | null; caller: string; ended_at: string | null; disposition: string };
  const key = (port: number | null, ms: number | null): string => `${String(port)}@${String(ms)}`;
  const placed = new Map(calls.map((c) => [key(c.chan, c.ringAt), c]));
  const rows = db.prepare("SELECT journey, port, start_ms, caller, ended_at, disposition FROM cdr WHERE direction = 'inbound'").all() as Row[];
  const matched = new Map<PlacedCall, Row[]>();
  const left: Row[] = [];
  for (const r of rows) {
    const c = placed.get(key(r.port, r.start_ms));
    if (c) matched.set(c, [...(matched.get(c) ?? []), r]);
    else left.push(r);
  }
  const unmatched: unknown[] = [];
  const startLate: unknown[] = [];
  let late = 0;
  for (const r of left) {
    const c = calls.find((x) => x.chan === r.port && !matched.has(x) && x.ringAt !== null && r.start_ms !== null
      && r.start_ms >= x.ringAt && (x.hungUpAt === null || r.start_ms <= x.hungUpAt));
    if (!c) { if (unmatched.length < 5) unmatched.push(r); continue; }
    matched.set(c, [r]);
    late++;
    if (startLate.length < 5) startLate.push({ ...r, ringAt: c.ringAt, lateMs: r.start_ms! - c.ringAt! });
  }
  const callerWrong: unknown[] = [];
  let wrong = 0;
  for (const [c, rs] of matched) {
    for (const r of rs) if (r.caller !== c.caller) { wrong++; if (callerWrong.length < 5) callerWrong.push({ ...r, sent: c.caller }); }
  }
  const missing = calls.filter((c) => !matched.has(c)).slice(0, 5);
  const matchedRows = [...matched.values()].reduce((a, rs) => a + rs.length, 0);
  const scalar = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    cdrRows: rows.length,
    cdrForPlacedCalls: matched.size,
    cdrStartLate: late,
    cdrDuplicates: matchedRows - matched.size,
    cdrOpen: rows.filter((r) => r.ended_at === null).length,
    cdrUnmatched: rows.length - matchedRows,
    cdrCallerWrong: wrong,
    examples: { unmatched, callerWrong, startLate, missing },
    dispositions: count(db.prepare("SELECT disposition AS k, COUNT(*) AS n FROM cdr WHERE direction = 'inbound' GROUP BY disposition").all() as { k: string; n: number }[]),
    hangupSides: count(db.prepare("SELECT hangup_side AS k, COUNT(*) AS n FROM cdr WHERE direction = 'inbound' GROUP BY hangup_side").all() as { k: string; n: number }[]),
    journal: {
      rows: scalar('SELECT COUNT(*) AS n FROM journal'),
      callEnded: scalar("SELECT COUNT(*) AS n FROM journal WHERE event = 'CallEnded'"),
      callFailed: scalar("SELECT COUNT(*) AS n FROM journal WHERE event = 'CallFailed'"),
      routingProblems: scalar("SELECT COUNT(*) AS n FROM journal WHERE event IN ('RoutingProblem', 'RoutingLoop', 'NoInboundRoute')"),
    },
    voicemailMessages: scalar('SELECT COUNT(*) AS n FROM voicemail'),
  };
}

// The baseline near end. It does per call what the supervisor's flow does on
// the engine, without anything else: answer, then (after the answer's result,
// as the supervisor awaits it) play the greeting; a key gets one command.
async function startBare(socketPath: string): Promise<Near> {
  const client = new EngineClient({ socketPath, name: 'bench-bare', reconnect: false });
  await client.connect();
  const dirs: PromptDirs = { projectRoot: projectRoot(), dataDir: '' };
  const p = (name: string): string => resolvePrompt(`builtin:${name}`, 'zh', dirs);
  const greeting = [p('welcome'), p('main_menu')];
  const onKey: Record<string, string[]> = {
    '2': [p('voicemail_greeting_default')],
    '3': [p('closed')],
    '#': [path.join(projectRoot(), 'out', 'prompts', 'tones', 'beep.wav')],
  };
  const fxo = new Set(client.channels.filter((c) => c.kind === 'fxo').map((c) => c.chan));
  const calls = new Set<number>();
  const inFlight = new Set<Promise<unknown>>();
  const track = (pr: Promise<unknown>): void => {
    const q = pr.catch(() => {}).finally(() => inFlight.delete(q));
    inFlight.add(q);
  };
  client.on('event', (e: EngineEvent) => {
    const chan = e.chan;
    if (chan === undefined || !fxo.has(chan)) return;
    if (e.event === 'CallOffered' && !calls.has(chan)) {
      calls.add(chan);
      track(client.answer(chan).then(() => client.play(chan, greeting)));
    } else if (e.event === 'ChannelHungUp' || e.event === 'CallCancelled') {
      calls.delete(chan);
    } else if (e.event === 'DtmfReceived' && calls.has(chan)) {
      const files = onKey[String(e.digit)];
      if (String(e.digit) === '1') track(client.hangup(chan));
      else if (files) track(client.play(chan, files));
    }
  });
  return {
    activeCalls: () => calls.size,
    idle: async () => { while (inFlight.size) await Promise.allSettled([...inFlight]); },
    storeCheck: () => undefined,
    stop: async () => { client.close(); },
  };
}

function commitStats(times: number[], wallS: number): AnswererReport['commits'] {
  const s = [...times].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  const q = (p: number): number => Math.round((s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN) * 100) / 100;
  return { count: s.length, totalMs: Math.round(total), p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1), shareOfWall: Math.round(total / 1000 / Math.max(0.001, wallS) * 1000) / 1000 };
}

async function onMessage(m: ToAnswerer): Promise<void> {
  switch (m.type) {
    case 'start': {
      mode = m.mode;
      near = m.mode === 'supervisor' ? await startSupervisor(m.socketPath, m.dataDir, m.configFile) : await startBare(m.socketPath);
      rssStart = process.memoryUsage().rss;
      setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 250).unref();
      setInterval(() => { if (eld) rssSamples.push(process.memoryUsage().rss); }, 1000).unref();
      send({ type: 'ready', engine: null });
      return;
    }
    case 'measure':
      if (near?.commitMs) near.commitMs.length = 0;
      eld = monitorEventLoopDelay({ resolution: 2 });
      eld.enable();
      elu0 = perf.eventLoopUtilization();
      rssSamples = [process.memoryUsage().rss];
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
      send({ type: 'measuring' });
      return;
    case 'report': {
      const wall = (performance.now() - wall0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const elu = perf.eventLoopUtilization(elu0);
      eld?.disable();
      // Calls still finishing (a CDR being closed) get drainMs of wall time.
      const t0 = performance.now();
      const active = near!;
      await Promise.race([active.idle(), new Promise((r) => setTimeout(r, m.drainMs))]);
      const drainedInMs = Math.round(performance.now() - t0);
      const mem = process.memoryUsage();
      rssPeak = Math.max(rssPeak, mem.rss);
      // With --expose-gc (the bench passes it): what is left once garbage,
      // including native objects V8 has not yet finalised, is collected.
      const gc = (globalThis as { gc?: () => void }).gc;
      let afterGc: number | null = null;
      let heapAfterGc: number | null = null;
      if (gc) { gc(); gc(); const m2 = process.memoryUsage(); afterGc = mb(m2.rss); heapAfterGc = mb(m2.heapUsed); }
      const step = Math.max(1, Math.ceil(rssSamples.length / 10));
      const timeline = rssSamples.filter((_, i) => i % step === 0 || i === rssSamples.length - 1).map(mb);
      const report: AnswererReport = {
        mode,
        eventLoopLagMs: eld
          ? { mean: ms(eld.mean), p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) }
          : { mean: NaN, p50: NaN, p99: NaN, max: NaN },
        eventLoopUtilization: Math.round(elu.utilization * 1000) / 1000,
        rssMb: { atStart: mb(rssStart), atEnd: mb(mem.rss), peak: mb(rssPeak), afterGc },
        rssTimelineMb: timeline,
        heapUsedAfterGcMb: heapAfterGc,
        heapUsedMb: mb(mem.heapUsed),
        heapTotalMb: mb(mem.heapTotal),
        externalMb: mb(mem.external),
        cpuShare: Math.round((cpu.user + cpu.system) / 1e6 / Math.max(0.001, wall) * 1000) / 1000,
        wallSeconds: Math.round(wall * 10) / 10,
        activeCallsAtEnd: active.activeCalls(),
        drainedInMs,
        logs,
        commits: active.commitMs ? commitStats(active.commitMs, wall) : undefined,
        store: active.storeCheck(m.calls),
      };
      send({ type: 'report', report });
      return;
    }
    case 'stop':
      await near?.stop();
      process.exit(0);
  }
}

process.on('message', (m: ToAnswerer) => {
  onMessage(m).catch((e: Error) => { send({ type: 'failed', error: e.stack ?? e.message }); });
});
process.on('disconnect', () => process.exit(0));
