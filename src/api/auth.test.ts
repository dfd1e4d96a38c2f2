// Sign-in guarantees: no default password (setup happens once), session
// cookie flags, lockout and per-address throttling, CSRF on every change,
// sessions ending at logout and password change, API tokens, the console's
// admin reset, and an audit trail without secrets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, Client, adminClient, userClient, ADMIN_PASSWORD, type TestApi } from './test-kit.js';
import { resetAdminPassword } from '../auth/accounts.js';

let t: TestApi;
test.before.each(async () => { t = await startTestApi(); });
test.after.each(async () => { await t.stop(); });

test('first start: setup is offered, creates the admin once, and is refused afterwards', async () => {
  const anon = new Client(t.api.url);
  assert.equal((await anon.ok('auth/setup/status')).needsSetup, true);
  const login = await anon.call('auth/session/login', { username: 'admin', password: 'admin' });
  assert.is(login.status, 401, 'no default admin/admin account');
  const admin = await adminClient(t);
  assert.ok(admin.cookie, 'setup signs the admin in');
  assert.equal((await anon.ok('auth/setup/status')).needsSetup, false);
  const again = await new Client(t.api.url).call('auth/setup/create-admin', { username: 'evil', password: 'another-password' });
  assert.is(again.status, 409);
  assert.is(again.body.error.id, 'conflict');
  assert.is((await admin.ok('users/user/list')).length, 1);
});

test('setup refuses a short password and names the field', async () => {
  const r = await new Client(t.api.url).call('auth/setup/create-admin', { password: 'short' });
  assert.is(r.status, 400);
  assert.is(r.body.error.id, 'validation_failed');
  assert.equal(r.body.error.fields?.map((f) => f.path), ['password']);
});

test('the session cookie is HttpOnly, SameSite=Strict, Path=/ and logout ends the session', async () => {
  await adminClient(t);
  const c = new Client(t.api.url);
  await c.ok('auth/session/login', { username: 'admin', password: ADMIN_PASSWORD });
  const cookie = c.lastSetCookie.find((x) => x.startsWith('hotline_session='))!;
  assert.ok(cookie, 'a session cookie is set');
  assert.match(cookie, /;\s*httponly/i);
  assert.match(cookie, /;\s*samesite=strict/i);
  assert.match(cookie, /;\s*path=\//i);
  const me = await c.ok('auth/session/whoami');
  assert.is(me.name, 'admin');
  assert.is(me.role, 'admin');
  assert.is(me.csrfToken, c.csrf);
  const stolen = c.cookie;
  await c.ok('auth/session/logout');
  c.cookie = stolen;
  const after = await c.call('auth/session/whoami');
  assert.is(after.status, 401, 'a logged-out cookie is worthless');
  assert.is(after.body.error.id, 'unauthenticated');
});

test('every change needs the session\'s CSRF token; reads do not', async () => {
  const admin = await adminClient(t);
  const none = await admin.call('users/user/create', { username: 'x1', role: 'agent', password: 'agent-password' }, { csrf: false });
  assert.is(none.status, 403);
  assert.is(none.body.error.id, 'permission_required');
  assert.equal(none.body.error.fields?.[0]?.path, 'x-csrf-token');
  const wrong = await admin.call('users/user/create', { username: 'x1', role: 'agent', password: 'agent-password' }, { csrf: 'A'.repeat(32) });
  assert.is(wrong.status, 403);
  assert.is((await admin.ok('users/user/list')).length, 1, 'nothing was created');
  const other = await userClient(t, admin, 'supervisor');
  const foreign = await admin.call('users/user/create', { username: 'x1', role: 'agent', password: 'agent-password' }, { csrf: other.csrf });
  assert.is(foreign.status, 403, 'another session\'s token does not count');
  assert.is((await admin.call('users/user/list', {}, { csrf: false })).status, 200);
  await admin.ok('users/user/create', { username: 'x1', role: 'agent', password: 'agent-password' });
});

test('five wrong passwords lock the user for 15 minutes, even with the right password after', async () => {
  await adminClient(t);
  const c = new Client(t.api.url);
  for (let i = 0; i < 5; i++) {
    const r = await c.call('auth/session/login', { username: 'admin', password: `wrong-${i}` });
    assert.is(r.status, 401, `attempt ${i + 1}`);
  }
  const locked = await c.call('auth/session/login', { username: 'admin', password: ADMIN_PASSWORD });
  assert.is(locked.status, 429);
  assert.is(locked.body.error.id, 'rate_limited');
  assert.ok(Number(locked.headers.get('retry-after')) > 14 * 60, `Retry-After ${locked.headers.get('retry-after')}`);
  // The serial console gets the admin back in.
  const name = await resetAdminPassword(t.store, 'console-password-1');
  assert.is(name, 'admin');
  await c.ok('auth/session/login', { username: 'admin', password: 'console-password-1' });
});

test('an address that keeps failing is throttled across user names', async () => {
  await adminClient(t);
  const c = new Client(t.api.url);
  for (let i = 0; i < 20; i++) {
    const r = await c.call('auth/session/login', { username: `nobody${i}`, password: 'wrong-password' });
    assert.is(r.status, 401, `attempt ${i + 1}`);
  }
  const r = await c.call('auth/session/login', { username: 'admin', password: ADMIN_PASSWORD });
  assert.is(r.status, 429);
  assert.is(r.body.error.id, 'rate_limited');
});

test('a password change ends the other sessions; a disabled user cannot sign in', async () => {
  const admin = await adminClient(t);
  const agent = await userClient(t, admin, 'agent');
  const second = new Client(t.api.url);
  await second.ok('auth/session/login', { username: 'agent1', password: 'agent-password-1' });
  const wrong = await agent.call('auth/password/change', { currentPassword: 'nope-nope', newPassword: 'new-agent-password' });
  assert.is(wrong.status, 401);
  await agent.ok('auth/password/change', { currentPassword: 'agent-password-1', newPassword: 'new-agent-password' });
  assert.is((await second.call('auth/session/whoami')).status, 401);
  assert.is((await agent.call('auth/session/whoami')).status, 200, 'the session that changed it stays');
  const me = await agent.ok('auth/session/whoami');
  await admin.ok('users/user/disable', { id: me.user.id });
  assert.is((await agent.call('auth/session/whoami')).status, 401);
  const r = await new Client(t.api.url).call('auth/session/login', { username: 'agent1', password: 'new-agent-password' });
  assert.is(r.status, 401);
});

test('the last active admin can be neither demoted nor disabled', async () => {
  const admin = await adminClient(t);
  const me = await admin.ok('auth/session/whoami');
  const r = await admin.call('users/user/update', { id: me.user.id, role: 'agent' });
  assert.is(r.status, 409);
  assert.is((await admin.call('users/user/disable', { id: me.user.id })).status, 409);
});

test('API tokens: shown once, work as Bearer with their role, need no CSRF, stop at revoke', async () => {
  const admin = await adminClient(t);
  const created = await admin.ok('auth/token/create', { name: 'crm', role: 'supervisor' });
  assert.match(created.token, /^hlt_/);
  const list = await admin.ok('auth/token/list');
  assert.not.ok(JSON.stringify(list).includes(created.token), 'the list never shows the token');
  const integ = new Client(t.api.url);
  integ.bearer = created.token;
  const me = await integ.ok('auth/session/whoami');
  assert.is(me.role, 'supervisor');
  await integ.ok('crm/customer/create', { name: 'Via token' });
  assert.is((await integ.call('users/user/list')).status, 403, 'a supervisor token is no admin');
  await admin.ok('auth/token/revoke', { id: created.id });
  assert.is((await integ.call('auth/session/whoami')).status, 401);
  integ.bearer = 'hlt_made-up';
  assert.is((await integ.call('auth/session/whoami')).status, 401);
});

test('changes are audited with who, what and target, and no password', async () => {
  const admin = await adminClient(t);
  await admin.ok('users/user/create', { username: 'sup', role: 'supervisor', password: 'secret-password-9' });
  await admin.ok('config/doc/put', { kind: 'extension', id: '809', doc: { ext: '809', name: 'Front desk' } });
  const log = await admin.ok('audit/entry/list');
  const cmds = log.items.map((e: { command: string }) => e.command);
  assert.ok(cmds.includes('users/user/create') && cmds.includes('config/doc/put') && cmds.includes('auth/setup/create-admin'), cmds.join(', '));
  const put = log.items.find((e: { command: string }) => e.command === 'config/doc/put');
  assert.is(put.actor, 'admin');
  assert.is(put.target, 'extension 809');
  assert.ok(put.summary.includes('Front desk'));
  assert.not.ok(JSON.stringify(log).includes('secret-password-9'), 'passwords never reach the audit log');
});

test.run();
