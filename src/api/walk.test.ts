// Walks the whole command registry and proves the doors are shut: without a
// session every command but sign-in and setup answers 401, and a role answers
// 403 for every command it is not granted, over HTTP and over the WebSocket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, Client, WsClient, adminClient, userClient, type TestApi } from './test-kit.js';

let t: TestApi;
test.before(async () => { t = await startTestApi(); });
test.after(async () => { await t.stop(); });

const PUBLIC = ['auth/session/login', 'auth/setup/create-admin', 'auth/setup/status'];

test('only sign-in and setup are public', () => {
  const pub = t.api.registry.list().filter((c) => c.access === 'public').map((c) => c.name).sort();
  assert.equal(pub, PUBLIC);
  assert.ok(t.api.registry.list().length >= 40, `${t.api.registry.list().length} commands`);
});

test('without a session every other command answers 401 unauthenticated, over HTTP and WebSocket', async () => {
  await adminClient(t);   // users exist, so nothing is in first-run state
  const anon = new Client(t.api.url);
  const ws = await WsClient.connect(t.api.url);
  const bad = new Client(t.api.url);
  bad.cookie = 'hotline_session=forged-session-token';
  for (const c of t.api.registry.list()) {
    if (c.access === 'public') continue;
    const r = await anon.call(c.name, {});
    assert.is(r.status, 401, `HTTP ${c.name}: expected 401, got ${r.status} ${JSON.stringify(r.body.error)}`);
    assert.is(r.body.error.id, 'unauthenticated', c.name);
    assert.is((await bad.call(c.name, {})).status, 401, `HTTP ${c.name} with a forged cookie`);
    const w = await ws.request(c.name, {});
    assert.is(w.ok, false, `WS ${c.name}`);
    assert.is(w.error.id, 'unauthenticated', `WS ${c.name}: expected unauthenticated, got ${JSON.stringify(w.error)}`);
  }
  ws.close();
  for (const path of ['/api/openapi.json', '/api/no/such/thing']) {
    const res = await fetch(`${t.api.url}${path}`);
    assert.is(res.status, 401, path);
  }
  assert.is((await fetch(`${t.api.url}/status`)).status, 401, '/status');
});

test('each role gets 403 permission_required for every command it is not granted, over HTTP and WebSocket', async () => {
  const admin = new Client(t.api.url);
  await admin.ok('auth/session/login', { username: 'admin', password: 'correct horse battery' });
  let checked = 0;
  for (const role of ['agent', 'supervisor'] as const) {
    const http = await userClient(t, admin, role, `walk-${role}`);
    const ws = await WsClient.connect(t.api.url, { cookie: http.cookie });
    const token = new Client(t.api.url);
    token.bearer = (await admin.ok('auth/token/create', { name: `walk-${role}`, role })).token;
    for (const c of t.api.registry.list()) {
      if (c.access === 'public' || c.access.includes(role)) continue;
      const r = await http.call(c.name, {});
      assert.is(r.status, 403, `${role} HTTP ${c.name}: expected 403, got ${r.status} ${JSON.stringify(r.body.error)}`);
      assert.is(r.body.error.id, 'permission_required');
      assert.is((await token.call(c.name, {})).status, 403, `${role} token ${c.name}`);
      const w = await ws.request(c.name, {});
      // HTTP-only commands are not found over the socket; none of them is role-restricted.
      assert.is(w.error?.id, 'permission_required', `${role} WS ${c.name}: got ${JSON.stringify(w)}`);
      checked++;
    }
    // And commands the role is granted do not answer 401/403.
    for (const c of t.api.registry.list()) {
      if (c.access === 'public' || !c.access.includes(role) || c.kind === 'write') continue;
      const r = await http.call(c.name, {});
      assert.ok(r.status !== 401 && r.status !== 403, `${role} ${c.name} is granted but answered ${r.status}`);
    }
    ws.close();
  }
  assert.ok(checked > 30, `${checked} refusals checked`);
});

test('the OpenAPI document lists every command with its input schema', async () => {
  const admin = new Client(t.api.url);
  await admin.ok('auth/session/login', { username: 'admin', password: 'correct horse battery' });
  const res = await fetch(`${t.api.url}/api/openapi.json`, { headers: { cookie: admin.cookie! } });
  assert.is(res.status, 200);
  const doc = await res.json() as { openapi: string; paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } } }> };
  assert.is(doc.openapi, '3.1.0');
  for (const c of t.api.registry.list()) assert.ok(doc.paths[`/api/${c.name}`], `missing ${c.name}`);
  const create = doc.paths['/api/crm/customer/create']!.post.requestBody.content['application/json'].schema;
  assert.ok(create.properties?.name && create.properties.phones, JSON.stringify(create));
});

test.run();
