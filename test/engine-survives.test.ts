// The engine outlives its supervisor: a bridged call keeps its audio when the
// client's socket drops, and a client that connects afterwards gets the full
// state, including the bridge, before any event.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { EngineClient } from '../src/telephony/engine-client.js';
import { startPrivateEngine, type PrivateEngine } from '../src/cli/scenario.js';
import { encodeFrame, FrameDecoder, PROTOCOL_VERSION } from '../src/telephony/protocol.js';
import type { EngineEvent } from '../src/telephony/protocol.js';
import fs from 'node:fs';
import { readWav, toneShare } from '../src/scenario/wav-check.js';

let engine: PrivateEngine;

test.before(async () => { engine = await startPrivateEngine({ speed: 10 }); });
test.after(async () => { await engine.stop(); });

async function heard(c: EngineClient, chan: number, freq: number): Promise<boolean> {
  const wait = c.waitFor((e) => e.event === 'SimAudioMeasured' && e.chan === chan, 5000);
  await c.sim('listen', chan, { freq, ms: 300 });
  return (await wait).heard as boolean;
}

test('a bridged call keeps flowing after the supervisor socket drops, and a new client sees it', async () => {
  const a = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await a.connect();
  await a.sim('offhook', 5);
  const lifted = a.waitFor((e) => e.event === 'HookChanged' && e.chan === 6, 5000);
  await a.sim('offhook', 6);
  await lifted;
  await a.answer(5);
  await a.answer(6);
  await a.bridge(5, 6);
  await a.sim('talk', 5, { freq: 700 });
  assert.ok(await heard(a, 6, 700), 'audio flows before the drop');
  a.close();
  await new Promise((r) => setTimeout(r, 300));

  const b = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await b.connect();
  assert.is(b.states.get(5)?.bridgedTo, 6, 'state dump shows the bridge');
  assert.is(b.states.get(5)?.state, 'up');
  assert.ok(await heard(b, 6, 700), 'audio still flows after the drop');
  await b.hangup(5);
  await b.hangup(6);
  await b.sim('onhook', 5);
  const down = b.waitFor((e) => e.event === 'HookChanged' && e.chan === 6 && e.offhook === false, 5000);
  await b.sim('onhook', 6);
  await down;
  b.close();
});

// Engine time from the engine itself (events need not come while we wait).
async function engineTime(c: EngineClient): Promise<number> { return (await c.stats()).time as number; }
async function untilEngineTime(c: EngineClient, t: number): Promise<void> {
  while ((await engineTime(c)) < t) await new Promise((r) => setTimeout(r, 10));
}
const fileSize = (p: string) => { try { return fs.statSync(p).size; } catch { return 0; } };

test('a recording goes on across a supervisor socket drop: the WAV grows after the drop and is whole after stop', async () => {
  const a = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await a.connect();
  const lifted = a.waitFor((e) => e.event === 'HookChanged' && e.chan === 8 && e.offhook === true, 5000);
  await a.sim('offhook', 8);
  await lifted;
  await a.answer(8);
  await a.sim('talk', 8, { freq: 1000 });
  const rec = await a.record(8);
  const started = await engineTime(a);
  await untilEngineTime(a, started + 3000);
  a.close();
  // The writer flushes about once a second of audio; a file that stops growing
  // once the socket is gone means the recording died with the client.
  const sizeAtDrop = fileSize(rec.path);
  const b = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await b.connect();
  assert.is(b.states.get(8)?.recording, rec.recordingId, 'the state dump shows the recording still running');
  const dropAt = await engineTime(b);
  await untilEngineTime(b, dropAt + 4000);
  const sizeLater = fileSize(rec.path);
  assert.ok(sizeLater > sizeAtDrop + 2 * 8000 * 2, `the WAV grew after the drop by more than 2 s of audio: ${sizeAtDrop} -> ${sizeLater} bytes`);
  const finished = b.waitFor((e) => e.event === 'RecordingFinished' && e.recordingId === rec.recordingId, 5000);
  await b.recordStop(8);
  const fin = await finished;
  const stoppedAt = fin.time;
  const w = readWav(rec.path);
  const ms = (w.frames * 1000) / w.rate;
  assert.is(w.channels, 1);
  assert.is(w.rate, 8000);
  assert.ok(ms >= stoppedAt - started - 200 && ms <= stoppedAt - started + 200,
    `the WAV holds the whole recording: ${ms.toFixed(0)} ms for ${stoppedAt - started} ms of engine time`);
  assert.is(fs.statSync(rec.path).size, 44 + w.frames * 2, 'the header covers every byte of audio (no trailing junk, no short header)');
  assert.ok(toneShare(w.samples[0]!.subarray(w.frames - 8000), 8000, 1000) > 0.5, 'the last second, after the drop, holds the caller');
  await b.hangup(8);
  const down = b.waitFor((e) => e.event === 'HookChanged' && e.chan === 8 && e.offhook === false, 5000);
  await b.sim('onhook', 8);
  await down;
  fs.rmSync(rec.path, { force: true });
  b.close();
});

test('a reconnecting client picks up again and events carry increasing seq numbers', async () => {
  const c = new EngineClient({ socketPath: engine.socketPath, reconnect: true });
  await c.connect();
  const seqs: number[] = [];
  c.on('event', (e: EngineEvent) => seqs.push(e.seq));
  const lifted = c.waitFor((e) => e.event === 'HookChanged' && e.chan === 7, 5000);
  await c.sim('offhook', 7);
  await lifted;
  const reconnected = new Promise((r) => c.once('reconnected', r));
  // Drop the socket under the client: it must reconnect by itself.
  (c as unknown as { socket: net.Socket }).socket.destroy();
  await reconnected;
  const down = c.waitFor((e) => e.event === 'HookChanged' && e.chan === 7 && e.offhook === false, 5000);
  await c.sim('onhook', 7);
  await down;
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq ${seqs[i]} follows ${seqs[i - 1]}`);
  c.close();
});

test('malformed input on the socket gets clear errors and the engine keeps serving', async () => {
  const s = net.connect(engine.socketPath);
  const dec = new FrameDecoder();
  const got: { type: string; error?: { code: string }; id?: number; ok?: boolean }[] = [];
  s.on('data', (d) => dec.push(d, (v) => got.push(v as never), () => {}));
  await new Promise((r) => s.once('connect', r));
  const bad = Buffer.from('{not json');
  const head = Buffer.alloc(4); head.writeUInt32BE(bad.length);
  s.write(Buffer.concat([head, bad]));
  s.write(encodeFrame({ type: 'cmd', id: 1, verb: 'answer', chan: 5 }));
  s.write(encodeFrame({ type: 'hello', protocol: PROTOCOL_VERSION }));
  s.write(encodeFrame({ type: 'cmd', id: 2, verb: 'answer', chan: 'five' }));
  s.write(encodeFrame({ type: 'cmd', id: 3, verb: 'ring', chan: 6, args: { number: '12<script>' } }));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(got.some((m) => m.type === 'error' && m.error?.code === 'malformed'), 'bad JSON reported');
  assert.ok(got.some((m) => m.type === 'result' && m.id === 1 && m.error?.code === 'no_hello'), 'command before hello refused');
  assert.ok(got.some((m) => m.type === 'result' && m.id === 2 && m.error?.code === 'malformed'), 'wrong field type refused');
  assert.ok(got.some((m) => m.type === 'result' && m.id === 3 && m.error?.code === 'validation_failed'), 'non-digit number refused');
  // An oversized frame is fatal for that connection only.
  const huge = Buffer.alloc(4); huge.writeUInt32BE(0x7fffffff);
  s.write(huge);
  await new Promise((r) => s.once('close', r));
  const c = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await c.connect();
  assert.ok(c.channels.length > 0, 'engine still serves new clients');
  c.close();
});

test('timers fire in engine time, in order, and a cancelled timer never fires', async () => {
  const c = new EngineClient({ socketPath: engine.socketPath, reconnect: false });
  await c.connect();
  const fired: { id: number; time: number }[] = [];
  c.on('event', (e: EngineEvent) => { if (e.event === 'TimerFired') fired.push({ id: e.timerId as number, time: e.time }); });
  const t0 = c.lastTime;
  const late = await c.timer(600);
  const early = await c.timer(200);
  const cancelled = await c.timer(400);
  await c.cancelTimer(cancelled);
  await c.waitFor((e) => e.event === 'TimerFired' && e.timerId === late, 5000);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(fired.map((f) => f.id), [early, late], 'early fires before late; the cancelled one never');
  // Engine time runs on while the commands travel (more so on a loaded
  // machine), so only the lower bound and the order hold exactly.
  const lateAt = fired[1]!.time;
  assert.ok(lateAt - t0 >= 600, `600 ms timer fired after ${lateAt - t0} ms of engine time`);
  await c.cancelTimer(late);   // already fired: not an error
  const bad = await c.request('timer', undefined, { ms: -1 }).then(() => null, (e: Error & { code?: string }) => e.code);
  assert.is(bad, 'validation_failed', 'a negative delay is refused');
  c.close();
});

test.run();
