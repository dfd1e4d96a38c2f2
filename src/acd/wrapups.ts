// An agent's wrap-up of a call: a free note and disposition tags. One per
// call, saved again to correct it. The tags are journaled (CallTagged, the
// CDR's tags come from the journal) and written to the CDR; the note goes to
// the customer's contact history once, when the caller matched a customer,
// so the next screen pop shows what was agreed.
import type { Store } from '../store/store.js';
import type { Customers } from '../crm/customers.js';

export const WRAPUP_TAGS = ['resolved', 'follow-up', 'sale', 'complaint', 'information', 'wrong-number'] as const;
export const TAG = /^[a-z][a-z0-9_-]{0,30}$/;

export interface WrapUp {
  journey: string; agent: string | null; author: string; note: string; tags: string[];
  customerId: number | null; createdAt: string; updatedAt: string;
}

interface Row { journey: string; agent: string | null; author: string; note: string; tags: string; customer_id: number | null; customer_note_id: number | null; created_at: string; updated_at: string }

const fromRow = (r: Row): WrapUp => ({ journey: r.journey, agent: r.agent, author: r.author, note: r.note, tags: JSON.parse(r.tags) as string[], customerId: r.customer_id, createdAt: r.created_at, updatedAt: r.updated_at });

export class WrapUps {
  constructor(private readonly store: Store, private readonly customers: Customers) {}

  get(journey: string): WrapUp | undefined {
    const r = this.store.stmt('SELECT * FROM call_wrapups WHERE journey = ?').get(journey) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  forJourneys(journeys: string[]): Map<string, WrapUp> {
    if (!journeys.length) return new Map();
    const rows = this.store.db.prepare(`SELECT * FROM call_wrapups WHERE journey IN (${journeys.map(() => '?').join(', ')})`).all(...journeys) as Row[];
    return new Map(rows.map((r) => [r.journey, fromRow(r)]));
  }

  // Saves (or replaces) the wrap-up of a call that exists; returns it with
  // the customer it was noted on.
  save(journey: string, w: { note: string; tags: string[]; agent: string | null; author: string }): WrapUp {
    const cdr = this.store.cdr.get(journey);
    if (!cdr) throw new Error(`call ${journey} does not exist`);
    const prev = this.store.stmt('SELECT * FROM call_wrapups WHERE journey = ?').get(journey) as Row | undefined;
    const at = new Date().toISOString();
    const tags = [...new Set(w.tags)];
    // The customer: whoever the outside party's number belongs to.
    const party = cdr.direction === 'outbound' ? cdr.callee : cdr.caller;
    const customer = prev?.customer_id ?? this.customers.customerByNumber(party, 0).customer?.id ?? null;
    let noteId = prev?.customer_note_id ?? null;
    if (customer !== null && noteId === null && (w.note.trim() || tags.length)) {
      const body = `${tags.length ? `[${tags.join(', ')}] ` : ''}${w.note.trim()}`.trim();
      noteId = this.customers.addNote(customer, body, w.author).id;
    }
    this.store.write(() => {
      this.store.stmt(`INSERT INTO call_wrapups (journey, agent, author, note, tags, customer_id, customer_note_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(journey) DO UPDATE SET agent = excluded.agent, author = excluded.author, note = excluded.note, tags = excluded.tags,
          customer_id = excluded.customer_id, customer_note_id = excluded.customer_note_id, updated_at = excluded.updated_at`)
        .run(journey, w.agent, w.author, w.note, JSON.stringify(tags), customer, noteId, prev?.created_at ?? at, at);
      const added = tags.filter((t) => !cdr.tags.includes(t));
      for (const tag of added) this.store.journal.append('call', 'CallTagged', { journey, data: { tag, by: w.author, agent: w.agent } });
      // The CDR keeps tags from anywhere (screening, IVR) plus this wrap-up's.
      const before = prev ? (JSON.parse(prev.tags) as string[]) : [];
      const next = [...cdr.tags.filter((t) => !before.includes(t) || tags.includes(t)), ...added];
      this.store.cdr.update(journey, { tags: next });
    });
    return this.get(journey)!;
  }
}
