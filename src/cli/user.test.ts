// The serial console resets the admin password from stdin: the new password
// signs in, the old one does not, and a lockout is lifted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { Accounts } from '../auth/accounts.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { projectRoot } from '../native/addon.js';

const run = (dir: string, input: string) => execFileSync(process.execPath, [path.join(projectRoot(), 'bin', 'hotline.js'), 'user', 'reset-admin', '--data-dir', dir], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

test('hotline user reset-admin sets the password read from stdin and lifts the lockout', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-cli-user-'));
  const store = Store.open(path.join(dir, 'hotline.db'));
  const acc = new Accounts(store);
  const admin = acc.users.create({ username: 'boss', role: 'admin', passwordHash: await hashPassword('forgotten-password') });
  for (let i = 0; i < 5; i++) acc.throttle.failed('boss', '10.0.0.9');
  store.flush();
  assert.ok(acc.throttle.waitMs('boss', '10.0.0.1') > 0, 'locked before');
  const out = run(dir, 'fresh-console-password\n');
  assert.match(out, /admin "boss" reset/);
  assert.ok(await verifyPassword('fresh-console-password', acc.users.passwordHash(admin.id)!));
  assert.is(acc.throttle.waitMs('boss', '10.0.0.1'), 0, 'lockout lifted');
  assert.throws(() => run(dir, 'short\n'), /at least 8/);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
