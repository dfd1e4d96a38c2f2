// `hotline scenario run FILE... [--socket PATH] [--speed N]`: runs scenario
// files against a live engine. With --socket it uses a running engine (a real
// box, for acceptance); otherwise it starts a private engine on the sim board.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineClient } from '../telephony/engine-client.js';
import { ScenarioRunner, loadScenario, type ScenarioResult } from '../scenario/runner.js';
import { projectRoot } from '../native/addon.js';

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

export async function runScenarioFiles(files: string[], opts: { socket?: string; speed: number; print: (l: string) => void }): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  let engine: PrivateEngine | undefined;
  const socketPath = opts.socket ?? (engine = await startPrivateEngine({ speed: opts.speed })).socketPath;
  const client = new EngineClient({ socketPath, name: 'scenario', reconnect: false });
  try {
    await client.connect();
    const runner = new ScenarioRunner(client);
    for (const f of files) {
      let sc;
      try {
        sc = loadScenario(f);
      } catch (e) {
        opts.print(`not ok - ${(e as Error).message}`);
        results.push({ name: path.basename(f), file: f, ok: false, steps: [] });
        continue;
      }
      results.push(await runner.run(sc, f, opts.print));
    }
  } finally {
    client.close();
    await engine?.stop();
    if (engine) fs.rmSync(engine.dataDir, { recursive: true, force: true });
  }
  return results;
}

export async function scenarioCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { socket: { type: 'string' }, speed: { type: 'string', default: '20' } },
  });
  if (positionals[0] !== 'run' || positionals.length < 2) {
    process.stderr.write('usage: hotline scenario run FILE... [--socket PATH] [--speed N]\n');
    return 2;
  }
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0) { process.stderr.write(`--speed: ${values.speed} must be a positive number\n`); return 2; }
  const results = await runScenarioFiles(positionals.slice(1), { socket: values.socket, speed, print: (l) => console.log(l) });
  const passed = results.filter((r) => r.ok).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return passed === results.length ? 0 : 1;
}
