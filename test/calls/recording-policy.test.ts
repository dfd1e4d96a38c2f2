// Recording policy on real calls: an extension set to `never` is not recorded
// even when someone keys *8; on an on-demand call *8 starts a recording and *8
// again stops it; *9 pauses it (the file then holds less than the call) and
// *9 again resumes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { startBox, farWait, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import type { RecordingRow } from '../../src/store/recording-repo.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => { box = await startBox(undefined, { at: TUESDAY_10AM }); f = farEnd(box); });
test.after(async () => { await box.stop(); });

// Stereo 16-bit 8 kHz: 32 bytes a millisecond after the 44-byte header.
const BYTES_PER_MS = 8 * 2 * 2;

// 801 (port 5) calls an extension and it answers; resolves with the journey.
async function callFrom801(ext: string, chan: number): Promise<string> {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === chan);
  const journey = await f.dial(5, ext);
  await rang;
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', chan);
  await up;
  return journey;
}

async function endCall(journey: string, chan: number): Promise<void> {
  const done = f.on(journey, 'CallEnded');
  await f.hangUp(5);
  await done;
  await f.hangUp(chan);
}

// The finished recording row, once the engine has closed the file.
async function finishedRecording(journey: string): Promise<RecordingRow> {
  for (let i = 0; i < 100; i++) {
    const r = box.sup.store.recordings.forJourney(journey);
    if (r.length && r.every((x) => x.status !== 'recording')) return r[0]!;
    await sleep(20);
  }
  throw new Error(`recording of ${journey} not finished: ${JSON.stringify(box.sup.store.recordings.forJourney(journey))}`);
}

function assertWav(r: RecordingRow): void {
  assert.ok(fs.existsSync(r.path), `the WAV ${r.path} exists`);
  const head = Buffer.alloc(44);
  const fd = fs.openSync(r.path, 'r');
  fs.readSync(fd, head, 0, 44, 0);
  fs.closeSync(fd);
  assert.is(head.toString('latin1', 0, 4), 'RIFF');
  assert.is(head.readUInt16LE(22), 2, 'stereo (caller left, our side right)');
  const size = fs.statSync(r.path).size;
  const ms = (size - 44) / BYTES_PER_MS;
  assert.ok(Math.abs(ms - r.durationMs!) < 200, `the file holds ${ms} ms, the row says ${r.durationMs} ms`);
}

test('806 (recording never): no recording, and *8 from either phone is refused and journaled', async () => {
  const journey = await callFrom801('806', 10);
  await box.far.sim('talk', 10, { freq: 700 });
  assert.ok(await f.hears(5, 700), '801 hears 806');
  await box.far.sim('talk', 10, { freq: 0 });         // a steady tone would mask the keys
  const refused = f.on(journey, 'RecordingRefused');
  await f.press(5, '*8');
  assert.equal((await refused).data, { why: 'policy is never' });
  const again = f.on(journey, 'RecordingRefused');
  await f.press(10, '*8');
  await again;
  await sleep(100);
  await endCall(journey, 10);
  assert.not.ok(f.events(journey).includes('RecordingStarted'), `journal: ${f.events(journey).join(', ')}`);
  assert.equal(box.sup.store.recordings.forJourney(journey), []);
  assert.equal(f.cdr(journey).recordings, []);
  await f.settled();
});

test('on demand: *8 starts a recording, *8 again stops it; the row and the WAV cover that stretch only', async () => {
  const journey = await callFrom801('804', 8);
  await sleep(100);
  assert.not.ok(f.events(journey).includes('RecordingStarted'), 'on demand: nothing recorded before *8');
  const started = f.on(journey, 'RecordingStarted');
  await f.press(5, '*8');
  const s = await started;
  assert.is(s.data.why, 'on-demand');
  await sleep(200);                                   // ~4 s of engine time
  const finished = farWait(box, (e) => e.event === 'RecordingFinished' && e.path === s.data.path);
  const stopped = f.on(journey, 'RecordingStopped');
  await f.press(5, '*8');
  const t = await stopped;
  assert.is(t.data.why, 'on-demand');
  assert.is(t.data.recordingId, s.data.recordingId);
  await finished;
  await sleep(200);                                   // the call goes on unrecorded
  await endCall(journey, 8);
  const r = await finishedRecording(journey);
  assert.is(r.status, 'finished');
  assert.is(r.channel, 5, 'recorded on the caller\'s channel');
  const span = t.engineMs! - s.engineMs!;
  assert.ok(r.durationMs! >= 2500 && r.durationMs! <= span + 500, `recording of ${r.durationMs} ms for ${span} ms between *8 and *8`);
  const cdr = f.cdr(journey);
  assert.ok(r.durationMs! < cdr.talkS! * 1000 - 2000, `recording ${r.durationMs} ms, call ${cdr.talkS} s`);
  assert.equal(cdr.recordings, [s.data.recordingId]);
  assertWav(r);
  await f.settled();
});

test('*9 pauses the recording and *9 again resumes it: the file is shorter than the recorded stretch by the pause', async () => {
  const journey = await callFrom801('804', 8);
  const started = f.on(journey, 'RecordingStarted');
  await f.press(5, '*8');
  const s = await started;
  await sleep(100);
  const paused = f.on(journey, 'RecordingPaused');
  await f.press(8, '*9');                             // either phone may pause
  const p = await paused;
  await sleep(250);                                   // ~5 s said while paused
  const resumed = f.on(journey, 'RecordingResumed');
  await f.press(8, '*9');
  const q = await resumed;
  assert.is(p.data.recordingId, s.data.recordingId);
  assert.is(q.data.recordingId, s.data.recordingId);
  await sleep(100);
  const done = f.on(journey, 'CallEnded');
  await f.hangUp(5);
  const end = await done;
  await f.hangUp(8);
  const r = await finishedRecording(journey);
  const recorded = end.engineMs! - s.engineMs!;
  const pause = q.engineMs! - p.engineMs!;
  assert.ok(pause >= 3000, `paused ${pause} ms`);
  assert.ok(r.durationMs! < recorded - pause + 700 && r.durationMs! > recorded - pause - 1500,
    `recording of ${r.durationMs} ms: ${recorded} ms from start to hang-up less a ${pause} ms pause`);
  assertWav(r);
  assert.equal(f.events(journey).filter((e) => e.startsWith('Recording')), ['RecordingStarted', 'RecordingPaused', 'RecordingResumed']);
  await f.settled();
});

test.run();
