// Accounts of the panel and API: admin, supervisor or agent. Passwords arrive
// here already hashed (passwords.ts).
import type { Store } from '../store/store.js';

export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}

interface Row { id: number; username: string; display_name: string; role: Role; disabled: number; created_at: string; updated_at: string; password_changed_at: string; password_hash: string }

const toUser = (r: Row): User => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled === 1,
  createdAt: r.created_at, updatedAt: r.updated_at, passwordChangedAt: r.password_changed_at,
});

export class UsersRepo {
  constructor(private store: Store) {}

  count(): number {
    return (this.store.stmt('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  get(id: number): User | undefined {
    const r = this.store.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r ? toUser(r) : undefined;
  }

  byName(username: string): (User & { passwordHash: string }) | undefined {
    const r = this.store.stmt('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
    return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
  }

  passwordHash(id: number): string | undefined {
    return (this.store.stmt('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string } | undefined)?.password_hash;
  }

  list(): User[] {
    return (this.store.stmt('SELECT * FROM users ORDER BY username').all() as Row[]).map(toUser);
  }

  // The oldest admin account: the one the serial console resets.
  firstAdmin(): User | undefined {
    const r = this.store.stmt("SELECT * FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").get() as Row | undefined;
    return r ? toUser(r) : undefined;
  }

  create(u: { username: string; displayName?: string; role: Role; passwordHash: string }): User {
    const at = new Date().toISOString();
    const id = this.store.write(() => this.store.stmt('INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.username, u.displayName ?? '', u.role, u.passwordHash, at, at, at).lastInsertRowid);
    return this.get(Number(id))!;
  }

  update(id: number, patch: { displayName?: string; role?: Role; disabled?: boolean }): User | undefined {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (patch.displayName !== undefined) { sets.push('display_name = ?'); args.push(patch.displayName); }
    if (patch.role !== undefined) { sets.push('role = ?'); args.push(patch.role); }
    if (patch.disabled !== undefined) { sets.push('disabled = ?'); args.push(patch.disabled ? 1 : 0); }
    sets.push('updated_at = ?'); args.push(new Date().toISOString());
    this.store.write(() => this.store.stmt(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...args, id));
    return this.get(id);
  }

  setPasswordHash(id: number, passwordHash: string): void {
    const at = new Date().toISOString();
    this.store.write(() => this.store.stmt('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, at, id));
  }

  activeAdmins(): number {
    return (this.store.stmt("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }
}
