// Customers: several numbers each, company, address, tags, an owner and notes;
// search, filter, sort and paging; the contact history (every call to or from
// one of the customer's numbers, with its recordings, and every note); and
// the screen pop for an incoming number.
import { z } from 'zod';
import type { Store } from '../store/store.js';
import type { Cdr } from '../store/cdr-repo.js';
import type { RecordingRow } from '../store/recording-repo.js';
import { normalizeNumber, numberVariants, chinaRegion, type Region } from './china-number.js';

export class CrmError extends Error {
  constructor(readonly code: 'validation_failed' | 'not_found' | 'conflict', message: string, readonly errors?: { path: string; message: string; row?: number }[]) {
    super(message);
    this.name = 'CrmError';
  }
}

export const phoneInput = z.object({
  number: z.string().max(32, 'a number is at most 32 characters').refine((n) => normalizeNumber(n) !== null, 'not a phone number: digits, optionally a leading +, spaces, - ( ) .'),
  label: z.string().max(40).default(''),
}).strict();

export const customerInput = z.object({
  name: z.string().trim().min(1, 'a customer needs a name').max(200),
  company: z.string().max(200).default(''),
  address: z.string().max(500).default(''),
  phones: z.array(phoneInput).max(10, 'at most 10 numbers').default([]),
  tags: z.array(z.string().trim().min(1, 'a tag is not empty').max(40)).max(20, 'at most 20 tags').default([]),
  ownerId: z.number().int().positive().nullable().default(null),
}).strict();
export type CustomerInput = z.output<typeof customerInput>;

export interface Phone { number: string; norm: string; label: string }
export interface Customer {
  id: number; name: string; company: string; address: string;
  phones: Phone[]; tags: string[]; owner: { id: number; username: string } | null;
  createdAt: string; updatedAt: string; createdBy: string;
}
export interface Note { id: number; customerId: number; body: string; author: string; createdAt: string }
export type HistoryItem =
  | { type: 'call'; at: string; call: Cdr; recordings: RecordingRow[] }
  | { type: 'note'; at: string; note: Note };

export const SORTS = { name: 'c.name COLLATE NOCASE', company: 'c.company COLLATE NOCASE', createdAt: 'c.created_at', updatedAt: 'c.updated_at' } as const;
export interface ListQuery { q?: string; tag?: string; ownerId?: number; sort?: keyof typeof SORTS; order?: 'asc' | 'desc'; limit?: number; offset?: number }

interface Row { id: number; name: string; company: string; address: string; owner_id: number | null; owner_name: string | null; created_at: string; updated_at: string; created_by: string }

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class Customers {
  constructor(readonly store: Store) {}

  get(id: number): Customer | undefined {
    const r = this.store.stmt('SELECT c.*, u.username AS owner_name FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = ?').get(id) as Row | undefined;
    return r ? this.hydrate([r])[0] : undefined;
  }

  mustGet(id: number): Customer {
    const c = this.get(id);
    if (!c) throw new CrmError('not_found', `customer ${id} does not exist`);
    return c;
  }

  list(q: ListQuery = {}): { total: number; items: Customer[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.q) {
      const digits = q.q.replace(/[\s\-().]/g, '');
      where.push("(c.name LIKE ? ESCAPE '\\' OR c.company LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id AND (p.number LIKE ? ESCAPE '\\' OR p.norm LIKE ? ESCAPE '\\')))");
      args.push(like(q.q), like(q.q), like(q.q), like(digits || q.q));
    }
    if (q.tag) { where.push('EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)'); args.push(q.tag); }
    if (q.ownerId !== undefined) { where.push('c.owner_id = ?'); args.push(q.ownerId); }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.store.stmt(`SELECT COUNT(*) AS n FROM customers c ${w}`).get(...args) as { n: number }).n;
    const order = `${SORTS[q.sort ?? 'name']} ${q.order === 'desc' ? 'DESC' : 'ASC'}, c.id ${q.order === 'desc' ? 'DESC' : 'ASC'}`;
    const rows = this.store.stmt(`SELECT c.*, u.username AS owner_name FROM customers c LEFT JOIN users u ON u.id = c.owner_id ${w} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? 50, q.offset ?? 0) as Row[];
    return { total, items: this.hydrate(rows) };
  }

  create(input: CustomerInput, by: string): Customer {
    this.checkOwner(input.ownerId);
    const at = new Date().toISOString();
    const id = Number(this.store.write(() => this.store.stmt('INSERT INTO customers (name, company, address, owner_id, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.name, input.company, input.address, input.ownerId, at, at, by).lastInsertRowid));
    this.setPhonesAndTags(id, input);
    return this.get(id)!;
  }

  update(id: number, patch: Partial<CustomerInput>): Customer {
    const cur = this.mustGet(id);
    if (patch.ownerId !== undefined) this.checkOwner(patch.ownerId);
    const next = {
      name: patch.name ?? cur.name, company: patch.company ?? cur.company, address: patch.address ?? cur.address,
      ownerId: patch.ownerId !== undefined ? patch.ownerId : cur.owner?.id ?? null,
    };
    this.store.write(() => this.store.stmt('UPDATE customers SET name = ?, company = ?, address = ?, owner_id = ?, updated_at = ? WHERE id = ?')
      .run(next.name, next.company, next.address, next.ownerId, new Date().toISOString(), id));
    if (patch.phones || patch.tags) this.setPhonesAndTags(id, { phones: patch.phones, tags: patch.tags });
    return this.get(id)!;
  }

  remove(id: number): void {
    this.mustGet(id);
    this.store.write(() => this.store.stmt('DELETE FROM customers WHERE id = ?').run(id));
  }

  addNote(customerId: number, body: string, author: string): Note {
    this.mustGet(customerId);
    const at = new Date().toISOString();
    const id = Number(this.store.write(() => this.store.stmt('INSERT INTO customer_notes (customer_id, body, author, created_at) VALUES (?, ?, ?, ?)').run(customerId, body, author, at).lastInsertRowid));
    return { id, customerId, body, author, createdAt: at };
  }

  notes(customerId: number): Note[] {
    return (this.store.stmt('SELECT * FROM customer_notes WHERE customer_id = ? ORDER BY created_at DESC, id DESC').all(customerId) as { id: number; customer_id: number; body: string; author: string; created_at: string }[])
      .map((r) => ({ id: r.id, customerId: r.customer_id, body: r.body, author: r.author, createdAt: r.created_at }));
  }

  // Every call to or from the customer's numbers (with recordings) and every note, newest first.
  history(customerId: number, limit = 100): HistoryItem[] {
    const c = this.mustGet(customerId);
    const calls = this.callsFor(c.phones.map((p) => p.norm), limit);
    const notes: HistoryItem[] = this.notes(customerId).slice(0, limit).map((note) => ({ type: 'note', at: note.createdAt, note }));
    return [...calls, ...notes].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }

  // The screen pop: who is calling, what happened before, and where the number is from.
  customerByNumber(number: string, historyLimit = 10): { number: string; normalized: string | null; customer: Customer | null; otherMatches: number; history: HistoryItem[]; region: Region | null } {
    const norm = normalizeNumber(number);
    const ids = norm ? (this.store.stmt('SELECT DISTINCT customer_id FROM customer_phones WHERE norm = ? ORDER BY customer_id').all(norm) as { customer_id: number }[]).map((r) => r.customer_id) : [];
    const customer = ids.length ? this.get(ids[0]!) ?? null : null;
    const history = customer ? this.history(customer.id, historyLimit) : norm ? this.callsFor([norm], historyLimit) : [];
    return { number, normalized: norm, customer, otherMatches: Math.max(0, ids.length - 1), history, region: chinaRegion(number) };
  }

  tags(): { tag: string; count: number }[] {
    return this.store.stmt('SELECT tag, COUNT(*) AS count FROM customer_tags GROUP BY tag ORDER BY tag').all() as { tag: string; count: number }[];
  }

  private callsFor(norms: string[], limit: number): HistoryItem[] {
    const variants = [...new Set(norms.flatMap(numberVariants))];
    if (!variants.length) return [];
    const ph = variants.map(() => '?').join(', ');
    const journeys = this.store.stmt(`SELECT journey FROM cdr WHERE caller IN (${ph}) OR callee IN (${ph}) ORDER BY started_at DESC LIMIT ?`).all(...variants, ...variants, limit) as { journey: string }[];
    return journeys.map(({ journey }) => {
      const call = this.store.cdr.get(journey)!;
      return { type: 'call' as const, at: call.startedAt, call, recordings: this.store.recordings.forJourney(journey) };
    });
  }

  private checkOwner(ownerId: number | null | undefined): void {
    if (ownerId === null || ownerId === undefined) return;
    const u = this.store.stmt('SELECT disabled FROM users WHERE id = ?').get(ownerId) as { disabled: number } | undefined;
    if (!u) throw new CrmError('validation_failed', `ownerId: user ${ownerId} does not exist`, [{ path: 'ownerId', message: `user ${ownerId} does not exist` }]);
  }

  private setPhonesAndTags(id: number, v: { phones?: { number: string; label: string }[]; tags?: string[] }): void {
    this.store.write(() => {
      if (v.phones) {
        this.store.stmt('DELETE FROM customer_phones WHERE customer_id = ?').run(id);
        for (const p of v.phones) this.store.stmt('INSERT INTO customer_phones (customer_id, number, norm, label) VALUES (?, ?, ?, ?)').run(id, p.number, normalizeNumber(p.number) ?? p.number, p.label);
      }
      if (v.tags) {
        this.store.stmt('DELETE FROM customer_tags WHERE customer_id = ?').run(id);
        for (const t of new Set(v.tags)) this.store.stmt('INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)').run(id, t);
      }
    });
  }

  private hydrate(rows: Row[]): Customer[] {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const ph = ids.map(() => '?').join(', ');
    const phones = this.store.db.prepare(`SELECT customer_id, number, norm, label FROM customer_phones WHERE customer_id IN (${ph}) ORDER BY id`).all(...ids) as (Phone & { customer_id: number })[];
    const tags = this.store.db.prepare(`SELECT customer_id, tag FROM customer_tags WHERE customer_id IN (${ph}) ORDER BY tag`).all(...ids) as { customer_id: number; tag: string }[];
    return rows.map((r) => ({
      id: r.id, name: r.name, company: r.company, address: r.address,
      phones: phones.filter((p) => p.customer_id === r.id).map(({ number, norm, label }) => ({ number, norm, label })),
      tags: tags.filter((t) => t.customer_id === r.id).map((t) => t.tag),
      owner: r.owner_id !== null ? { id: r.owner_id, username: r.owner_name ?? '' } : null,
      createdAt: r.created_at, updatedAt: r.updated_at, createdBy: r.created_by,
    }));
  }
}
