// API tokens for integrations: `hlt_` and 32 random bytes, shown once at
// creation; only the SHA-256 is kept (the token is random, so a fast hash is
// enough). Each token carries its own role.
import type { Store } from '../store/store.js';
import type { Role } from './users-repo.js';
import { randomToken, sha256 } from './passwords.js';

export interface ApiToken { id: number; name: string; role: Role; prefix: string; createdBy: number | null; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

interface Row { id: number; name: string; role: Role; prefix: string; created_by: number | null; created_at: string; last_used_at: string | null; revoked_at: string | null }

const toToken = (r: Row): ApiToken => ({ id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });

export class TokensRepo {
  constructor(private store: Store) {}

  create(t: { name: string; role: Role; createdBy: number | null }): { token: string; record: ApiToken } {
    const token = `hlt_${randomToken()}`;
    const id = this.store.write(() => this.store.stmt('INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(t.name, t.role, sha256(token), token.slice(0, 8), t.createdBy, new Date().toISOString()).lastInsertRowid);
    return { token, record: this.get(Number(id))! };
  }

  get(id: number): ApiToken | undefined {
    const r = this.store.stmt('SELECT * FROM api_tokens WHERE id = ?').get(id) as Row | undefined;
    return r ? toToken(r) : undefined;
  }

  list(): ApiToken[] {
    return (this.store.stmt('SELECT * FROM api_tokens ORDER BY id').all() as Row[]).map(toToken);
  }

  // The live token for a bearer value; undefined when unknown or revoked.
  lookup(token: string): ApiToken | undefined {
    if (!token.startsWith('hlt_') || token.length > 200) return undefined;
    const r = this.store.stmt('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(sha256(token)) as Row | undefined;
    if (!r) return undefined;
    const now = Date.now();
    if (!r.last_used_at || now - Date.parse(r.last_used_at) > 60_000) this.store.write(() => this.store.stmt('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date(now).toISOString(), r.id));
    return toToken(r);
  }

  revoke(id: number): boolean {
    return this.store.write(() => this.store.stmt('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes) > 0;
  }
}
