// A recording's one public id, end to end on a real call: the CDR lists the
// recordings table's id (not the engine's own recording number, which
// restarts with the engine), and that id is what the call's page, the CSV
// export, the customer's history and GET /api/recordings/<id>.wav all use.
// The download is a playable WAV (RIFF/WAVE, fmt, data sized to the file).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, farWait, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
let api: ApiServer;
let admin: Client;
test.before(async () => {
  box = await startBox(undefined, { at: TUESDAY_10AM });
  f = farEnd(box);
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: 'recording ids password' });
});
test.after(async () => { await api?.close(); await box?.stop(); });

test('CDR → recording → download: the table id is the public id and the file plays', async () => {
  // Rows from earlier calls, so the table's ids run ahead of the engine's numbers.
  for (let i = 0; i < 3; i++) box.sup.store.recordings.start({ journey: `older-${i}`, path: `/nowhere/older-${i}.wav`, channel: 1, stereo: true });
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  const journey = await f.dial(5, '804');
  await rang;
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 8);
  await up;
  await sleep(100);
  const started = f.on(journey, 'RecordingStarted');
  await f.press(5, '*8');
  const s = await started;
  assert.ok(s.data.engineRecordingId !== s.data.recordingId, `engine number ${s.data.engineRecordingId} and public id ${s.data.recordingId} differ here`);
  await box.far.sim('talk', 8, { freq: 700 });
  await sleep(200);
  const finished = farWait(box, (e) => e.event === 'RecordingFinished' && e.path === s.data.path);
  const done = f.on(journey, 'CallEnded');
  await f.hangUp(5);
  await done;
  await f.hangUp(8);
  await finished;
  await sleep(100);

  const call = await admin.ok('calls/cdr/get', { journey });
  assert.is(call.recordings.length, 1);
  const rec = call.recordings[0];
  assert.equal(call.cdr.recordings, [rec.id], 'the CDR lists the recordings table id');
  assert.is(rec.id, s.data.recordingId, 'the journal names the same id');
  assert.is(rec.url, `/api/recordings/${rec.id}.wav`);
  assert.is(rec.path, undefined, 'no path on the box in the API');

  const listed = (await admin.ok('calls/cdr/list', { limit: 5 })).find((c: { journey: string }) => c.journey === journey);
  assert.equal(listed.recordings, [rec.id]);
  const exp = await admin.ok('calls/cdr/export', {});
  const header = exp.csv.split('\r\n')[0].split(',');
  const line = exp.csv.split('\r\n').find((l: string) => l.startsWith(`"${journey}"`));
  const cells = line.split(',');
  assert.is(cells[header.indexOf('"recordings"')], `"${rec.id}"`, 'the CSV export lists the same id');
  assert.is(cells[header.indexOf('"recordingUrls"')], `"/api/recordings/${rec.id}.wav"`);

  const res = await fetch(`${api.url}${rec.url}`, { headers: { cookie: admin.cookie! } });
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'audio/wav');
  const wav = Buffer.from(await res.arrayBuffer());
  assert.is(wav.toString('latin1', 0, 4), 'RIFF');
  assert.is(wav.readUInt32LE(4), wav.length - 8, 'RIFF size matches the file');
  assert.is(wav.toString('latin1', 8, 12), 'WAVE');
  assert.is(wav.toString('latin1', 12, 16), 'fmt ');
  assert.is(wav.readUInt16LE(20), 1, 'PCM');
  assert.is(wav.readUInt32LE(24), 8000, '8 kHz');
  assert.is(wav.toString('latin1', 36, 40), 'data');
  assert.is(wav.readUInt32LE(40), wav.length - 44, 'data size matches the file');
  assert.ok(wav.length - 44 > 8000, `${wav.length - 44} bytes of audio`);
  // Some of it is not silence: the 700 Hz tone 804 played.
  let loud = 0;
  for (let i = 44; i + 1 < wav.length; i += 2) if (Math.abs(wav.readInt16LE(i)) > 1000) loud++;
  assert.ok(loud > 100, `${loud} loud samples`);

  // The ids the engine used are not downloadable as this call's recording.
  const wrong = await fetch(`${api.url}/api/recordings/${s.data.engineRecordingId}.wav`, { headers: { cookie: admin.cookie! } });
  assert.ok(wrong.status === 404 || (await wrong.arrayBuffer()).byteLength !== wav.length, 'the engine number does not reach this file');
});

test.run();
