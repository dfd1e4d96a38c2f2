// Sign-in throttling: a user name is locked for 15 minutes after 5 failures
// in a row (whether or not the account exists, so lockout does not reveal
// names), and an address is refused for the rest of a 15-minute window after
// 20 failures. Kept in the database so a restart does not reset it.
import type { Store } from '../store/store.js';

export interface ThrottleLimits { userFailures: number; lockMs: number; ipFailures: number; ipWindowMs: number }
export const DEFAULT_LIMITS: ThrottleLimits = { userFailures: 5, lockMs: 15 * 60_000, ipFailures: 20, ipWindowMs: 15 * 60_000 };

interface Row { key: string; failures: number; window_start: string; locked_until: string | null }

export class LoginThrottle {
  constructor(private store: Store, private limits: ThrottleLimits = DEFAULT_LIMITS) {}

  // Milliseconds until a sign-in may be tried, 0 when it may be now.
  waitMs(username: string, ip: string): number {
    const now = Date.now();
    let wait = 0;
    for (const key of [userKey(username), `ip:${ip}`]) {
      const r = this.row(key);
      if (r?.locked_until) wait = Math.max(wait, Date.parse(r.locked_until) - now);
    }
    return Math.max(0, wait);
  }

  failed(username: string, ip: string): void {
    this.bump(userKey(username), this.limits.userFailures, this.limits.lockMs, Infinity);
    this.bump(`ip:${ip}`, this.limits.ipFailures, this.limits.ipWindowMs, this.limits.ipWindowMs);
  }

  succeeded(username: string): void {
    this.clear(username);
  }

  clear(username: string): void {
    this.store.write(() => this.store.stmt('DELETE FROM login_throttle WHERE key = ?').run(userKey(username)));
  }

  private row(key: string): Row | undefined {
    return this.store.stmt('SELECT * FROM login_throttle WHERE key = ?').get(key) as Row | undefined;
  }

  // Counts a failure; at `limit` failures within `windowMs` the key locks for `lockMs`.
  private bump(key: string, limit: number, lockMs: number, windowMs: number): void {
    const now = Date.now();
    const r = this.row(key);
    const fresh = !r || now - Date.parse(r.window_start) > windowMs || (r.locked_until !== null && Date.parse(r.locked_until) <= now);
    const failures = fresh ? 1 : r.failures + 1;
    const windowStart = fresh ? new Date(now).toISOString() : r.window_start;
    const lockedUntil = failures >= limit ? new Date(now + lockMs).toISOString() : null;
    this.store.write(() => this.store.stmt('INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until')
      .run(key, failures, windowStart, lockedUntil));
  }
}

const userKey = (username: string) => `user:${username.toLowerCase()}`;
