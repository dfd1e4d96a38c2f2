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
