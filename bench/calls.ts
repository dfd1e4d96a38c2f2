// `npm run -s bench -- calls`: call setup latency and call bookkeeping under
// load. A private engine on the sim-bench board (96 FXO lines), the near end
// in a child process (the real Supervisor, or the bare baseline script), and
// far-end callers here. Prints one JSON object on stdout; see bench/README.md.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPrivateEngine, type PrivateEngine } from '../src/cli/scenario.js';
import { EngineClient } from '../src/telephony/engine-client.js';
import type { ChannelState } from '../src/telephony/protocol.js';
import { projectRoot } from '../src/native/addon.js';
import { makeSchedule, runLoad, type CallRecord, type LoadResult } from './calls-far-end.js';
import type { AnswererMode, AnswererReport, FromAnswerer, ToAnswerer } from './calls-answerer.js';
import { summarize, roundTo, type Summary } from './stats.js';

const log = (msg: string): void => { process.stderr.write(`[bench] ${msg}\n`); };
const PROFILE = 'sim-bench';
const SETUP_TARGET_MS = 300;

// Children to end if the bench is interrupted: a private engine outlives its
// parent otherwise (it is a separate process with nothing tying it to us).
const children = new Set<ChildProcess>();
let signalsHooked = false;
function ownChild(c: ChildProcess): void {
  children.add(c);
  c.once('exit', () => children.delete(c));
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const ch of children) ch.kill('SIGTERM');
      process.exit(130);
    });
  }
}

// ---- the near end's process ----

class Answerer {
  private child: ChildProcess;
  private inbox: FromAnswerer[] = [];
  private wake: (() => void) | undefined;
  private exited = false;

  constructor() {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'calls-answerer.js');
    // HOTLINE_BENCH_PROFILE=DIR writes a V8 CPU profile of the near end there.
    const prof = process.env.HOTLINE_BENCH_PROFILE;
    const execArgv = ['--expose-gc', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : [])];
    this.child = fork(file, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv });
    // Its output is diagnostics: stdout here carries only the result.
    this.child.stdout!.on('data', (d: Buffer) => process.stderr.write(d));
    this.child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    this.child.on('message', (m: FromAnswerer) => { this.inbox.push(m); this.wake?.(); });
    this.child.on('exit', () => { this.exited = true; this.wake?.(); });
    ownChild(this.child);
  }

  get pid(): number { return this.child.pid ?? 0; }

  send(m: ToAnswerer): void { this.child.send(m); }

  async next<T extends FromAnswerer['type']>(type: T, timeoutMs: number): Promise<Extract<FromAnswerer, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === 'failed');
      if (i >= 0) {
        const m = this.inbox.splice(i, 1)[0]!;
        if (m.type === 'failed') throw new Error(`near end failed: ${m.error}`);
        return m as Extract<FromAnswerer, { type: T }>;
      }
      if (this.exited) throw new Error(`near end exited while waiting for "${type}"`);
      if (Date.now() > deadline) throw new Error(`near end sent no "${type}" within ${timeoutMs} ms`);
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, 200); });
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.send({ type: 'stop' });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}

// ---- engine process figures (/proc) ----

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;       // utime + stime
  } catch { return NaN; }
}

function procRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024 * 10) / 10 : NaN;
  } catch { return NaN; }
}

// ---- one phase: a fresh engine, one near end, one load ----

interface PhaseOptions { mode: AnswererMode; speed: number; seconds: number; rate: number; seed: number; hangUpAtEnd?: boolean }

interface PhaseResult {
  mode: AnswererMode;
  speed: number;
  phaseWallSeconds: number;      // the whole phase: engine and near-end start, load, drain, checks
  load: LoadResult;
  near: AnswererReport;
  engine: Record<string, number>;
  channelsNotIdle: { chan: number; kind: string; state: string; playing: number; recording: number; bridgedTo: number; tone: string | null }[];
  farEndLagMs: { p99: number; max: number };
  farEndCpuShare: number;
}

async function runPhase(o: PhaseOptions): Promise<PhaseResult> {
  const { mode, speed } = o;
  const t0 = Date.now();
  const schedule = makeSchedule(o.seed, o.rate, o.seconds * 1000);
  log(`${mode}: ${schedule.length} calls over ${o.seconds} s of engine time at speed ${speed} (${o.rate} calls/s)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hotline-bench-calls-${mode}-`));
  let engine: PrivateEngine | undefined;
  let near: Answerer | undefined;
  let far: EngineClient | undefined;
  try {
    engine = await startPrivateEngine({ speed, profile: PROFILE, dataDir });
    ownChild(engine.child);
    const enginePid = engine.child.pid ?? 0;
    near = new Answerer();
    near.send({ type: 'start', mode, socketPath: engine.socketPath, dataDir, configFile: path.join(projectRoot(), 'bench', 'calls-config.json') });
    await near.next('ready', 30000);
    far = new EngineClient({ socketPath: engine.socketPath, name: 'bench-far-end', reconnect: false, requestTimeoutMs: 30000 });
    await far.connect();
    near.send({ type: 'measure' });
    await near.next('measuring', 5000);

    const s0 = await far.stats();
    const cpu0 = procCpuSeconds(enginePid);
    const eld = monitorEventLoopDelay({ resolution: 2 });
    eld.enable();
    const farCpu0 = process.cpuUsage();
    const load = await runLoad(far, { speed, schedule, log, hangUpAtEnd: o.hangUpAtEnd });
    const farCpu = process.cpuUsage(farCpu0);
    eld.disable();
    const s1 = await far.stats();
    const cpu1 = procCpuSeconds(enginePid);

    const calls = load.records.filter((r) => r.chan !== undefined)
      .map((r) => ({ chan: r.chan!, ringAt: r.ringAt ?? null, hungUpAt: r.hungUpAt ?? null, caller: r.caller }));
    near.send({ type: 'report', calls, drainMs: 20000 });
    const { report } = await near.next('report', 60000);
    const state = await far.request('state') as unknown as { states: ChannelState[] };
    const kinds = new Map(far.channels.map((c) => [c.chan, c.kind]));
    const channelsNotIdle = state.states.filter((s) => s.state !== 'idle' || s.playing || s.recording || s.bridgedTo)
      .map((s) => ({ chan: s.chan, kind: kinds.get(s.chan) ?? '?', state: s.state, playing: s.playing, recording: s.recording, bridgedTo: s.bridgedTo, tone: s.tone }));
    const d = (k: string): number => Number(s1[k]) - Number(s0[k]);
    const wallS = load.loadWallMs / 1000;
    return {
      mode, speed, load, near: report, channelsNotIdle,
      phaseWallSeconds: roundTo((Date.now() - t0) / 1000, 1),
      farEndLagMs: { p99: roundTo(eld.percentile(99) / 1e6, 2), max: roundTo(eld.max / 1e6, 2) },
      farEndCpuShare: roundTo((farCpu.user + farCpu.system) / 1e6 / wallS, 3),
      engine: {
        engineSeconds: roundTo(d('time') / 1000, 1),
        achievedSpeed: roundTo(d('time') / 1000 / wallS, 2),
        ticks: d('ticks'),
        overruns: d('overruns'),
        events: d('events'),
        eventsPerWallSecond: Math.round(d('events') / wallS),
        eventsDropped: d('eventsDropped'),
        commands: d('commands'),
        meanTickWorkMs: roundTo(d('workNsTotal') / Math.max(1, d('ticks')) / 1e6, 3),
        maxTickWorkMsSinceStart: roundTo(Number(s1.workNsMax) / 1e6, 2),
        processCpuShare: roundTo((cpu1 - cpu0) / wallS, 3),
        processRssMb: procRssMb(enginePid),
      },
    };
  } finally {
    far?.close();
    await near?.stop().catch(() => {});
    await engine?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- latencies from the far end's records ----

interface Latencies {
  setupMs: Summary;          // CallOffered → first greeting audio
  ringToAudioMs: Summary;    // first RingStarted → first greeting audio
  ringToOfferMs: Summary;    // first ring → caller ID decoded (the exchange and the engine, not us)
  offerToAnswerMs: Summary;  // CallOffered → ChannelAnswered
  answerToAudioMs: Summary;  // ChannelAnswered → PlaybackStarted
  setupWallMs: Summary;      // the same interval as setupMs, in wall ms as the far end received the two events
}

function latencies(records: CallRecord[]): Latencies {
  const ok = records.filter((r) => r.offeredAt !== undefined && r.greetingAt !== undefined);
  const pick = (f: (r: CallRecord) => number | undefined): number[] => ok.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return {
    setupMs: summarize(pick((r) => r.greetingAt! - r.offeredAt!), 0),
    ringToAudioMs: summarize(pick((r) => (r.ringAt === undefined ? undefined : r.greetingAt! - r.ringAt)), 0),
    ringToOfferMs: summarize(pick((r) => (r.ringAt === undefined ? undefined : r.offeredAt! - r.ringAt)), 0),
    offerToAnswerMs: summarize(pick((r) => (r.answeredAt === undefined ? undefined : r.answeredAt - r.offeredAt!)), 0),
    answerToAudioMs: summarize(pick((r) => (r.answeredAt === undefined ? undefined : r.greetingAt! - r.answeredAt)), 0),
    setupWallMs: summarize(pick((r) => (r.greetingWall === undefined || r.offeredWall === undefined ? undefined : r.greetingWall - r.offeredWall)), 2),
  };
}

function tally<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) { const k = key(t); out[k] = (out[k] ?? 0) + 1; }
  return out;
}

function numArg(args: string[], name: string, dflt: number, min = 0): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name}: ${args[i + 1]} is not a number >= ${min}`);
  return v;
}

// ---- the bench ----

function mediaRaces(p: PhaseResult) {
  return { counts: p.load.afterHangup, examples: p.load.afterHangupExamples };
}

export async function benchCalls(args: string[]): Promise<void> {
  const started = Date.now();
  const loadAtStart = os.loadavg().map((v) => roundTo(v, 2));
  const speed = numArg(args, 'speed', 5, 0.1);
  const seconds = numArg(args, 'seconds', 600, 1);
  const rate = numArg(args, 'rate', 10, 0.1);
  const baselineSeconds = numArg(args, 'baseline-seconds', 60, 0);
  const realtimeSeconds = numArg(args, 'realtime-seconds', 15, 0);
  const seed = numArg(args, 'seed', 20261124, 0);

  const base = baselineSeconds > 0 ? await runPhase({ mode: 'bare', speed, seconds: baselineSeconds, rate, seed }) : undefined;
  const main = await runPhase({ mode: 'supervisor', speed, seconds, rate, seed });
  const rt = realtimeSeconds > 0 ? await runPhase({ mode: 'supervisor', speed: 1, seconds: realtimeSeconds, rate, seed, hangUpAtEnd: true }) : undefined;

  const lat = latencies(main.load.records);
  const baseLat = base ? latencies(base.load.records) : undefined;
  const rtLat = rt ? latencies(rt.load.records) : undefined;
  const store = main.near.store!;
  const placed = main.load.placed;
  const arrivalS = (main.load.arrivalsEndMs - main.load.engineStartMs) / 1000;
  const wallS = main.load.loadWallMs / 1000;
  const achieved = main.engine.achievedSpeed ?? NaN;
  const ratio = (a: number, b: number | undefined): number | null => (b ? roundTo(a / b, 2) : null);
  const records = main.load.records;

  const result = {
    bench: 'calls',
    date: new Date().toISOString(),
    host: {
      cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, node: process.version,
      // Other work on the box shows here; it slows the engine and the supervisor alike.
      loadAvgAtStart: loadAtStart, loadAvgAtEnd: os.loadavg().map((v) => roundTo(v, 2)),
    },
    profile: PROFILE,
    setupP99Ms: lat.setupMs.p99,
    setupP50Ms: lat.setupMs.p50,
    setupMaxMs: lat.setupMs.max,
    setupTargetMs: SETUP_TARGET_MS,
    setupTargetMet: lat.setupMs.p99 < SETUP_TARGET_MS,
    ringToAudioP99Ms: lat.ringToAudioMs.p99,
    ringToAudioP50Ms: lat.ringToAudioMs.p50,
    ringToAudioMaxMs: lat.ringToAudioMs.max,
    setupP99RatioVsBare: ratio(lat.setupMs.p99, baseLat?.setupMs.p99),
    setupP50RatioVsBare: ratio(lat.setupMs.p50, baseLat?.setupMs.p50),
    callsScheduled: records.length,
    callsPlaced: placed,
    callsWithGreeting: lat.setupMs.n,
    cdrRows: store.cdrRows,
    cdrForPlacedCalls: store.cdrForPlacedCalls,
    cdrLost: placed - store.cdrForPlacedCalls,
    cdrStartLate: store.cdrStartLate,
    cdrOpen: store.cdrOpen,
    cdrDuplicates: store.cdrDuplicates,
    cdrUnmatched: store.cdrUnmatched,
    cdrCallerWrong: store.cdrCallerWrong,
    channelsLeftOpen: main.channelsNotIdle.length,
    callsPerSecond: roundTo(placed / arrivalS, 2),
    callsPerWallSecond: roundTo(placed / wallS, 1),
    engineSeconds: main.engine.engineSeconds,
    arrivalEngineSeconds: roundTo(arrivalS, 1),
    wallSeconds: roundTo(wallS, 1),
    speed: main.speed,
    achievedSpeed: achieved,
    concurrency: main.load.concurrency,
    latencyMs: lat,
    supervisor: {
      eventLoopLagMs: main.near.eventLoopLagMs,
      eventLoopLagP99InEngineMs: roundTo(main.near.eventLoopLagMs.p99 * achieved, 1),
      eventLoopUtilization: main.near.eventLoopUtilization,
      cpuShare: main.near.cpuShare,
      rssMbAtEnd: main.near.rssMb.atEnd,
      rssMb: main.near.rssMb,
      rssTimelineMb: main.near.rssTimelineMb,
      heapMbAtEnd: { used: main.near.heapUsedMb, usedAfterGc: main.near.heapUsedAfterGcMb, total: main.near.heapTotalMb, external: main.near.externalMb },
      storeCommits: main.near.commits ? { ...main.near.commits, perCall: roundTo(main.near.commits.count / Math.max(1, placed), 1) } : null,
      activeCallsAtEnd: main.near.activeCallsAtEnd,
      drainedInMs: main.near.drainedInMs,
      logs: main.near.logs,
    },
    store: {
      dispositions: store.dispositions, hangupSides: store.hangupSides, journal: store.journal,
      voicemailMessages: store.voicemailMessages, examples: store.examples,
    },
    engine: main.engine,
    farEnd: {
      outcomes: tally(records, (r) => r.outcome),
      plans: tally(records, (r) => r.kind),
      hungUpBy: tally(records.filter((r) => r.hungUpBy), (r) => r.hungUpBy!),
      offeredAtRing: tally(records.filter((r) => r.offeredRing !== undefined), (r) => String(r.offeredRing)),
      callerIdMissing: records.filter((r) => r.offeredAt !== undefined && !r.offeredNumber).length,
      errors: main.load.farEndErrors,
      cpuShare: main.farEndCpuShare,
      eventLoopLagMs: main.farEndLagMs,
    },
    mediaAfterHangup: mediaRaces(main),
    commandsFailed: main.load.commandsFailed,
    channelsNotIdle: main.channelsNotIdle.slice(0, 20),
    baseline: base && baseLat ? {
      what: 'same board, speed, callers and arrival schedule (its first baselineSeconds); the near end is a bare EngineClient script: answer on CallOffered, then play the greeting',
      engineSeconds: base.engine.engineSeconds,
      callsPlaced: base.load.placed,
      setupMs: baseLat.setupMs,
      ringToAudioMs: baseLat.ringToAudioMs,
      offerToAnswerMs: baseLat.offerToAnswerMs,
      answerToAudioMs: baseLat.answerToAudioMs,
      setupWallMs: baseLat.setupWallMs,
      achievedSpeed: base.engine.achievedSpeed,
      eventLoopLagMs: base.near.eventLoopLagMs,
      eventLoopUtilization: base.near.eventLoopUtilization,
      cpuShare: base.near.cpuShare,
      rssMbAtEnd: base.near.rssMb.atEnd,
      channelsLeftOpen: base.channelsNotIdle.length,
      phaseWallSeconds: base.phaseWallSeconds,
    } : null,
    realtime: rt && rtLat ? {
      what: 'the supervisor at speed 1 (real time) for the first realtimeSeconds of the same schedule; callers still on the line hang up once every call has had its greeting',
      speed: rt.speed,
      achievedSpeed: rt.engine.achievedSpeed,
      callsPlaced: rt.load.placed,
      setupMs: rtLat.setupMs,
      ringToAudioMs: rtLat.ringToAudioMs,
      setupWallMs: rtLat.setupWallMs,
      setupTargetMet: rtLat.setupMs.p99 < SETUP_TARGET_MS,
      cdrLost: rt.load.placed - rt.near.store!.cdrForPlacedCalls,
      cdrOpen: rt.near.store!.cdrOpen,
      cdrStartLate: rt.near.store!.cdrStartLate,
      channelsLeftOpen: rt.channelsNotIdle.length,
      mediaAfterHangup: mediaRaces(rt),
      channelsNotIdle: rt.channelsNotIdle.slice(0, 10),
      eventLoopLagMs: rt.near.eventLoopLagMs,
      eventLoopUtilization: rt.near.eventLoopUtilization,
      storeCommits: rt.near.commits ?? null,
      phaseWallSeconds: rt.phaseWallSeconds,
    } : null,
    phaseWallSeconds: { baseline: base?.phaseWallSeconds ?? null, main: main.phaseWallSeconds, realtime: rt?.phaseWallSeconds ?? null },
    options: { speed, seconds, rate, baselineSeconds, realtimeSeconds, seed },
    notes: [
      'setup = CallOffered -> first PlaybackStarted on that channel (the IVR greeting), engine time. CallOffered is when the box knows the call and may act: ' +
        'in China caller ID (FSK) comes after the first ring, so the engine offers the call ~2 s after ring 1. ringToAudio = first RingStarted -> the same PlaybackStarted; latencyMs.ringToOfferMs is that caller-ID wait.',
      'Engine time advances 20 ms per tick, so every engine latency is a multiple of 20 ms. At speed S one wall ms of supervisor work costs S ms of engine time: ' +
        'figures at speed > 1 are an upper bound for the same load in real time; realtime{} measures the first realtimeSeconds of the load at speed 1.',
      'Load: Poisson arrivals at `rate` calls/s of engine time, one caller number per call (139xxxxxxxx), caller ID Bell 202 after the first ring. Callers: 40% press 1 (the IVR hangs up), ' +
        '25% press 3 (an announcement; most hang up during it), 25% press 2 (voicemail: most skip the greeting with #, speak 1.5-3 s, then hang up or press #), 10% hang up during the greeting.',
      'CDR rows are matched to placed calls by port and first-ring engine time (start_ms), else (cdrStartLate) by port and a start within the call. cdrLost = placed calls without a row; cdrOpen = rows without endedAt; ' +
        'channelsLeftOpen = engine channels not idle (or idle but still playing, recording or bridged) after the load drained.',
      'mediaAfterHangup counts near-end media (PlaybackStarted, RecordingStarted, ToneStarted, BridgeCreated, ChannelAnswered) that started on a line after its ChannelHungUp and before its next ring.',
      'The near end runs in its own process (bench/calls-answerer.ts): its eventLoop*, cpuShare, rss and storeCommits are that process. The far end and the measurements run in the bench process.',
    ],
    benchSeconds: roundTo((Date.now() - started) / 1000, 1),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
