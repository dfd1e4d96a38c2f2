// The audit log: who changed what, when, through which door. Append-only;
// summaries never hold secrets (the API redacts them before they get here).
import type { Store } from '../store/store.js';

export interface AuditEntry { id: number; at: string; actor: string; actorUserId: number | null; via: string; ip: string; command: string; target: string; summary: string }

interface Row { id: number; at: string; actor: string; actor_user_id: number | null; via: string; ip: string; command: string; target: string; summary: string }

export class AuditLog {
  constructor(private store: Store) {}

  append(e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): void {
    this.store.write(() => this.store.stmt('INSERT INTO audit_log (at, actor, actor_user_id, via, ip, command, target, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.at ?? new Date().toISOString(), e.actor, e.actorUserId, e.via, e.ip, e.command, e.target.slice(0, 200), e.summary.slice(0, 2000)));
  }

  list(opts: { command?: string; actor?: string; since?: string; limit?: number; offset?: number } = {}): { total: number; items: AuditEntry[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.command) { where.push('command = ?'); args.push(opts.command); }
    if (opts.actor) { where.push('actor = ?'); args.push(opts.actor); }
    if (opts.since) { where.push('at >= ?'); args.push(opts.since); }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.store.stmt(`SELECT COUNT(*) AS n FROM audit_log ${w}`).get(...args) as { n: number }).n;
    const rows = this.store.stmt(`SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, opts.limit ?? 100, opts.offset ?? 0) as Row[];
    return { total, items: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, actorUserId: r.actor_user_id, via: r.via, ip: r.ip, command: r.command, target: r.target, summary: r.summary })) };
  }
}
