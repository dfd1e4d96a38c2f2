// Bench runner: `npm run bench -- engine` (or `calls`) prints one JSON object
// on stdout (progress on stderr). See bench/README.md for what is measured and how.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadAddon, projectRoot } from '../src/native/addon.js';
import { benchCalls } from './calls.js';
import { benchAcd } from './acd.js';
import { benchPanel } from './panel.js';

const root = projectRoot();
const log = (msg: string): void => { process.stderr.write(`[bench] ${msg}\n`); };

interface RunResult { stdout: string; stderr: string }

function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${String(r.status)}:\n${r.stderr}`);
  }
  if (!opts.quiet && r.stderr.trim()) process.stderr.write(r.stderr);
  return { stdout: r.stdout, stderr: r.stderr };
}

// ---- statistics ----

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
function summary(values: number[], scale: number): { mean: number; p50: number; p99: number; max: number } {
  const s = values.map((v) => v / scale).sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { mean: round(mean), p50: round(quantile(s, 0.5)), p99: round(quantile(s, 0.99)), max: round(s[s.length - 1] ?? NaN) };
}

// ---- build ----

interface Build { dir: string; engine: string; baseline: string; cflags: string[]; libCflags: string; cc: string }

function build(): Build {
  log('building native/build/libhl.a (make -C native build/libhl.a)');
  run('make', ['-s', '-C', 'native', 'build/libhl.a']);
  // The flags libhl.a is compiled with, as the Makefile computes them.
  const libCflags = run('make', ['-s', '--no-print-directory', '-C', 'native', '--eval', 'bench-print-cflags: ; @echo $(CFLAGS)', 'bench-print-cflags'], { quiet: true }).stdout.trim();
  // Same code-generation flags for both bench programs: optimisation, debug info, -f*/-m* options.
  const codegen = libCflags.split(/\s+/).filter((f) => /^-(O|g|f|m|march|mtune)/.test(f));
  const cflags = [...codegen, '-std=gnu11', '-pthread'];
  const cc = process.env.CC ?? 'cc';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
  const engine = path.join(dir, 'engine_bench');
  const baseline = path.join(dir, 'spandsp_baseline');
  log(`compiling bench programs with ${cc} ${cflags.join(' ')}`);
  run(cc, [...cflags, '-Inative/include', 'bench/engine_bench.c', 'native/build/libhl.a', '-lspandsp', '-ltonezone', '-lm', '-lpthread', '-o', engine]);
  run(cc, [...cflags, 'bench/spandsp_baseline.c', '-lspandsp', '-o', baseline]);
  return { dir, engine, baseline, cflags, libCflags, cc };
}

// ---- callgrind ----

interface FnCost { fn: string; file: string; object: string; ir: number }

function annotate(file: string, inclusive: boolean): FnCost[] {
  const out = run('callgrind_annotate', [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--threshold=100', '--auto=no', file], { quiet: true }).stdout;
  const rows: FnCost[] = [];
  let inTable = false;
  for (const line of out.split('\n')) {
    if (/file:function/.test(line)) { inTable = true; continue; }
    if (!inTable) continue;
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?)(?:\s+\[(.*)\])?\s*$/.exec(line);
    if (!m) continue;
    const where = m[2] ?? '';
    const colon = where.lastIndexOf(':');
    rows.push({ ir: Number((m[1] ?? '0').replace(/,/g, '')), file: colon >= 0 ? where.slice(0, colon) : '', fn: colon >= 0 ? where.slice(colon + 1) : where, object: m[3] ?? '' });
  }
  return rows;
}

function totalIr(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^totals:\s+(\d+)/m.exec(text) ?? /^summary:\s+(\d+)/m.exec(text);
  if (!m) throw new Error(`no totals in ${file}`);
  return Number(m[1]);
}

function inclusiveOf(rows: FnCost[], fn: string): number {
  return rows.filter((r) => r.fn === fn).reduce((a, r) => Math.max(a, r.ir), 0);
}

function callgrind(b: Build, channels: number, seconds: number) {
  const recdir = fs.mkdtempSync(path.join(b.dir, 'rec-ir-'));
  const engOut = path.join(b.dir, 'callgrind.engine');
  const baseOut = path.join(b.dir, 'callgrind.baseline');
  const vg = (out: string, toggles: string[], prog: string[]): RunResult =>
    run('valgrind', ['--tool=callgrind', '--collect-atstart=no', ...toggles.map((t) => `--toggle-collect=${t}`), `--callgrind-out-file=${out}`, ...prog], { quiet: true });
  log(`callgrind: engine, ${channels} channels x ${seconds} s`);
  const t0 = Date.now();
  const engRun = vg(engOut, ['bench_measured_tick', 'bench_sim_tick'], [b.engine, 'ir', String(channels), String(seconds), recdir]);
  log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  log(`callgrind: spandsp baseline, ${channels} channels x ${seconds} s`);
  const baseRun = vg(baseOut, ['bench_measured_tick'], [b.baseline, 'ir', String(channels), String(seconds)]);
  fs.rmSync(recdir, { recursive: true, force: true });

  const engInfo = JSON.parse(engRun.stdout) as { upAtStart: number; recordedAtStart: number; upAtEnd: number; recordedAtEnd: number; eventsDuringMeasure: number };
  const chs = channels * seconds;
  const engTotal = totalIr(engOut);
  const baseTotal = totalIr(baseOut);
  const incl = annotate(engOut, true);
  const excl = annotate(engOut, false);
  const io = {
    read: inclusiveOf(incl, 'bench_sim_read'),
    write: inclusiveOf(incl, 'bench_sim_write'),
    getEvent: inclusiveOf(incl, 'bench_sim_get_event'),
  };
  const ioTotal = io.read + io.write + io.getEvent;
  const engineOnly = engTotal - ioTotal;
  const perChS = (v: number): number => Math.round(v / chs);
  const driverFns = new Set(['op_read', 'op_write', 'op_get_event', 'bench_sim_read', 'bench_sim_write', 'bench_sim_get_event']);
  const topEngineFunctions = excl
    .filter((r) => !driverFns.has(r.fn))
    .slice(0, 12)
    .map((r) => ({
      function: r.fn,
      source: r.file === '???' ? path.basename(r.object) : path.relative(root, r.file).startsWith('..') ? r.file : path.relative(root, r.file),
      irPerChannelSecond: perChS(r.ir),
      shareOfEngine: round(r.ir / engineOnly, 3),
    }));
  const inclusiveBreakdown: Record<string, number> = {};
  for (const fn of ['hl_engine_step', 'media_rx', 'dtmf_rx', 'media_mix', 'media_record', 'sig_tick', 'publish', 'media_poll_recordings']) {
    const v = inclusiveOf(incl, fn);
    if (v) inclusiveBreakdown[fn] = perChS(v);
  }
  const baseExcl = annotate(baseOut, false).slice(0, 6).map((r) => ({
    function: r.fn, source: r.file === '???' ? path.basename(r.object) : path.basename(r.file), irPerChannelSecond: perChS(r.ir),
  }));
  return {
    engInfo, engTotal, baseTotal, io, ioTotal, engineOnly, topEngineFunctions, inclusiveBreakdown, baseExcl,
    engineIrPerChannelSecond: perChS(engineOnly),
    engineInclDriverIoIrPerChannelSecond: perChS(engTotal),
    baselineIrPerChannelSecond: perChS(baseTotal),
  };
}

// ---- wall-clock ticks ----

interface TimingRow {
  channels: number; recorded: number; up: number; ticks: number;
  engineWallMs: ReturnType<typeof summary>; engineCpuMs: ReturnType<typeof summary>;
  stepWallMs: ReturnType<typeof summary>; simWallMs: ReturnType<typeof summary>; simShare: number;
}

function timing(b: Build, channels: number, ticks: number, reps: number): TimingRow {
  const recdir = fs.mkdtempSync(path.join(b.dir, `rec-${channels}-`));
  const r = run(b.engine, ['timing', String(channels), String(ticks), String(reps), recdir], { quiet: true });
  fs.rmSync(recdir, { recursive: true, force: true });
  const d = JSON.parse(r.stdout) as { up: number; recorded: number; stepWallNs: number[]; stepCpuNs: number[]; simWallNs: number[]; simCpuNs: number[] };
  const engW = d.stepWallNs.map((v, i) => v - (d.simWallNs[i] ?? 0));
  const engC = d.stepCpuNs.map((v, i) => v - (d.simCpuNs[i] ?? 0));
  const stepSum = d.stepWallNs.reduce((a, v) => a + v, 0);
  const simSum = d.simWallNs.reduce((a, v) => a + v, 0);
  return {
    channels, recorded: d.recorded, up: d.up, ticks: d.stepWallNs.length,
    engineWallMs: summary(engW, 1e6), engineCpuMs: summary(engC, 1e6),
    stepWallMs: summary(d.stepWallNs, 1e6), simWallMs: summary(d.simWallNs, 1e6),
    simShare: round(simSum / stepSum, 3),
  };
}

// ---- Node side: events into JS ----

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

async function jsSide(channels: number, seconds: number) {
  const addon = loadAddon();
  const ops = addon.ops;
  const op = (name: string): number => {
    const v = ops[name];
    if (v === undefined) throw new Error(`addon has no op ${name}`);
    return v;
  };
  const nspans = Math.ceil(channels / 30);
  const spans = Array.from({ length: nspans }, (_, i) => ({
    kind: (i % 2 === 0 ? 'fxs' : 'fxo') as 'fxs' | 'fxo',
    channels: Math.min(30, channels - i * 30),
  }));
  let measuring = false;
  let callbacks = 0, nonStringArgs = 0, badBatches = 0, argCountNot1 = 0, events = 0, maxBatch = 0;
  let bucketStart = 0;
  const perSecond: number[] = [];
  const eventNames: Record<string, number> = {};
  const onEvents = (...args: unknown[]): void => {
    if (args.length !== 1) argCountNot1++;
    const batch = args[0];
    if (typeof batch !== 'string') { nonStringArgs++; return; }
    let parsed: unknown;
    try { parsed = JSON.parse(batch); } catch { badBatches++; return; }
    if (!Array.isArray(parsed) || !parsed.every((o: unknown) => typeof o === 'object' && o !== null && typeof (o as { event?: unknown }).event === 'string')) {
      badBatches++;
      return;
    }
    if (!measuring) return;
    callbacks++;
    events += parsed.length;
    maxBatch = Math.max(maxBatch, parsed.length);
    const sec = Math.floor((performance.now() - bucketStart) / 1000);
    perSecond[sec] = (perSecond[sec] ?? 0) + 1;
    for (const o of parsed as { event: string }[]) eventNames[o.event] = (eventNames[o.event] ?? 0) + 1;
  };
  const engine = new addon.Engine({ driver: 'sim', spans, zone: 'cn', speed: 1 }, onEvents);
  const recdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-js-'));
  try {
    engine.start();
    const chans = engine.channels();
    for (const c of chans) {
      if (c.kind === 'fxs') engine.submit({ op: op('simOffhook'), chan: c.chan });
      else {
        engine.submit({ op: op('setLine'), chan: c.chan, i1: -1, i2: 3, i3: -1 });
        engine.submit({ op: op('simCall'), chan: c.chan, s1: '5550100', i1: 0 });
      }
    }
    await sleep(400);
    for (const c of chans) engine.submit({ op: op('answer'), chan: c.chan });
    await sleep(200);
    // Even channels: the far end talks (a tone at -13 dBm0). Odd channels: the far end
    // keys DTMF during the measurement (spandsp's detector rejects digits under a
    // comparable competing tone, as a real caller does not talk while keying).
    for (const c of chans) {
      if (c.chan % 2 === 0) engine.submit({ op: op('simTalk'), chan: c.chan, i1: 300 + (c.chan * 37) % 1500, f1: -13 });
      engine.record(c.chan, c.chan, path.join(recdir, `rec-${c.chan}.wav`), false);
    }
    const keyers = chans.filter((c) => c.chan % 2 === 1);
    await sleep(200);
    const snap = engine.snapshot();
    const up = snap.filter((s) => s.state === 'up').length;
    const recording = snap.filter((s) => s.recording).length;
    log(`JS: ${up}/${channels} channels up, ${recording} recording; measuring ${seconds} s of event delivery`);

    const s0 = engine.stats();
    const eld = monitorEventLoopDelay({ resolution: 1 });
    eld.enable();
    measuring = true;
    bucketStart = performance.now();
    const t0 = performance.now();
    let next = 0;
    let dialled = 0;
    const dialTimer = setInterval(() => {
      // Far ends press keys: 8 channels every 100 ms (≈ 80 digits/s), so events flow every few ticks.
      for (let k = 0; k < 8; k++) {
        const c = keyers[next++ % keyers.length];
        if (!c) continue;
        engine.submit({ op: op('simDial'), chan: c.chan, s1: '0123456789*#'[dialled++ % 12] });
      }
    }, 100);
    await sleep(seconds * 1000);
    clearInterval(dialTimer);
    await sleep(100); // let the last batch arrive
    const elapsed = (performance.now() - t0) / 1000;
    measuring = false;
    eld.disable();
    const s1 = engine.stats();
    const ticks = s1.ticks - s0.ticks;
    engine.close();
    const files = fs.readdirSync(recdir).map((f) => fs.statSync(path.join(recdir, f)).size);
    return {
      channels, up, recording, secondsMeasured: round(elapsed, 2),
      jsDeliveriesPerSec: round(callbacks / elapsed, 1),
      maxCallbacksInAnySecond: Math.max(0, ...perSecond.filter((v) => v !== undefined)),
      eventsPerSec: round(events / elapsed, 1),
      maxEventsPerBatch: maxBatch,
      digitsSubmitted: dialled,
      eventCounts: eventNames,
      nonStringCallbackArgs: nonStringArgs, badBatches, callbacksWithArgCountNot1: argCountNot1,
      audioBuffersIntoJs: s1.audioBuffersIntoJs,
      stats: {
        ticks, notifies: s1.notifies - s0.notifies, deliveries: s1.deliveries - s0.deliveries,
        events: s1.events - s0.events, eventsDropped: s1.eventsDropped - s0.eventsDropped, overruns: s1.overruns - s0.overruns,
        meanTickWorkMsInclSim: round((s1.workNsTotal - s0.workNsTotal) / Math.max(1, ticks) / 1e6, 3),
        maxTickWorkMsSinceStart: round(s1.workNsMax / 1e6, 3),
      },
      eventLoopDelayMs: { p50: round(eld.percentile(50) / 1e6, 2), p99: round(eld.percentile(99) / 1e6, 2), max: round(eld.max / 1e6, 2) },
      recordings: { files: files.length, withAudio: files.filter((s) => s > 44).length, meanBytes: Math.round(files.reduce((a, s) => a + s, 0) / Math.max(1, files.length)) },
    };
  } finally {
    fs.rmSync(recdir, { recursive: true, force: true });
  }
}

// ---- the engine bench ----

function numArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

async function benchEngine(args: string[]): Promise<void> {
  const started = Date.now();
  const irChannels = numArg(args, 'channels', 240);
  const irSeconds = numArg(args, 'seconds', 2);
  const b = build();
  try {
    const cg = callgrind(b, irChannels, irSeconds);

    log('wall-clock ticks: engine step minus the sim board tick, per channel count');
    const rows: TimingRow[] = [];
    const counts = [120, 240, 480, 512, 960, 1920, 3840, 7680];
    const budgetMs = 20;
    for (const n of counts) {
      const reps = n <= 512 ? 3 : n <= 1920 ? 2 : 1;
      const row = timing(b, n, 190, reps);
      rows.push(row);
      log(`  ${n} ch (${row.recorded} recorded): engine p50 ${row.engineWallMs.p50} ms, p99 ${row.engineWallMs.p99} ms, max ${row.engineWallMs.max} ms; sim ${row.simWallMs.mean} ms/tick`);
      if (row.engineWallMs.p99 >= budgetMs) break;
      if (Date.now() - started > 120000) { log('  time budget reached, stopping the sweep'); break; }
    }
    const fits = (pick: (r: TimingRow) => number, allRecorded = true): number =>
      rows.filter((r) => pick(r) < budgetMs && r.up === r.channels && (!allRecorded || r.recorded === r.channels))
        .reduce((a, r) => Math.max(a, r.channels), 0);
    const fullyRecorded = rows.filter((r) => r.recorded === r.channels && r.up === r.channels);
    const largestFull = fullyRecorded[fullyRecorded.length - 1];
    const at480 = rows.find((r) => r.channels === 480);
    const baseTiming = JSON.parse(run(b.baseline, ['timing', '480', '570'], { quiet: true }).stdout) as { stepWallNs: number[] };
    const base480 = summary(baseTiming.stepWallNs, 1e6);

    log('Node side: addon Engine, real time, events into JS');
    const js = await jsSide(240, 3);

    const vgVersion = run('valgrind', ['--version'], { quiet: true }).stdout.trim();
    const ccVersion = run(b.cc, ['--version'], { quiet: true }).stdout.split('\n')[0] ?? '';
    const result = {
      bench: 'engine',
      date: new Date().toISOString(),
      host: { cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, node: process.version },
      compiler: ccVersion,
      cflags: b.cflags.join(' '),
      engineLibCflags: b.libCflags,
      valgrind: vgVersion,
      channels: irChannels,
      secondsSimulated: irSeconds,
      ticksSimulated: Math.round(irSeconds * 50),
      instrRatioVsSpandsp: round(cg.engineOnly / cg.baseTotal, 3),
      instrRatioInclDriverIo: round(cg.engTotal / cg.baseTotal, 3),
      engineIrPerChannelSecond: cg.engineIrPerChannelSecond,
      spandspIrPerChannelSecond: cg.baselineIrPerChannelSecond,
      rawIr: {
        engineCollected: cg.engTotal,
        engineSimDriverIo: cg.io,
        engineOnly: cg.engineOnly,
        baseline: cg.baseTotal,
      },
      engineCallState: cg.engInfo,
      inclusiveIrPerChannelSecond: cg.inclusiveBreakdown,
      topEngineFunctions: cg.topEngineFunctions,
      topBaselineFunctions: cg.baseExcl,
      channelsRealtime: fits((r) => r.engineWallMs.p99),
      channelsRealtimeByCpuTime: fits((r) => r.engineCpuMs.p99),
      channelsRealtimeRecordingCapped: fits((r) => r.engineWallMs.p99, false),
      channelsPerCoreByMean: largestFull ? Math.floor(budgetMs / (largestFull.engineWallMs.mean / largestFull.channels)) : null,
      cpuShareAt480: at480 ? round(at480.engineWallMs.mean / budgetMs, 4) : null,
      cpuShareAt480InclSim: at480 ? round(at480.stepWallMs.mean / budgetMs, 4) : null,
      baselineCpuShareAt480: round(base480.mean / budgetMs, 4),
      baselineTickMsAt480: base480,
      timing: rows,
      jsDeliveriesPerSec: js.jsDeliveriesPerSec,
      audioBuffersIntoJs: js.audioBuffersIntoJs,
      js,
      notes: [
        'Ir: callgrind --collect-atstart=no --toggle-collect=bench_measured_tick (one engine tick, hl_engine_step) ' +
          '--toggle-collect=bench_sim_tick (the sim board tick, i.e. the virtual PSTN far end, switched off inside measured ticks). ' +
          'The sim driver read/write/get_event calls are measured as the inclusive cost of bench wrappers and subtracted for instrRatioVsSpandsp ' +
          '(a DAHDI board does this work in the kernel); instrRatioInclDriverIo keeps them in.',
        'Engine calls: half the channels are FXS ports whose phone went off-hook and was answered, half FXO lines rung by the exchange and answered; ' +
          'FXO lines are set to loop/polarity disconnect (no busy-tone detector) so engine and baseline do the same receive DSP: DTMF only. ' +
          'Every far end sends a tone at -13 dBm0; every channel records mono (line+sent mixed) into its ring.',
        'Baseline: per channel per 20 ms block alaw_to_linear, dtmf_rx (realtime callback), silence block -> linear_to_alaw, rx+tx mixed into a recording ring; spandsp 0.0.6 from Debian.',
        'Wall clock: hl_engine_step on the bench thread (engine not started), CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID; the sim tick is timed through a wrapper ' +
          'around ops->tick and subtracted per tick (driver read/write stay in). Each repetition is a fresh engine measured for 190 ticks, because without the engine\'s ' +
          'writer thread the 4 s recording ring would fill after 199 ticks. channelsRealtime = largest count whose engine-only wall p99 < 20 ms with every channel up. ' +
          'The box is a shared 2-vCPU VM: p99/max are noise-sensitive; means are stable.',
        'The engine records at most 512 channels (MAX_RECORDINGS); above that count the extra channels run without recording (see timing[].recorded). ' +
          'channelsRealtime only counts sweeps where every channel records (so it cannot exceed 512); channelsRealtimeRecordingCapped drops that condition; ' +
          'channelsPerCoreByMean = 20 ms / mean engine-only wall time per channel at the largest fully recorded count (a throughput extrapolation, not a measurement).',
        'JS: addon Engine with 240 sim channels at speed 1, all answered and recording, even far ends talking, odd far ends keying DTMF; callbacks are counted per second; audioBuffersIntoJs is what engine.stats() reports ' +
          '(a constant 0 in addon.cc, not a counter), so the bench also checks every callback argument is one JSON string of event objects (nonStringCallbackArgs, badBatches).',
      ],
      benchSeconds: round((Date.now() - started) / 1000, 1),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    fs.rmSync(b.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [which, ...rest] = process.argv.slice(2);
  switch (which) {
    case 'engine':
      await benchEngine(rest);
      break;
    case 'calls':
      await benchCalls(rest);
      break;
    case 'acd':
      await benchAcd(rest);
      break;
    case 'panel':
      await benchPanel(rest);
      break;
    default:
      process.stderr.write('usage: npm run bench -- engine [--channels N] [--seconds S]\n' +
        '       npm run bench -- calls [--speed 5] [--seconds 600] [--rate 10] [--baseline-seconds 60] [--realtime-seconds 15] [--seed N]\n' +
        '       npm run bench -- acd [--callers 10000] [--agents 500] [--queues 20] [--decisions 20000] [--rounds 30] [--skip-reports]\n' +
        '       npm run bench -- panel [--calls 5]\n');
      process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
