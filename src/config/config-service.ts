// The supervisor's configuration: validated documents in the store, cached in
// memory, applied hot (every read goes through here, so the next call sees a
// change at once). A save is checked against its schema and against the rest
// of the configuration (a route to a missing IVR, a port given to two
// extensions); errors name the field.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import {
  extensionSchema, trunkSchema, screeningSchema, settingsSchema,
  type Extension, type Trunk, type ScreeningEntry, type Settings,
} from './schemas.js';
import { KIND_SCHEMAS, crossCheck, type ConfigKind, type ConfigDocs, type CheckEnv } from './kinds.js';

export interface FieldError { path: string; message: string }

export class ConfigError extends Error {
  readonly code = 'validation_failed';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

export function zodErrors(err: z.ZodError, prefix = ''): FieldError[] {
  return err.issues.map((i) => ({ path: [prefix, ...i.path].filter((p) => p !== '').join('.') || '(document)', message: i.message }));
}

export class ConfigService extends EventEmitter {
  private docs!: ConfigDocs;
  private version = '';

  constructor(private store: Store, private env: CheckEnv) {
    super();
    this.reload();
  }

  // A fingerprint of the stored configuration: another process (hotline
  // config import) changing it shows here.
  storedVersion(): string {
    const r = this.store.stmt('SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM config').get() as { n: number; at: string | null };
    return `${r.n}/${r.at ?? ''}`;
  }

  // Picks up a configuration another process stored; true when it changed.
  reloadIfChanged(): boolean {
    const v = this.storedVersion();
    if (v === this.version) return false;
    this.reload();
    this.emit('changed', { kind: '*', id: '*' });
    return true;
  }

  reload(): void {
    const docs = emptyDocs();
    for (const kind of Object.keys(KIND_SCHEMAS) as ConfigKind[]) {
      for (const { id, doc } of this.store.config.list(kind)) {
        const r = KIND_SCHEMAS[kind].safeParse(doc);
        // A document that no longer validates (older build wrote it) is skipped, not fatal.
        if (r.success) (docs[kind] as Map<string, unknown>).set(id, r.data);
      }
    }
    this.docs = docs;
    this.version = this.storedVersion();
  }

  get settings(): Settings {
    return (this.docs.settings.get('main') as Settings | undefined) ?? settingsSchema.parse({});
  }

  extension(ext: string): Extension | undefined { return this.docs.extension.get(ext) as Extension | undefined; }
  extensions(): Extension[] { return [...this.docs.extension.values()] as Extension[]; }
  extensionByPort(chan: number): Extension | undefined { return this.extensions().find((e) => e.port === chan); }
  trunk(id: string): Trunk | undefined { return this.docs.trunk.get(id) as Trunk | undefined; }
  trunks(): Trunk[] { return [...this.docs.trunk.values()] as Trunk[]; }
  trunkByPort(chan: number): Trunk | undefined { return this.trunks().find((t) => t.ports.includes(chan)); }
  screening(): ScreeningEntry[] { return [...this.docs.screening.values()] as ScreeningEntry[]; }
  list<K extends ConfigKind>(kind: K): z.output<(typeof KIND_SCHEMAS)[K]>[] { return [...this.docs[kind].values()] as z.output<(typeof KIND_SCHEMAS)[K]>[]; }
  table<K extends ConfigKind>(kind: K): Record<string, z.output<(typeof KIND_SCHEMAS)[K]>> { return Object.fromEntries(this.docs[kind]) as Record<string, z.output<(typeof KIND_SCHEMAS)[K]>>; }
  doc<K extends ConfigKind>(kind: K, id: string): z.output<(typeof KIND_SCHEMAS)[K]> | undefined { return this.docs[kind].get(id) as z.output<(typeof KIND_SCHEMAS)[K]> | undefined; }

  // Validates and saves one document; throws ConfigError.
  put(kind: ConfigKind, id: string, raw: unknown): unknown {
    const { data, next } = this.checked(kind, id, raw);
    this.store.config.put(kind, id, data);
    this.docs = next;
    this.version = this.storedVersion();
    this.emit('changed', { kind, id });
    return data;
  }

  // What put would save, without saving it (the panel's "check" button); throws ConfigError.
  check(kind: ConfigKind, id: string, raw: unknown): unknown {
    return this.checked(kind, id, raw).data;
  }

  private checked(kind: ConfigKind, id: string, raw: unknown): { data: unknown; next: ConfigDocs } {
    const schema = KIND_SCHEMAS[kind];
    if (!schema) throw new ConfigError([{ path: 'kind', message: `no configuration kind "${String(kind)}"` }]);
    const r = schema.safeParse(raw);
    if (!r.success) throw new ConfigError(zodErrors(r.error));
    const next = cloneDocs(this.docs);
    (next[kind] as Map<string, unknown>).set(id, r.data);
    const errors = crossCheck(next, this.env).filter((e) => e.kind === kind && e.id === id || e.global);
    if (errors.length) throw new ConfigError(errors.map((e) => ({ path: e.path, message: e.message })));
    return { data: r.data, next };
  }

  remove(kind: ConfigKind, id: string): boolean {
    const next = cloneDocs(this.docs);
    if (!next[kind].delete(id)) return false;
    const errors = crossCheck(next, this.env);
    if (errors.length) throw new ConfigError(errors.map((e) => ({ path: `${e.kind}.${e.id}.${e.path}`, message: `${e.message} (still refers to ${kind} ${id})` })));
    this.store.config.remove(kind, id);
    this.docs = next;
    this.version = this.storedVersion();
    this.emit('changed', { kind, id });
    return true;
  }

  // Replaces the whole configuration from a bundle { kind: { id: doc } }: all
  // of it validates or nothing changes.
  importBundle(bundle: unknown): void {
    if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) throw new ConfigError([{ path: '(bundle)', message: 'a configuration bundle is an object of kinds' }]);
    const next = emptyDocs();
    const errors: FieldError[] = [];
    for (const [kind, docs] of Object.entries(bundle as Record<string, unknown>)) {
      const schema = KIND_SCHEMAS[kind as ConfigKind];
      if (!schema) { errors.push({ path: kind, message: `no configuration kind "${kind}"` }); continue; }
      if (!docs || typeof docs !== 'object' || Array.isArray(docs)) { errors.push({ path: kind, message: 'expected an object of id → document' }); continue; }
      for (const [id, raw] of Object.entries(docs as Record<string, unknown>)) {
        const r = schema.safeParse(raw);
        if (r.success) (next[kind as ConfigKind] as Map<string, unknown>).set(id, r.data);
        else errors.push(...zodErrors(r.error, `${kind}.${id}`));
      }
    }
    if (!errors.length) errors.push(...crossCheck(next, this.env).map((e) => ({ path: `${e.kind}.${e.id}.${e.path}`, message: e.message })));
    if (errors.length) throw new ConfigError(errors);
    const rows: { kind: string; id: string; doc: unknown }[] = [];
    for (const kind of Object.keys(next) as ConfigKind[]) for (const [id, doc] of next[kind]) rows.push({ kind, id, doc });
    this.store.config.replaceAll(rows);
    this.docs = next;
    this.version = this.storedVersion();
    this.emit('changed', { kind: '*', id: '*' });
  }

  exportBundle(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const kind of Object.keys(this.docs) as ConfigKind[]) {
      if (this.docs[kind].size) out[kind] = Object.fromEntries(this.docs[kind]);
    }
    return out;
  }
}

function emptyDocs(): ConfigDocs {
  return Object.fromEntries(Object.keys(KIND_SCHEMAS).map((k) => [k, new Map()])) as ConfigDocs;
}

function cloneDocs(d: ConfigDocs): ConfigDocs {
  return Object.fromEntries(Object.entries(d).map(([k, m]) => [k, new Map(m as Map<string, unknown>)])) as unknown as ConfigDocs;
}

export { extensionSchema, trunkSchema, screeningSchema, settingsSchema };
