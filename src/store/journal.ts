// The append-only journal of call, queue, agent and system events: the source
// from which CDRs and reports can be recomputed.
import type { Store } from './store.js';

export type JournalKind = 'call' | 'queue' | 'agent' | 'system';

export interface JournalEntry {
  id: number;
  at: string;
  engineMs: number | null;
  journey: string | null;
  kind: JournalKind;
  event: string;
  data: Record<string, unknown>;
}

interface Row { id: number; at: string; engine_ms: number | null; journey: string | null; kind: JournalKind; event: string; data: string }

export class Journal {
  private listeners = new Set<(e: Omit<JournalEntry, 'id'>) => void>();

  constructor(private store: Store) {}

  append(kind: JournalKind, event: string, fields: { journey?: string | null; engineMs?: number | null; data?: Record<string, unknown>; at?: Date } = {}): void {
    const entry = {
      at: (fields.at ?? new Date()).toISOString(),
      engineMs: fields.engineMs ?? null,
      journey: fields.journey ?? null,
      kind, event,
      data: fields.data ?? {},
    };
    const json = JSON.stringify(entry.data);
    this.store.write(() => {
      this.store.stmt('INSERT INTO journal (at, engine_ms, journey, kind, event, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.at, entry.engineMs, entry.journey, kind, event, json);
    });
    for (const l of this.listeners) l(entry);
  }

  // Live subscribers (the API's event stream, live stats).
  subscribe(fn: (e: Omit<JournalEntry, 'id'>) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  forJourney(journey: string): JournalEntry[] {
    return (this.store.stmt('SELECT * FROM journal WHERE journey = ? ORDER BY id').all(journey) as Row[]).map(toEntry);
  }

  query(opts: { kind?: JournalKind; event?: string; since?: string; limit?: number } = {}): JournalEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.kind) { where.push('kind = ?'); args.push(opts.kind); }
    if (opts.event) { where.push('event = ?'); args.push(opts.event); }
    if (opts.since) { where.push('at >= ?'); args.push(opts.since); }
    const sql = `SELECT * FROM journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    return (this.store.stmt(sql).all(...args, opts.limit ?? 10000) as Row[]).map(toEntry);
  }
}

function toEntry(r: Row): JournalEntry {
  return { id: r.id, at: r.at, engineMs: r.engine_ms, journey: r.journey, kind: r.kind, event: r.event, data: JSON.parse(r.data) as Record<string, unknown> };
}
