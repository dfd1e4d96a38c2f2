// The supervisor's storage: one SQLite database, a journal and typed repos.
// Writes run at once inside a transaction that stays open for a short window
// and is committed then (one fsync per window instead of one per row); reads
// on this connection see the writes before the commit. Anything that must be
// on disk before going on (a finished call) calls flush().
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from './db.js';

// How long a batch of writes may wait for its commit. A finished call does
// not wait: it flushes.
const COMMIT_WINDOW_MS = 50;
import { Journal } from './journal.js';
import { CdrRepo } from './cdr-repo.js';
import { ConfigRepo } from './config-repo.js';
import { RecordingRepo } from './recording-repo.js';
import { VoicemailRepo } from './voicemail-repo.js';

export class Store {
  readonly journal: Journal;
  readonly cdr: CdrRepo;
  readonly config: ConfigRepo;
  readonly recordings: RecordingRepo;
  readonly voicemail: VoicemailRepo;
  private inTx = false;
  private commitTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private statements = new Map<string, Database.Statement>();
  commits = 0;

  constructor(readonly db: Db) {
    this.journal = new Journal(this);
    this.cdr = new CdrRepo(this);
    this.config = new ConfigRepo(this);
    this.recordings = new RecordingRepo(this);
    this.voicemail = new VoicemailRepo(this);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  // Runs a write inside the open batch transaction (opening one if needed).
  write<T>(fn: () => T): T {
    // A call flow still unwinding after stop() writes nothing: the next start
    // reconciles open calls with the engine.
    if (this.closed) return undefined as T;
    if (!this.inTx && !this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.inTx = true;
      this.commitTimer = setTimeout(() => this.flush(), COMMIT_WINDOW_MS);
    }
    return fn();
  }

  // A prepared statement, kept for reuse.
  stmt(sql: string): Database.Statement {
    if (this.closed) throw new Error('the store is closed (the supervisor is stopping)');
    let st = this.statements.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  // Commits the open batch now.
  flush(): void {
    clearTimeout(this.commitTimer);
    if (!this.inTx || this.closed) return;
    this.inTx = false;
    this.db.exec('COMMIT');
    this.commits++;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
