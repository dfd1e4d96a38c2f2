// The supervisor's storage: one SQLite database, a journal and typed repos.
// Writes are queued and committed together at the end of the current JS turn
// (one fsync per batch instead of one per row); anything that must be on disk
// before going on (a finished call) calls flush().
import { openDatabase, type Db } from './db.js';
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
  private queue: (() => void)[] = [];
  private scheduled = false;
  private closed = false;

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

  // Queues a write for the next batch.
  write(fn: () => void): void {
    if (this.closed) throw new Error('store is closed');
    this.queue.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.queue.length || this.closed) return;
    const batch = this.queue;
    this.queue = [];
    this.db.transaction(() => { for (const fn of batch) fn(); })();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
