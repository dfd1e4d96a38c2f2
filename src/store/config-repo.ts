// Configuration documents stored as JSON by (kind, id). Validation belongs to
// the config service (src/config/), which knows the schemas; this is storage.
import type { Store } from './store.js';

export class ConfigRepo {
  constructor(private store: Store) {}

  get<T = unknown>(kind: string, id: string): T | undefined {
    const r = this.store.stmt('SELECT doc FROM config WHERE kind = ? AND id = ?').get(kind, id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as T) : undefined;
  }

  list<T = unknown>(kind: string): { id: string; doc: T }[] {
    return (this.store.stmt('SELECT id, doc FROM config WHERE kind = ? ORDER BY id').all(kind) as { id: string; doc: string }[])
      .map((r) => ({ id: r.id, doc: JSON.parse(r.doc) as T }));
  }

  // Config writes commit at once: an admin's save must not sit in a batch.
  put(kind: string, id: string, doc: unknown): void {
    this.store.write(() => this.store.stmt('INSERT INTO config (kind, id, doc, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at')
      .run(kind, id, JSON.stringify(doc), new Date().toISOString()));
    this.store.flush();
  }

  remove(kind: string, id: string): boolean {
    const n = this.store.write(() => this.store.stmt('DELETE FROM config WHERE kind = ? AND id = ?').run(kind, id).changes);
    this.store.flush();
    return n > 0;
  }

  replaceAll(docs: { kind: string; id: string; doc: unknown }[]): void {
    this.store.flush();
    const at = new Date().toISOString();
    this.store.db.transaction(() => {
      this.store.db.prepare('DELETE FROM config').run();
      const ins = this.store.db.prepare('INSERT INTO config (kind, id, doc, updated_at) VALUES (?, ?, ?, ?)');
      for (const d of docs) ins.run(d.kind, d.id, JSON.stringify(d.doc), at);
    })();
  }
}
