// `hotline scenario run FILE... [--socket PATH --data-dir DIR] [--speed N]`:
// runs scenario files against a live engine. With --socket it uses a running
// box (an installer's acceptance test); otherwise it starts a private engine
// on the sim board, and a supervisor for scenarios that name a `box`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineClient } from '../telephony/engine-client.js';
import { ScenarioRunner, loadScenario, type ScenarioResult } from '../scenario/runner.js';
import { projectRoot } from '../native/addon.js';
import { Supervisor } from '../supervisor.js';
import { Store } from '../store/store.js';
import { createLogger } from '../log.js';
import type { Scenario } from '../scenario/format.js';

export interface PrivateEngine { socketPath: string; dataDir: string; child: ChildProcess; stop(): Promise<void> }

export async function startPrivateEngine(opts: { speed: number; profile?: string; dataDir?: string }): Promise<PrivateEngine> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-engine-'));
  const socketPath = path.join(dataDir, 'engine.sock');
  const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'hotline-engine.js'),
    '--speed', String(opts.speed), '--profile', opts.profile ?? 'sim-demo', '--data-dir', dataDir, '--socket', socketPath],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const deadline = Date.now() + 15000;
  while (!fs.existsSync(socketPath)) {
    if (child.exitCode !== null) throw new Error(`engine exited: ${stderr.trim()}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('engine did not start within 15 s'); }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    socketPath, dataDir, child,
    stop: () => new Promise<void>((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
    }),
  };
}

export async function runScenarioFiles(files: string[], opts: { socket?: string; dataDir?: string; speed: number; print: (l: string) => void }): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  // Scenarios in groups that share an engine: on a live box one group; on
  // private engines one per board profile and speed, in the files' order.
  const groups = new Map<string, { profile: string; speed: number; items: { f: string; sc: Scenario }[] }>();
  for (const f of files) {
    let sc: Scenario;
    try {
      sc = loadScenario(f);
    } catch (e) {
      opts.print(`not ok - ${(e as Error).message}`);
      results.push({ name: path.basename(f), file: f, ok: false, steps: [] });
      continue;
    }
    const speed = sc.speed ?? opts.speed;
    const key = opts.socket ? 'live' : `${sc.profile}|${speed}`;
    let g = groups.get(key);
    if (!g) { g = { profile: sc.profile, speed, items: [] }; groups.set(key, g); }
    g.items.push({ f, sc });
  }
  for (const g of groups.values()) results.push(...await runGroup(g, opts));
  return results;
}

async function runGroup(g: { profile: string; speed: number; items: { f: string; sc: Scenario }[] }, opts: { socket?: string; dataDir?: string; speed: number; print: (l: string) => void }): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  let engine: PrivateEngine | undefined;
  const socketPath = opts.socket ?? (engine = await startPrivateEngine({ speed: g.speed, profile: g.profile })).socketPath;
  const client = new EngineClient({ socketPath, name: 'scenario', reconnect: false });
  try {
    await client.connect();
    const runner = new ScenarioRunner(client, { shared: !!opts.socket });
    for (const { f, sc } of g.items) {
      const box = sc.box ? await startBox(sc, f, socketPath, opts) : undefined;
      runner.store = box?.store;
      try {
        results.push(await runner.run(sc, f, opts.print));
      } catch (e) {
        opts.print(`not ok - ${path.basename(f)}: ${(e as Error).message}`);
        results.push({ name: sc.name, file: f, ok: false, steps: [] });
      } finally {
        await box?.stop();
      }
    }
  } finally {
    client.close();
    await engine?.stop();
    if (engine) fs.rmSync(engine.dataDir, { recursive: true, force: true });
  }
  return results;
}

// The supervisor for a scenario with a `box`: on a private engine, a fresh one
// in this process with the scenario's configuration; against a live box, that
// box's own store (--data-dir) read for journal and CDR expectations.
async function startBox(sc: Scenario, file: string, socketPath: string, opts: { socket?: string; dataDir?: string }): Promise<{ store: Store; stop(): Promise<void> }> {
  if (opts.socket) {
    const store = Store.open(path.join(path.resolve(opts.dataDir ?? process.env.HOTLINE_DATA_DIR ?? 'data'), 'hotline.db'));
    return { store, stop: async () => store.close() };
  }
  const configFile = path.resolve(path.dirname(file), sc.box!.config);
  const seedConfig = JSON.parse(fs.readFileSync(configFile, 'utf8')) as unknown;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-scenario-box-'));
  const sup = await Supervisor.start({ dataDir, socketPath, seedConfig, log: createLogger({}, () => {}, 'silent') });
  if (sc.box!.at) sup.setClock(new Date(sc.box!.at));
  return {
    store: sup.store,
    stop: async () => { await sup.calls.idle(); await sup.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  };
}

export async function scenarioCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { socket: { type: 'string' }, 'data-dir': { type: 'string' }, speed: { type: 'string', default: '20' } },
  });
  if (positionals[0] !== 'run' || positionals.length < 2) {
    process.stderr.write('usage: hotline scenario run FILE... [--socket PATH --data-dir DIR] [--speed N]\n');
    return 2;
  }
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0) { process.stderr.write(`--speed: ${values.speed} must be a positive number\n`); return 2; }
  const results = await runScenarioFiles(positionals.slice(1), { socket: values.socket, dataDir: values['data-dir'], speed, print: (l) => console.log(l) });
  const timed = results.flatMap((r) => (r.timing ? [r.timing] : []));
  if (timed.length) {
    const slowest = Math.min(...timed.map((t) => t.speed));
    console.log(`# timing: slowest ${slowest.toFixed(1)}x, ${timed.reduce((n, t) => n + t.overruns, 0)} overruns in ${timed.length} scenarios`);
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return passed === results.length ? 0 : 1;
}
