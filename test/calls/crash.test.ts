// kill -9 of the supervisor mid-call: the engine keeps the bridged call up,
// a restarted supervisor adopts it and closes its CDR normally at the end; a
// call that was in the IVR is closed as interrupted; no finished CDR is lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { startPrivateEngine, type PrivateEngine } from '../../src/cli/scenario.js';
import { EngineClient } from '../../src/telephony/engine-client.js';
import type { EngineEvent } from '../../src/telephony/protocol.js';
import { Store } from '../../src/store/store.js';
import { projectRoot } from '../../src/native/addon.js';
import { cdrFromJournal } from '../../src/reports/cdr-from-journal.js';

let engine: PrivateEngine;
let far: EngineClient;
let dataDir: string;

function startSupervisor(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'hotline.js'), 'supervisor', '--data-dir', dataDir, '--socket', engine.socketPath, '--seed', path.join(projectRoot(), 'config', 'demo.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => { out += String(d); if (out.includes('SupervisorStarted') || out.includes('"msg"') || out.length > 0) { /* logs flowing */ } };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => { out += String(d); });
    child.once('exit', (code) => reject(new Error(`supervisor exited ${code}: ${out}`)));
    // Ready once it has journaled its start.
    const t0 = Date.now();
    const poll = setInterval(() => {
      try {
        const s = Store.open(path.join(dataDir, 'hotline.db'));
        const n = s.journal.query({ event: 'SupervisorStarted' }).length;
        s.close();
        if (n >= started + 1) { clearInterval(poll); child.removeAllListeners('exit'); started = n; resolve(child); }
      } catch { /* not created yet */ }
      if (Date.now() - t0 > 15000) { clearInterval(poll); reject(new Error(`supervisor did not start: ${out}`)); }
    }, 50);
  });
}
let started = 0;

const wait = (match: (e: EngineEvent) => boolean, ms = 15000) => far.waitFor(match, ms).catch(() => { throw new Error(`no event ${match.toString()} within ${ms} ms`); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hears(chan: number, freq: number): Promise<boolean> {
  const w = wait((e) => e.event === 'SimAudioMeasured' && e.chan === chan);
  await far.sim('listen', chan, { freq, ms: 300 });
  return (await w).heard as boolean;
}

test.before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-crash-'));
  engine = await startPrivateEngine({ speed: 10, dataDir });
  far = new EngineClient({ socketPath: engine.socketPath, name: 'far', reconnect: false });
  await far.connect();
});
test.after(async () => { far.close(); await engine.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); });

test('a bridged call survives kill -9 of the supervisor and its CDR is closed by the next one; an IVR call is closed as interrupted', async () => {
  let sup = await startSupervisor();
  // A finished call before the crash.
  await far.sim('offhook', 5);
  await wait((e) => e.event === 'SimToneHeard' && e.chan === 5 && e.tone === 'dial');
  await far.sim('dial', 5, { digits: '804' });
  await wait((e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await far.sim('answer', 8);
  await wait((e) => e.event === 'BridgeCreated' && (e.chan === 5 || e.chan === 8));
  const downA = wait((e) => e.event === 'HookChanged' && e.chan === 5 && e.offhook === false);
  await far.sim('onhook', 5);
  await downA;
  await far.sim('onhook', 8);
  // A bridged call: 801 → 802.
  await far.sim('offhook', 5);
  await wait((e) => e.event === 'SimToneHeard' && e.chan === 5 && e.tone === 'dial');
  await far.sim('dial', 5, { digits: '802' });
  await wait((e) => e.event === 'SimPhoneRang' && e.chan === 6);
  await far.sim('answer', 6);
  await wait((e) => e.event === 'BridgeCreated' && (e.chan === 5 || e.chan === 6));
  // An outside call sitting in the menu (or the night announcement).
  await far.sim('call', 1, { from: '13955556666', callerId: 'bell202' });
  await wait((e) => e.event === 'PlaybackStarted' && e.chan === 1);
  await sleep(100);

  sup.kill('SIGKILL');
  await new Promise((r) => sup.once('exit', r));
  await far.sim('talk', 5, { freq: 700 });
  assert.ok(await hears(6, 700), 'the bridged call still carries audio with no supervisor');

  const lineCleared = wait((e) => e.event === 'SimLineReleased' && e.chan === 1);
  sup = await startSupervisor();
  await lineCleared;
  const down = wait((e) => e.event === 'HookChanged' && e.chan === 6 && e.offhook === false);
  await far.sim('onhook', 5);
  await wait((e) => e.event === 'HookChanged' && e.chan === 5 && e.offhook === false);
  await far.sim('onhook', 6);
  await down;
  await sleep(300);
  sup.kill('SIGTERM');
  await new Promise((r) => sup.once('exit', r));

  const store = Store.open(path.join(dataDir, 'hotline.db'));
  const cdrs = store.cdr.list({});
  for (const c of cdrs) {
    const { legs: _legs, ...stored } = c;
    assert.equal(cdrFromJournal(c.journey, store.journal.forJourney(c.journey)), stored, `CDR ${c.callee} rebuilt from the journal`);
  }
  store.close();
  assert.is(cdrs.length, 3, `three calls: ${cdrs.map((c) => `${c.callee}:${c.disposition}`).join(', ')}`);
  const first = cdrs.find((c) => c.callee === '804')!;
  assert.is(first.disposition, 'answered', 'the call finished before the crash is kept');
  const bridged = cdrs.find((c) => c.callee === '802')!;
  assert.is(bridged.disposition, 'answered', 'the adopted call ends normally');
  assert.ok(bridged.endedAt && (bridged.talkS ?? 0) >= 1, `talk time ${bridged.talkS}`);
  const ivr = cdrs.find((c) => c.direction === 'inbound')!;
  assert.is(ivr.disposition, 'interrupted');
  assert.is(ivr.hangupCause, 'supervisor-restart');
});

test('a caller waiting in a queue survives kill -9 of the supervisor: the next one puts them back in their place, an agent answers, the queue counts them once', async () => {
  let sup = await startSupervisor();
  // The demo's agents (2001-2003, phones 8-10) are logged in; their phones off the hook take no offers.
  for (const chan of [8, 9, 10]) {
    const tone = wait((e) => e.event === 'SimToneHeard' && e.chan === chan && e.tone === 'dial');
    await far.sim('offhook', chan);
    await tone;
  }
  // A call to the 400 number over the E1 goes to the service queue day and night.
  await far.sim('call', 13, { dnis: '4008001234', ani: '13966667777', category: 1 });
  const journeyOf = async (): Promise<string | undefined> => {
    const st = Store.open(path.join(dataDir, 'hotline.db'));
    try { return st.journal.query({ kind: 'queue', event: 'QueueJoined' }).find((e) => e.data.caller === '13966667777')?.journey ?? undefined; } finally { st.close(); }
  };
  let journey: string | undefined;
  for (let i = 0; i < 200 && !(journey = await journeyOf()); i++) await sleep(50);
  assert.ok(journey, 'the caller joined the queue');
  await sleep(200);

  sup.kill('SIGKILL');
  await new Promise((r) => sup.once('exit', r));
  sup = await startSupervisor();
  // Agent 2001 puts the phone down: the caller waiting since before the crash rings it.
  const rang = wait((e) => e.event === 'SimPhoneRang' && e.chan === 8, 20000);
  await far.sim('onhook', 8);
  await rang;
  await far.sim('answer', 8);
  await wait((e) => e.event === 'BridgeCreated' && (e.chan === 8 || e.chan === 13));
  await far.sim('talk', 13, { freq: 900 });
  assert.ok(await hears(8, 900), 'the agent talks to the caller who waited across the restart');
  const released = wait((e) => e.event === 'HookChanged' && e.chan === 8 && e.offhook === false);
  await far.sim('hangup', 13);
  await sleep(300);
  await far.sim('onhook', 8);
  await released;
  for (const chan of [9, 10]) await far.sim('onhook', chan);
  await sleep(300);
  sup.kill('SIGTERM');
  await new Promise((r) => sup.once('exit', r));

  const store = Store.open(path.join(dataDir, 'hotline.db'));
  const entries = store.journal.forJourney(journey!);
  const cdr = store.cdr.get(journey!)!;
  const { legs: _legs, ...stored } = cdr;
  assert.equal(cdrFromJournal(journey!, entries), stored, 'the CDR rebuilds from the journal');
  store.close();
  const q = entries.filter((e) => e.kind === 'queue').map((e) => e.event);
  assert.equal(q.filter((e) => e === 'QueueJoined').length, 1, `joined once: ${q.join(' ')}`);
  assert.ok(q.includes('QueueResumed') && q.includes('QueueAnswered'), q.join(' '));
  assert.equal([cdr.disposition, cdr.agent, cdr.queue, cdr.did], ['answered', '2001', 'service', '4008001234']);
});

test.run();
