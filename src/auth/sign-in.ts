// A user name and password checked the one way every door checks them (the
// API's sign-in, the serial console's login prompt): throttle first, the same
// hashing cost whether or not the name exists, failures counted against the
// name and the address, success clearing the name's count.
import type { Accounts } from './accounts.js';
import type { User } from './users-repo.js';
import { verifyPassword, dummyHash } from './passwords.js';

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'throttled'; waitMs: number }
  | { ok: false; reason: 'wrong' };

export async function checkSignIn(acc: Accounts, username: string, password: string, ip: string): Promise<SignInResult> {
  const wait = acc.throttle.waitMs(username, ip);
  if (wait > 0) return { ok: false, reason: 'throttled', waitMs: wait };
  const u = acc.users.byName(username);
  const ok = await verifyPassword(password, u?.passwordHash ?? await dummyHash());
  if (!u || !ok || u.disabled) {
    acc.throttle.failed(username, ip);
    acc.store.flush();
    return { ok: false, reason: 'wrong' };
  }
  acc.throttle.succeeded(username);
  const { passwordHash: _, ...user } = u;
  return { ok: true, user };
}
