// Accounts as one object: users, sessions, tokens, throttling and the audit
// log over the supervisor's store, and the serial console's admin reset.
import type { Store } from '../store/store.js';
import { UsersRepo } from './users-repo.js';
import { SessionsRepo } from './sessions.js';
import { TokensRepo } from './tokens-repo.js';
import { LoginThrottle, DEFAULT_LIMITS, type ThrottleLimits } from './throttle.js';
import { AuditLog } from './audit-log.js';
import { hashPassword } from './passwords.js';

export class Accounts {
  readonly users: UsersRepo;
  readonly sessions: SessionsRepo;
  readonly tokens: TokensRepo;
  readonly throttle: LoginThrottle;
  readonly audit: AuditLog;

  constructor(readonly store: Store, limits: ThrottleLimits = DEFAULT_LIMITS) {
    this.users = new UsersRepo(store);
    this.sessions = new SessionsRepo(store);
    this.tokens = new TokensRepo(store);
    this.throttle = new LoginThrottle(store, limits);
    this.audit = new AuditLog(store);
  }
}

export const MIN_PASSWORD = 8;

// The serial console's way back in: sets the password of the oldest admin
// account (creating "admin" when there is none), enables it, lifts its
// lockout and ends its sessions. Returns the account's name.
export async function resetAdminPassword(store: Store, password: string): Promise<string> {
  if (password.length < MIN_PASSWORD) throw new Error(`the password must be at least ${MIN_PASSWORD} characters`);
  const acc = new Accounts(store);
  const hash = await hashPassword(password);
  let admin = acc.users.firstAdmin();
  if (!admin) admin = acc.users.create({ username: 'admin', role: 'admin', passwordHash: hash });
  else {
    acc.users.setPasswordHash(admin.id, hash);
    acc.users.update(admin.id, { disabled: false });
    acc.sessions.removeForUser(admin.id);
  }
  acc.throttle.clear(admin.username);
  acc.audit.append({ actor: 'console', actorUserId: null, via: 'console', ip: '', command: 'auth/admin/reset', target: `user ${admin.username}`, summary: 'admin password reset from the console' });
  store.flush();
  return admin.username;
}
