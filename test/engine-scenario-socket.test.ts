// `hotline scenario run FILE --socket PATH` drives an engine that is already
// running (an installer's acceptance test on a live box): the scenario passes,
// the runner reports the engine's own speed, and the engine serves on after it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { EngineClient } from '../src/telephony/engine-client.js';
import { startPrivateEngine, type PrivateEngine } from '../src/cli/scenario.js';
import { projectRoot } from '../src/native/addon.js';

let engine: PrivateEngine;

test.before(async () => { engine = await startPrivateEngine({ speed: 10 }); });
test.after(async () => { await engine.stop(); });

function hotline(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'hotline.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('scenario run --socket runs a scenario against an engine that is already running', async () => {
  const file = path.join(projectRoot(), 'test', 'scenarios', 'fxo-incoming-bell202.json');
  const r = await hotline(['scenario', 'run', file, '--socket', engine.socketPath]);
  assert.is(r.code, 0, `exit code 0, output:\n${r.out}`);
  assert.match(r.out, /^1 passed, 0 failed$/m);
  assert.match(r.out, /^ok \d+ - timing: speed [\d.]+x \(asked 10x, analog\), overruns 0/m, 'timing reports the live engine\'s speed');
  assert.ok(!/not ok/.test(r.out), `no failed step:\n${r.out}`);

  const c = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await c.connect();
  assert.is(c.states.get(1)?.state, 'idle', 'the line the scenario used is idle again');
  c.close();
});

test('scenario run --socket counts a file it cannot load as failed and exits 1', async () => {
  const r = await hotline(['scenario', 'run', path.join(projectRoot(), 'test', 'scenarios', 'bad-input.json'),
    path.join(projectRoot(), 'test', 'scenarios', 'no-such-file.json'), '--socket', engine.socketPath]);
  assert.is(r.code, 1, `exit code 1, output:\n${r.out}`);
  assert.match(r.out, /^1 passed, 1 failed$/m);
  assert.match(r.out, /not ok - .*no-such-file\.json/);
});

test.run();
