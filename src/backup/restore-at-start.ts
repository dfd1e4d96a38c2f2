// Applies a staged restore (backups/pending-restore) at supervisor start,
// before the store opens: the current database is checkpointed and kept as
// backups/pre-restore-<time>.db (its custom prompts beside it), then the
// staged database and prompts take their places. Each step is a rename, and
// a start interrupted half-way finishes the job the next time.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { customDir } from '../prompts/library.js';
import { backupsDir, readPending, PENDING_DIR, type PendingRestore } from './backups.js';

export interface RestoreApplied { pending: PendingRestore; keptAs: string | null }

export function applyPendingRestore(dataDir: string): RestoreApplied | null {
  const pending = readPending(dataDir);
  if (!pending) return null;
  const staged = path.join(backupsDir(dataDir), PENDING_DIR);
  const live = path.join(dataDir, 'hotline.db');
  const at = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let keptAs: string | null = null;
  if (fs.existsSync(live)) {
    // Committed rows still in the WAL belong in the kept copy.
    const db = new Database(live);
    try { db.pragma('wal_checkpoint(TRUNCATE)'); db.pragma('journal_mode = DELETE'); } finally { db.close(); }
    keptAs = path.join(backupsDir(dataDir), `pre-restore-${at}.db`);
    fs.renameSync(live, keptAs);
  }
  for (const ext of ['-wal', '-shm']) fs.rmSync(live + ext, { force: true });
  const stagedDb = path.join(staged, 'hotline.db');
  if (fs.existsSync(stagedDb)) fs.renameSync(stagedDb, live);
  const prompts = customDir({ projectRoot: '', dataDir });
  const stagedPrompts = path.join(staged, 'prompts', 'custom');
  if (fs.existsSync(stagedPrompts)) {
    if (fs.existsSync(prompts)) fs.renameSync(prompts, path.join(backupsDir(dataDir), `pre-restore-${at}-prompts`));
    fs.mkdirSync(path.dirname(prompts), { recursive: true });
    fs.renameSync(stagedPrompts, prompts);
  }
  fs.rmSync(staged, { recursive: true, force: true });
  return { pending, keptAs };
}
