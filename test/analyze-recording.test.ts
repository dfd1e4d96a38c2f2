// A field tech's analyzer reads what the engine recorded: DTMF pressed on a
// simulated phone comes back with digits and times, and bad files get a clear
// error and exit code 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { EngineClient } from '../src/telephony/engine-client.js';
import { startPrivateEngine } from '../src/cli/scenario.js';
import { analyzeCommand } from '../src/cli/analyze.js';
import { loadAddon } from '../src/native/addon.js';

test('digits dialled into a recorded call are found by hotline analyze --json', async () => {
  const engine = await startPrivateEngine({ speed: 10 });
  const c = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  try {
    await c.connect();
    const lifted = c.waitFor((e) => e.event === 'HookChanged' && e.chan === 5, 5000);
    await c.sim('offhook', 5);
    await lifted;
    await c.answer(5);
    const { path: file } = await c.record(5, { name: 'dtmf-check' });
    await c.sim('dial', 5, { digits: '2580#' });
    await c.waitFor((e) => e.event === 'DtmfReceived' && e.digit === '#', 5000);
    const done = c.waitFor((e) => e.event === 'RecordingFinished' && e.chan === 5, 5000);
    await c.recordStop(5);
    await done;
    let out = '';
    const code = await analyzeCommand([file, '--json'], loadAddon(), { out: (t) => { out += t; }, err: () => {} });
    assert.is(code, 0);
    const a = JSON.parse(out) as { dtmf: { digit: string; startMs: number; endMs: number }[] };
    assert.is(a.dtmf.map((d) => d.digit).join(''), '2580#');
    for (const d of a.dtmf) assert.ok(d.endMs > d.startMs, 'each digit has a duration');
    await c.hangup(5);
    const down = c.waitFor((e) => e.event === 'HookChanged' && e.chan === 5 && e.offhook === false, 5000);
    await c.sim('onhook', 5);
    await down;
  } finally {
    c.close();
    await engine.stop();
    fs.rmSync(engine.dataDir, { recursive: true, force: true });
  }
});

test('an unreadable file is a clear error with exit code 2', async () => {
  const tmp = fs.mkdtempSync('/tmp/hl-analyze-');
  const bad = path.join(tmp, 'bad.wav');
  fs.writeFileSync(bad, 'RIFF\x10\x00\x00\x00WAVEjunk');
  let err = '';
  const code = await analyzeCommand([bad, '--json'], loadAddon(), { out: () => {}, err: (t) => { err += t; } });
  assert.is(code, 2);
  assert.ok(err.length > 0 && err.includes('bad.wav'), `error names the file: ${err}`);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test.run();
