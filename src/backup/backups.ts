// Backups of the box's data: the SQLite database copied online with SQLite's
// backup API (calls go on while it runs: each step copies a hundred pages and
// gives the event loop back) plus the custom prompts, packed into one tar in
// <data dir>/backups with a SHA-256 manifest (archive.ts). An uploaded backup
// is verified and staged in backups/pending-restore; restore-at-start.ts swaps
// it in at the next supervisor start, because replacing the database under
// running calls is unsafe. The backup policy (keep the last N, a daily backup
// at an hour of box time) is enforced here: after every backup the oldest
// beyond N are deleted, and a minute timer makes the daily one.
import { EventEmitter } from 'node:events';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store/store.js';
import { loadMigrations } from '../store/db.js';
import { customDir, PROMPT_NAME } from '../prompts/library.js';
import { ArchiveError, readArchive, writeArchive, type Manifest } from './archive.js';

export const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.tar$/;
export const PENDING_DIR = 'pending-restore';
export const PENDING_FILE = 'pending.json';

export class BackupError extends Error {
  constructor(readonly code: 'busy' | 'not_found' | 'refused', message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupInfo { name: string; size: number; createdAt: string }

// A backup being made: the panel draws its bar from these.
export interface BackupProgress {
  name: string;
  phase: 'database' | 'prompts' | 'packing' | 'done' | 'failed';
  done: number;                 // database pages copied so far
  total: number;                // database pages
  error?: string;
}

export interface PendingRestore {
  source: string;               // the uploaded file's name, as given
  backupCreatedAt: string;
  schemaVersion: number;
  files: number;
  prompts: number;
  databaseBytes: number;
  stagedAt: string;
  stagedBy: string;
}

export const backupsDir = (dataDir: string) => path.join(dataDir, 'backups');

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
const rand = () => crypto.randomBytes(6).toString('hex');

// The member names a backup may hold.
export const acceptMember = (name: string) => name === 'hotline.db' || (name.startsWith('prompts/custom/') && name.endsWith('.wav') && PROMPT_NAME.test(name.slice(15, -4)));

export interface BackupSchedulePolicy { keepLast: number; daily: boolean; hour: number }

export class Backups extends EventEmitter {
  private job: BackupProgress | null = null;
  private timer: NodeJS.Timeout | undefined;
  // The day (box time, YYYY-MM-DD) of the last automatic backup.
  private lastAutoDay: string | null = null;

  constructor(private readonly store: Store, readonly dataDir: string, private readonly policy?: () => BackupSchedulePolicy) { super(); }

  // Checks every minute whether the daily backup is due.
  startSchedule(everyMs = 60_000): void {
    this.stopSchedule();
    this.lastAutoDay = this.lastAutoDayFromJournal();
    this.timer = setInterval(() => { void this.tick().catch(() => {}); }, everyMs);
    this.timer.unref();
  }

  stopSchedule(): void { clearInterval(this.timer); this.timer = undefined; }

  // Makes the daily backup when it is on, the hour has come (box time) and
  // none was made today; returns it, or null when nothing was due.
  async tick(now = new Date()): Promise<(BackupInfo & { files: number }) | null> {
    const p = this.policy?.();
    if (!p?.daily || now.getHours() < p.hour) return null;
    const day = localDay(now);
    if (this.lastAutoDay === day) return null;
    if (this.job && this.job.phase !== 'done' && this.job.phase !== 'failed') return null;
    this.lastAutoDay = day;
    return this.create('schedule', { auto: true });
  }

  // Deletes the oldest backups beyond the policy's keep-last; returns their names.
  prune(by = 'retention'): string[] {
    const keep = this.policy?.().keepLast;
    if (!keep) return [];
    const gone = this.list().slice(keep).map((b) => b.name);
    for (const name of gone) this.delete(name, by);
    return gone;
  }

  lastAutomatic(): string | null {
    const r = this.store.stmt("SELECT at FROM journal WHERE kind = 'system' AND event = 'BackupCreated' AND json_extract(data, '$.auto') = 1 ORDER BY id DESC LIMIT 1").get() as { at: string } | undefined;
    return r?.at ?? null;
  }

  private lastAutoDayFromJournal(): string | null {
    const at = this.lastAutomatic();
    return at ? localDay(new Date(at)) : null;
  }

  get dir(): string { return backupsDir(this.dataDir); }

  list(): BackupInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((n) => BACKUP_NAME.test(n)).flatMap((name) => {
      const st = fs.statSync(path.join(this.dir, name), { throwIfNoEntry: false });
      return st?.isFile() ? [{ name, size: st.size, createdAt: st.mtime.toISOString() }] : [];
    }).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  }

  // The backup being made now, or the last one made since the supervisor started.
  progress(): BackupProgress | null { return this.job; }

  // The file of a listed backup; undefined for any other name (traversal,
  // symlinks out of the folder, files that are not backups).
  fileOf(name: string): string | undefined {
    if (!BACKUP_NAME.test(name) || !fs.existsSync(this.dir)) return undefined;
    const root = fs.realpathSync(this.dir);
    let file: string;
    try { file = fs.realpathSync(path.join(root, name)); } catch { return undefined; }
    if (path.dirname(file) !== root || !fs.statSync(file).isFile()) return undefined;
    return file;
  }

  async create(by: string, opts: { auto?: boolean } = {}): Promise<BackupInfo & { files: number }> {
    if (this.job && this.job.phase !== 'done' && this.job.phase !== 'failed') throw new BackupError('busy', `a backup (${this.job.name}) is being made; wait for it to finish`);
    fs.mkdirSync(this.dir, { recursive: true });
    const at = new Date();
    let name = `hotline-backup-${stamp(at)}.tar`;
    for (let i = 2; fs.existsSync(path.join(this.dir, name)); i++) name = `hotline-backup-${stamp(at)}-${i}.tar`;
    const job: BackupProgress = { name, phase: 'database', done: 0, total: 0 };
    this.job = job;
    const report = () => this.emit('progress', { ...job });
    report();
    const tmp = path.join(this.dir, `.tmp-${rand()}`);
    fs.mkdirSync(tmp);
    try {
      // What the batch has written so far belongs in the copy.
      this.store.flush();
      const copy = path.join(tmp, 'hotline.db');
      await this.store.db.backup(copy, {
        progress: ({ totalPages, remainingPages }) => {
          job.total = totalPages;
          job.done = totalPages - remainingPages;
          report();
          return 100;
        },
      });
      job.done = job.total;
      // The copy leaves WAL mode so it opens read-only without -wal/-shm files.
      const c = new Database(copy);
      let schemaVersion: number;
      try {
        c.pragma('journal_mode = DELETE');
        schemaVersion = (c.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      } finally { c.close(); }
      job.phase = 'prompts';
      report();
      const members = [{ name: 'hotline.db', file: copy }];
      const prompts = customDir({ projectRoot: '', dataDir: this.dataDir });
      if (fs.existsSync(prompts)) {
        for (const f of fs.readdirSync(prompts).sort()) {
          if (f.endsWith('.wav') && PROMPT_NAME.test(f.slice(0, -4)) && fs.statSync(path.join(prompts, f)).isFile()) members.push({ name: `prompts/custom/${f}`, file: path.join(prompts, f) });
        }
      }
      job.phase = 'packing';
      report();
      const partial = path.join(tmp, name);
      writeArchive(partial, members, { createdAt: at.toISOString(), schemaVersion });
      fs.renameSync(partial, path.join(this.dir, name));
      const size = fs.statSync(path.join(this.dir, name)).size;
      this.store.journal.append('system', 'BackupCreated', { data: { name, size, files: members.length, by, ...(opts.auto ? { auto: true } : {}) } });
      job.phase = 'done';
      report();
      // The backup is made: a file that cannot be pruned does not undo it.
      try { this.prune(); } catch { /* journaled deletions stop at the first failure */ }
      return { name, size, createdAt: at.toISOString(), files: members.length };
    } catch (e) {
      job.phase = 'failed';
      job.error = (e as Error).message;
      report();
      throw e;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  delete(name: string, by: string): void {
    const file = this.fileOf(name);
    if (!file) throw new BackupError('not_found', `backup ${name} does not exist`);
    fs.rmSync(file);
    this.store.journal.append('system', 'BackupDeleted', { data: { name, by } });
  }

  // Verifies an uploaded backup and stages it to be restored at the next start
  // (replacing any restore already pending). Throws BackupError('refused')
  // naming what is wrong; the upload file is always removed.
  stageRestore(upload: string, source: string, by: string): PendingRestore {
    const staging = path.join(this.dir, `.staging-${rand()}`);
    fs.mkdirSync(path.join(staging, 'prompts', 'custom'), { recursive: true });
    try {
      let manifest: Manifest;
      try {
        manifest = readArchive(upload, acceptMember, (n) => path.join(staging, n));
      } catch (e) {
        if (e instanceof ArchiveError) throw new BackupError('refused', e.message);
        throw e;
      }
      if (!manifest.files.some((f) => f.path === 'hotline.db')) throw new BackupError('refused', 'the backup holds no database (hotline.db)');
      const schemaVersion = checkDatabase(path.join(staging, 'hotline.db'));
      const pending: PendingRestore = {
        source: source.slice(0, 200), backupCreatedAt: String(manifest.createdAt), schemaVersion,
        files: manifest.files.length, prompts: manifest.files.length - 1,
        databaseBytes: fs.statSync(path.join(staging, 'hotline.db')).size,
        stagedAt: new Date().toISOString(), stagedBy: by,
      };
      // pending.json is written last and the folder renamed into place whole:
      // a half-staged restore is never applied.
      fs.writeFileSync(path.join(staging, PENDING_FILE), JSON.stringify(pending, null, 2));
      const target = path.join(this.dir, PENDING_DIR);
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
      this.store.journal.append('system', 'RestoreStaged', { data: { ...pending } });
      return pending;
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.rmSync(upload, { force: true });
    }
  }

  pending(): PendingRestore | null { return readPending(this.dataDir); }

  cancelRestore(by: string): boolean {
    const target = path.join(this.dir, PENDING_DIR);
    if (!fs.existsSync(target)) return false;
    fs.rmSync(target, { recursive: true, force: true });
    this.store.journal.append('system', 'RestoreCancelled', { data: { by } });
    return true;
  }

  // A file in the backups folder for an upload to stream into.
  uploadFile(): string {
    fs.mkdirSync(this.dir, { recursive: true });
    return path.join(this.dir, `.upload-${rand()}`);
  }
}

const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function readPending(dataDir: string): PendingRestore | null {
  const file = path.join(backupsDir(dataDir), PENDING_DIR, PENDING_FILE);
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as PendingRestore; } catch { return null; }
}

// The database of a backup opens read-only, passes integrity_check, and is not
// of a newer schema than this build knows. Returns its schema version.
function checkDatabase(file: string): number {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError('refused', `the backup's database does not open: ${(e as Error).message}`);
  }
  try {
    let ok: unknown;
    try { ok = db.pragma('integrity_check', { simple: true }); } catch (e) { throw new BackupError('refused', `the backup's database is not a SQLite database: ${(e as Error).message}`); }
    if (ok !== 'ok') throw new BackupError('refused', `the backup's database fails PRAGMA integrity_check: ${String(ok)}`);
    let version: number;
    try {
      version = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    } catch { throw new BackupError('refused', 'the backup\'s database is not a Hotline database (no schema_migrations table)'); }
    const known = Math.max(0, ...loadMigrations().map((m) => m.version));
    if (version > known) throw new BackupError('refused', `the backup's database is at schema version ${version}, newer than this build's ${known}: update the box first`);
    return version;
  } finally { db.close(); }
}
