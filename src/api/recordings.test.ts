// The recording download route: who may fetch which recording (401 without a
// session, 403 for an agent on a call they did not take), byte ranges for the
// player's seeking, and files confined to the recordings folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, adminClient, userClient, type TestApi, type Client } from './test-kit.js';
import { parseRange } from './recording-route.js';

let t: TestApi;
let admin: Client;
const WAV = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

// A recording row (and its CDR, taken by `agent`) with a file in the recordings folder.
function addRecording(journey: string, agent: string | null, file = `${journey}.wav`): number {
  const dir = path.join(t.dir, 'recordings');
  fs.mkdirSync(dir, { recursive: true });
  if (!file.includes('/')) fs.writeFileSync(path.join(dir, file), WAV);
  t.store.cdr.open({ journey, direction: 'inbound', caller: '13900001111', startedAt: new Date().toISOString() });
  t.store.cdr.update(journey, { disposition: 'answered', agent });
  t.store.recordings.start({ journey, path: file.includes('/') ? file : path.join(dir, file), channel: 1, stereo: true });
  t.store.flush();
  return (t.store.stmt('SELECT MAX(id) AS id FROM recordings').get() as { id: number }).id;
}

async function get(c: Client | null, id: number | string, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (c?.cookie) h.cookie = c.cookie;
  return fetch(`${t.api.url}/api/recordings/${id}.wav`, { headers: h });
}

test.before.each(async () => {
  t = await startTestApi();
  admin = await adminClient(t);
  // Agent 2001 is worked by panel user "wang".
  const doc = (await admin.ok('config/doc/get', { kind: 'agent', id: '2001' })).doc;
  await admin.ok('config/doc/put', { kind: 'agent', id: '2001', doc: { ...doc, user: 'wang' } });
});
test.after.each(async () => { await t.stop(); });

test('without a session the route answers 401 and sends no audio', async () => {
  const id = addRecording('j-anon', '2001');
  const r = await get(null, id);
  assert.is(r.status, 401);
  assert.is(((await r.json()) as { error: { id: string } }).error.id, 'unauthenticated');
});

test('a supervisor fetches any recording whole, as audio/wav with Accept-Ranges', async () => {
  const id = addRecording('j-sup', '2002');
  const sup = await userClient(t, admin, 'supervisor');
  const r = await get(sup, id);
  assert.is(r.status, 200);
  assert.is(r.headers.get('content-type'), 'audio/wav');
  assert.is(r.headers.get('accept-ranges'), 'bytes');
  assert.equal(Buffer.from(await r.arrayBuffer()), WAV);
  assert.is((await get(admin, id)).status, 200, 'an admin too');
});

test('an agent gets recordings of calls they took, 403 for anyone else\'s, 403 when not linked to an agent', async () => {
  const mine = addRecording('j-mine', '2001');
  const theirs = addRecording('j-theirs', '2002');
  const wang = await userClient(t, admin, 'agent', 'wang');
  assert.is((await get(wang, mine)).status, 200);
  const r = await get(wang, theirs);
  assert.is(r.status, 403, `agent 2001 may not hear agent 2002's call, got ${r.status}`);
  assert.is(((await r.json()) as { error: { id: string } }).error.id, 'permission_required');
  const loner = await userClient(t, admin, 'agent', 'loner');
  assert.is((await get(loner, mine)).status, 403);
});

test('a byte range is answered 206 with Content-Range; an unsatisfiable one 416', async () => {
  const id = addRecording('j-range', '2001');
  const r = await get(admin, id, { range: 'bytes=100-199' });
  assert.is(r.status, 206);
  assert.is(r.headers.get('content-range'), 'bytes 100-199/1000');
  assert.is(r.headers.get('content-length'), '100');
  assert.equal(Buffer.from(await r.arrayBuffer()), WAV.subarray(100, 200));
  const tail = await get(admin, id, { range: 'bytes=-10' });
  assert.is(tail.status, 206);
  assert.equal(Buffer.from(await tail.arrayBuffer()), WAV.subarray(990));
  const open = await get(admin, id, { range: 'bytes=900-' });
  assert.is(open.headers.get('content-range'), 'bytes 900-999/1000');
  const bad = await get(admin, id, { range: 'bytes=5000-' });
  assert.is(bad.status, 416);
  assert.is(bad.headers.get('content-range'), 'bytes */1000');
});

test('a stored path outside the recordings folder is not served; unknown and malformed ids are 404', async () => {
  fs.writeFileSync(path.join(t.dir, 'secret.wav'), 'not yours');
  const id = addRecording('j-escape', '2001', path.join(t.dir, 'recordings', '..', 'secret.wav'));
  assert.is((await get(admin, id)).status, 404);
  const link = addRecording('j-link', '2001', path.join(t.dir, 'recordings', 'link.wav'));
  fs.symlinkSync(path.join(t.dir, 'hotline.db'), path.join(t.dir, 'recordings', 'link.wav'));
  assert.is((await get(admin, link)).status, 404, 'a symlink out of the folder is not followed');
  assert.is((await get(admin, 99999)).status, 404);
  assert.is((await get(admin, '..%2Fhotline')).status, 404);
});

test('parseRange reads the forms players send', () => {
  assert.equal(parseRange('bytes=0-', 10), { start: 0, end: 9 });
  assert.equal(parseRange('bytes=2-4', 10), { start: 2, end: 4 });
  assert.equal(parseRange('bytes=8-20', 10), { start: 8, end: 9 });
  assert.equal(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.is(parseRange('bytes=10-', 10), undefined);
  assert.is(parseRange('bytes=5-2', 10), undefined);
  assert.is(parseRange('items=1-2', 10), undefined);
});

test.run();
