// The WebSocket: the same commands as HTTP with request/result messages,
// subscriptions that deliver journal entries as they are written, the Origin
// check for browser sockets, and roles on topics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, WsClient, adminClient, userClient, type TestApi, type Client } from './test-kit.js';

let t: TestApi;
let admin: Client;
test.before(async () => { t = await startTestApi(); admin = await adminClient(t); });
test.after(async () => { await t.stop(); });

test('a request over the socket gets its result, paired by id', async () => {
  const ws = await WsClient.connect(t.api.url, { cookie: admin.cookie });
  const [me, users] = await Promise.all([ws.request('auth/session/whoami'), ws.request('users/user/list')]);
  assert.is(me.ok, true);
  assert.is(me.data.name, 'admin');
  assert.is(users.data.length, 1);
  const bad = await ws.request('calls/cdr/list', { limit: 'ten' });
  assert.is(bad.ok, false);
  assert.is(bad.error.id, 'validation_failed');
  assert.equal(bad.error.fields.map((f: { path: string }) => f.path), ['limit']);
  const created = await ws.request('crm/customer/create', { name: 'Over the socket' });
  assert.is(created.ok, true, 'changes need no CSRF header on the socket: its Origin was checked');
  const login = await ws.request('auth/session/login', { username: 'admin', password: 'x' });
  assert.is(login.error.id, 'not_found', 'sign-in sets a cookie, so it is HTTP only');
  ws.close();
});

test('a subscription receives journal entries as they are written', async () => {
  const sup = await userClient(t, admin, 'supervisor');
  const ws = await WsClient.connect(t.api.url, { cookie: sup.cookie });
  const sub = await ws.subscribe('journal', { kinds: ['call'] });
  assert.is(sub.ok, true, JSON.stringify(sub));
  t.store.journal.append('system', 'Tested', {});
  t.store.journal.append('call', 'CallRinging', { journey: 'j-ws-1', data: { chan: 1, trunk: 'pstn' } });
  const e = await ws.nextEvent((m) => m.data.event === 'CallRinging');
  assert.is(e.subscription, sub.id);
  assert.is(e.data.journey, 'j-ws-1');
  assert.equal(e.data.data, { chan: 1, trunk: 'pstn' });
  assert.not.ok(ws.events.some((m) => m.data.event === 'Tested'), 'the kind filter holds');
  ws.close();
});

test('topics have roles: an agent hears call events but not the whole journal', async () => {
  const agent = await userClient(t, admin, 'agent');
  const ws = await WsClient.connect(t.api.url, { cookie: agent.cookie });
  const j = await ws.subscribe('journal');
  assert.is(j.error.id, 'permission_required');
  assert.is((await ws.subscribe('calls')).ok, true);
  t.store.journal.append('system', 'Tested', {});
  t.store.journal.append('call', 'CallEnded', { journey: 'j-ws-2', data: { disposition: 'answered' } });
  const e = await ws.nextEvent();
  assert.is(e.data.event, 'CallEnded');
  assert.is(ws.events.length, 1);
  ws.close();
  const anon = await WsClient.connect(t.api.url);
  assert.is((await anon.subscribe('calls')).error.id, 'unauthenticated');
  anon.close();
});

test('a browser socket from another origin, or a cookie without Origin, is refused', async () => {
  const refusal = (p: Promise<unknown>) => p.then(() => 'connected', (e: Error) => e.message);
  assert.is(await refusal(WsClient.connect(t.api.url, { cookie: admin.cookie, origin: 'http://evil.example' })), 'refused: 403');
  assert.is(await refusal(WsClient.connect(t.api.url, { cookie: admin.cookie, origin: null })), 'refused: 403');
  const token = (await admin.ok('auth/token/create', { name: 'oa', role: 'agent' })).token;
  const ws = await WsClient.connect(t.api.url, { bearer: token, origin: null });
  assert.is((await ws.request('auth/session/whoami')).data.role, 'agent');
  ws.close();
});

test('garbage on the socket is answered, not fatal', async () => {
  const ws = await WsClient.connect(t.api.url, { cookie: admin.cookie });
  const got = new Promise<any>((resolve) => ws.ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
  ws.ws.send('{not json');
  const m = await got;
  assert.is(m.error.id, 'validation_failed');
  assert.is((await ws.send({ type: 'dance' })).error.fields[0].path, 'type');
  assert.is((await ws.request('auth/session/whoami')).ok, true);
  ws.close();
});

test.run();
