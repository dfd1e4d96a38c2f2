// Bad input is refused with validation_failed and the fields at fault, in one
// envelope; configuration goes through the config service's own checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, adminClient, Client, type TestApi } from './test-kit.js';

let t: TestApi;
let admin: Client;
test.before(async () => { t = await startTestApi(); admin = await adminClient(t); });
test.after(async () => { await t.stop(); });

const paths = (r: { body: { error: { fields?: { path: string }[] } } }) => (r.body.error.fields ?? []).map((f) => f.path);

test('wrong types and unknown fields name the field', async () => {
  const r = await admin.call('calls/cdr/list', { limit: 'ten', colour: 'red' });
  assert.is(r.status, 400);
  assert.is(r.body.ok, false);
  assert.is(r.body.error.id, 'validation_failed');
  assert.equal(paths(r).sort(), ['colour', 'limit']);
  assert.match(r.body.error.message, /limit/);
  const nested = await admin.call('crm/customer/create', { name: 'A', phones: [{ number: 'call me' }] });
  assert.equal(paths(nested), ['phones.0.number']);
});

test('a configuration document refused by the config service names the field inside doc', async () => {
  const r = await admin.call('config/doc/put', { kind: 'extension', id: '809', doc: { ext: '809', port: 6 } });
  assert.is(r.body.error.id, 'validation_failed');
  assert.equal(paths(r), ['doc.port']);
  assert.match(r.body.error.fields![0]!.message, /already belongs to extension 802/);
  const kind = await admin.call('config/doc/put', { kind: 'spaceship', id: 'x', doc: {} });
  assert.equal(paths(kind), ['kind']);
  const ok = await admin.call('config/doc/validate', { kind: 'extension', id: '809', doc: { ext: '809' } });
  assert.is(ok.body.ok, true);
  assert.is((await admin.call('config/doc/get', { kind: 'extension', id: '809' })).body.error.id, 'not_found', 'validate saves nothing');
  const rm = await admin.call('config/doc/remove', { kind: 'extension', id: '801' });
  assert.is(rm.body.error.id, 'validation_failed', 'the operator extension is still referred to');
  await admin.ok('config/doc/put', { kind: 'extension', id: '809', doc: { ext: '809', name: 'Lobby' } });
  assert.is((await admin.ok('config/doc/get', { kind: 'extension', id: '809' })).doc.name, 'Lobby');
});

test('supervisors read the configuration without its secrets; admins see them', async () => {
  await admin.ok('config/doc/put', { kind: 'extension', id: '810', doc: { ext: '810', voicemail: { pin: '4321' } } });
  await admin.ok('users/user/create', { username: 'sup-cfg', role: 'supervisor', password: 'supervisor-pass' });
  const sup = new Client(t.api.url);
  await sup.ok('auth/session/login', { username: 'sup-cfg', password: 'supervisor-pass' });
  assert.is((await sup.ok('config/doc/get', { kind: 'extension', id: '810' })).doc.voicemail.pin, '***');
  const listed = await sup.ok('config/doc/list', { kind: 'extension' });
  assert.not.ok(JSON.stringify(listed).includes('4321'));
  assert.is((await admin.ok('config/doc/get', { kind: 'extension', id: '810' })).doc.voicemail.pin, '4321');
});

test('a body that is not JSON is refused as such', async () => {
  const res = await fetch(`${t.api.url}/api/calls/cdr/list`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin.cookie! }, body: '{"limit":' });
  assert.is(res.status, 400);
  const body = await res.json() as { error: { fields: { path: string }[] } };
  assert.is(body.error.fields[0]!.path, '(body)');
  const form = await fetch(`${t.api.url}/api/calls/cdr/list`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.cookie! }, body: 'limit=5' });
  assert.is(form.status, 400, 'a cross-site form post is not JSON');
});

test('unknown things are not_found', async () => {
  assert.is((await admin.call('calls/cdr/get', { journey: 'nope' })).body.error.id, 'not_found');
  assert.is((await admin.call('no/such/command')).status, 404);
  assert.is((await admin.call('users/user/enable', { id: 999 })).body.error.id, 'not_found');
});

test.run();
