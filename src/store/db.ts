// Opens the supervisor's SQLite database: WAL, synchronous=FULL (checked,
// because a finished call record must survive a power cut), foreign keys on,
// and the numbered migrations in src/store/migrations applied in order.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../native/addon.js';

export type Db = Database.Database;

export class StoreError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export function migrationsDir(): string {
  return path.join(projectRoot(), 'src', 'store', 'migrations');
}

export interface Migration { version: number; name: string; sql: string }

export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(f);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: fs.readFileSync(path.join(dir, f), 'utf8') });
  }
  // Numbers rise but may skip (features reserve ranges: 010+ is the API's), so
  // branches can add migrations without renumbering each other's.
  out.forEach((m, i) => {
    const prev = i ? out[i - 1]!.version : 0;
    if (m.version <= prev) throw new StoreError('bad_migrations', `migration ${m.version}-${m.name} repeats number ${m.version}`);
  });
  return out;
}

export function openDatabase(file: string, opts: { migrations?: Migration[] } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const sync = db.pragma('synchronous', { simple: true });
    if (sync !== 2 && sync !== 3) throw new StoreError('unsafe_storage', `SQLite synchronous is ${String(sync)}, not FULL: finished calls could be lost on power loss`);
    if (file !== ':memory:') {
      const mode = db.pragma('journal_mode', { simple: true });
      if (mode !== 'wal') throw new StoreError('unsafe_storage', `SQLite journal mode is ${String(mode)}, not WAL`);
    }
    migrate(db, opts.migrations ?? loadMigrations());
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Db, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) throw new StoreError('newer_database', `the database is at schema version ${newest}, this build knows ${known}: refusing to run an older build on it`);
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}
