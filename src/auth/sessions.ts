// Browser sessions: a random token in an HttpOnly cookie, its SHA-256 in the
// database with the session's CSRF token. Sessions end after a day without
// use or a week in all, at logout, at a password change and when the user is
// disabled.
import type { Store } from '../store/store.js';
import { randomToken, sha256 } from './passwords.js';

const IDLE_MS = 24 * 3600_000;
const MAX_MS = 7 * 24 * 3600_000;

export interface Session { id: string; userId: number; csrfToken: string; createdAt: string; expiresAt: string }

interface Row { id: string; user_id: number; csrf_token: string; created_at: string; last_seen_at: string; expires_at: string }

export class SessionsRepo {
  constructor(private store: Store) {}

  create(userId: number, meta: { ip?: string; userAgent?: string } = {}): { token: string; session: Session } {
    const token = randomToken();
    const now = new Date();
    const s: Session = { id: sha256(token), userId, csrfToken: randomToken(24), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + MAX_MS).toISOString() };
    this.store.write(() => this.store.stmt('INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.id, userId, s.csrfToken, s.createdAt, s.createdAt, s.expiresAt, meta.ip ?? '', (meta.userAgent ?? '').slice(0, 200)));
    return { token, session: s };
  }

  // The live session for a cookie value, touched; undefined when unknown or expired.
  lookup(token: string): Session | undefined {
    if (!token || token.length > 200) return undefined;
    const id = sha256(token);
    const r = this.store.stmt('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    if (!r) return undefined;
    const now = Date.now();
    if (Date.parse(r.expires_at) <= now || Date.parse(r.last_seen_at) + IDLE_MS <= now) {
      this.store.write(() => this.store.stmt('DELETE FROM sessions WHERE id = ?').run(id));
      return undefined;
    }
    // Touch at most once a minute: a busy panel should not write on every request.
    if (now - Date.parse(r.last_seen_at) > 60_000) this.store.write(() => this.store.stmt('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(new Date(now).toISOString(), id));
    return { id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  byId(id: string): Session | undefined {
    const r = this.store.stmt('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return r ? { id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at } : undefined;
  }

  remove(id: string): void {
    this.store.write(() => this.store.stmt('DELETE FROM sessions WHERE id = ?').run(id));
  }

  // Ends every session of a user, but the one given.
  removeForUser(userId: number, except?: string): void {
    this.store.write(() => this.store.stmt('DELETE FROM sessions WHERE user_id = ? AND id != ?').run(userId, except ?? ''));
  }
}
