// The commands behind the admin configuration pages: routing/preview/run (the
// `hotline preview` logic), the prompt library (list, upload converted by
// sox, corrupt files refused by field) and the prompt playback route (its
// roles and its confinement to the prompts folders).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, adminClient, userClient, type TestApi, type Client } from './test-kit.js';
import { projectRoot } from '../native/addon.js';

let t: TestApi;
let admin: Client;
let agent: Client;
let supervisor: Client;
const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'audio', 'beep-1200-44k-stereo.wav');

test.before(async () => {
  t = await startTestApi();
  admin = await adminClient(t);
  agent = await userClient(t, admin, 'agent');
  supervisor = await userClient(t, admin, 'supervisor');
});
test.after(async () => { await t.stop(); });

test('preview: a Tuesday at 10:00 goes through the office hours to the main IVR', async () => {
  const p = await supervisor.ok('routing/preview/run', { caller: '13912345678', at: '2026-11-24T10:00:00+08:00' });
  assert.is(p.outcome, 'routed');
  assert.is(p.route, 'main');
  assert.equal(p.destination, { type: 'ivr', menu: 'main' });
  assert.ok(p.trace.some((s: { kind: string; state?: string }) => s.kind === 'timecondition' && s.state === 'work'), JSON.stringify(p.trace));
  assert.match(p.text, /=> IVR menu main/);
});

test('preview: a National Day holiday, a blocked prefix and a VIP', async () => {
  const h = await admin.ok('routing/preview/run', { caller: '13912345678', at: '2026-10-02T10:00:00+08:00' });
  assert.ok(h.trace.some((s: { state?: string }) => s.state === 'holiday'), JSON.stringify(h.trace));
  assert.is(h.destination.type, 'announcement');
  const b = await admin.ok('routing/preview/run', { caller: '17012345678', at: '2026-11-24T10:00:00+08:00' });
  assert.equal([b.outcome, b.entry, b.action], ['blocked', 'spam-170', 'busy']);
  const v = await admin.ok('routing/preview/run', { caller: '13800138000', at: '2026-11-24T10:00:00+08:00' });
  assert.equal([v.outcome, v.destination], ['vip', { type: 'extension', ext: '805' }]);
});

test('preview: a time without offset is refused by its field; agents may not ask', async () => {
  const r = await admin.call('routing/preview/run', { caller: '1', at: 'tuesday' });
  assert.is(r.status, 400);
  assert.is(r.body.error.fields![0]!.path, 'at');
  assert.is((await agent.call('routing/preview/run', { at: '2026-11-24T10:00:00+08:00' })).status, 403);
});

test('prompts: upload a 44.1 kHz stereo WAV, converted to 8 kHz mono, then listed with its URL and played', async () => {
  const body = fs.readFileSync(FIXTURE).toString('base64');
  const up = await admin.ok('prompts/prompt/upload', { name: 'spring_sale', body });
  assert.is(up.ref, 'custom:spring_sale');
  assert.ok(up.durationMs > 0);
  const stored = fs.readFileSync(path.join(t.dir, 'prompts', 'custom', 'spring_sale.wav'));
  assert.is(stored.readUInt32LE(24), 8000, 'sample rate');
  assert.is(stored.readUInt16LE(22), 1, 'mono');
  const list = await supervisor.ok('prompts/prompt/list', { lang: 'en' });
  const mine = list.find((p: { ref: string }) => p.ref === 'custom:spring_sale');
  assert.is(mine.url, '/api/prompts/en/custom/spring_sale.wav');
  const res = await fetch(`${t.api.url}${mine.url}`, { headers: { cookie: supervisor.cookie! } });
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'audio/wav');
  assert.equal(Buffer.from(await res.arrayBuffer()), stored);
  const again = await admin.call('prompts/prompt/upload', { name: 'spring_sale', body });
  assert.is(again.status, 409);
  assert.ok((await admin.call('prompts/prompt/upload', { name: 'spring_sale', body, replace: true })).body.ok);
});

test('prompts: a corrupt or foreign file is refused naming the body field, a bad name naming name', async () => {
  const truncated = fs.readFileSync(FIXTURE).subarray(0, 30).toString('base64');
  const r = await admin.call('prompts/prompt/upload', { name: 'broken', body: truncated });
  assert.is(r.status, 400, JSON.stringify(r.body));
  assert.is(r.body.error.fields![0]!.path, 'body');
  assert.not.match(r.body.error.message, /hotline-upload/, 'no temp file names');
  const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]).toString('base64');
  const o = await admin.call('prompts/prompt/upload', { name: 'broken', body: ogg });
  assert.is(o.body.error.fields![0]!.path, 'body');
  assert.match(o.body.error.message, /Ogg is not supported/);
  const n = await admin.call('prompts/prompt/upload', { name: '../etc', body: ogg });
  assert.is(n.body.error.fields![0]!.path, 'name');
  assert.not.ok(fs.existsSync(path.join(t.dir, 'prompts', 'custom', 'broken.wav')));
  assert.is((await supervisor.call('prompts/prompt/upload', { name: 'x', body: ogg })).status, 403);
});

test('prompt route: agents and strangers are refused; no path leaves the prompts folders', async () => {
  fs.writeFileSync(path.join(t.dir, 'secret.wav'), 'RIFF secret');
  fs.symlinkSync(path.join(t.dir, 'secret.wav'), path.join(t.dir, 'prompts', 'custom', 'link.wav'));
  const get = (p: string, c?: Client) => fetch(`${t.api.url}${p}`, { headers: c ? { cookie: c.cookie! } : {} });
  assert.is((await get('/api/prompts/en/custom/spring_sale.wav')).status, 401);
  assert.is((await get('/api/prompts/en/custom/spring_sale.wav', agent)).status, 403);
  for (const p of ['/api/prompts/en/../secret.wav', '/api/prompts/en/%2e%2e%2fsecret.wav', '/api/prompts/en/custom/..%2f..%2fsecret.wav',
    '/api/prompts/xx/custom/spring_sale.wav', '/api/prompts/en/custom/link.wav', '/api/prompts/en/Spring_Sale.wav']) {
    const res = await get(p, admin);
    assert.is(res.status, 404, p);
    assert.not.match(await res.text(), /RIFF secret/, 'the file itself never served');
  }
  // Without a kind: the builtin of that name if generated, else the custom one.
  assert.is((await get('/api/prompts/zh/spring_sale.wav', admin)).status, 200);
  const range = await fetch(`${t.api.url}/api/prompts/en/custom/spring_sale.wav`, { headers: { cookie: admin.cookie!, range: 'bytes=0-3' } });
  assert.is(range.status, 206);
  assert.is(await range.text(), 'RIFF');
});

test.run();
