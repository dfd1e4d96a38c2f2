// config/schema/get: what the admin forms are built from. Every collection
// the config commands serve, with its id field and the JSON schema of its
// documents (descriptions, defaults, limits); admins only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, adminClient, userClient, type TestApi, type Client } from './test-kit.js';
import { KIND_SCHEMAS } from '../config/kinds.js';

let t: TestApi;
let admin: Client;
test.before(async () => { t = await startTestApi(); admin = await adminClient(t); });
test.after(async () => { await t.stop(); });

test('admins get every collection with its id field and schema', async () => {
  const { collections } = await admin.ok('config/schema/get', {});
  assert.equal(collections.map((c: { kind: string }) => c.kind).sort(), Object.keys(KIND_SCHEMAS).sort());
  const trunk = collections.find((c: { kind: string }) => c.kind === 'trunk');
  assert.is(trunk.idField, 'id');
  assert.is(trunk.applies, 'hot');
  assert.equal(trunk.schema.required, ['id', 'ports']);
  assert.is(trunk.schema.properties.r2.properties.category.maximum, 15);
  assert.match(trunk.schema.properties.r2.description, /MFC\/R2/);
  assert.equal(trunk.schema.properties.disconnect.default, ['loop', 'busy', 'congestion']);
  const settings = collections.find((c: { kind: string }) => c.kind === 'settings');
  assert.is(settings.idField, null);
  assert.is(settings.singleton, 'main');
});

test('one kind on its own; an unknown kind named by its field', async () => {
  const { collections } = await admin.ok('config/schema/get', { kind: 'extension' });
  assert.is(collections.length, 1);
  assert.is(collections[0].idField, 'ext');
  assert.is(collections[0].schema.properties.ext.pattern, '^[0-9]{2,6}$');
  const r = await admin.call('config/schema/get', { kind: 'nope' });
  assert.is(r.status, 400);
  assert.is(r.body.error.fields![0]!.path, 'kind');
});

test('supervisors may not read it', async () => {
  const sup = await userClient(t, admin, 'supervisor');
  assert.is((await sup.call('config/schema/get', {})).status, 403);
});

test.run();
