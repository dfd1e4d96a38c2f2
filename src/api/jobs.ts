// Long work started from the panel (customer CSV import and export) and its
// progress: rows done of rows in all, by phase. Each change is pushed on the
// `progress` topic; system/job/list answers a client that polls instead. A
// client may name its job (an id it made up) to pick its own events out.
import { EventEmitter } from 'node:events';
import crypto from 'node:crypto';

export interface Job {
  id: string;
  kind: 'crm-import' | 'crm-preview' | 'crm-export';
  by: string;
  phase: 'checking' | 'reading' | 'writing' | 'done' | 'failed';
  done: number;
  total: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export const JOB_ID = /^[a-zA-Z0-9_-]{1,40}$/;
const KEEP = 20;

export class Jobs extends EventEmitter {
  private jobs: Job[] = [];

  start(kind: Job['kind'], by: string, id?: string): Job {
    const job: Job = { id: id ?? crypto.randomBytes(6).toString('hex'), kind, by, phase: kind === 'crm-export' ? 'reading' : 'checking', done: 0, total: 0, startedAt: new Date().toISOString() };
    this.jobs.push(job);
    if (this.jobs.length > KEEP) this.jobs.splice(0, this.jobs.length - KEEP);
    this.emit('progress', { ...job });
    return job;
  }

  update(job: Job, patch: Partial<Pick<Job, 'phase' | 'done' | 'total' | 'error'>>): void {
    Object.assign(job, patch);
    if (job.phase === 'done' || job.phase === 'failed') job.finishedAt = new Date().toISOString();
    this.emit('progress', { ...job });
  }

  // Runs fn as a job: failed with its message if it throws.
  async run<T>(kind: Job['kind'], by: string, id: string | undefined, fn: (report: (p: Partial<Pick<Job, 'phase' | 'done' | 'total'>>) => void) => Promise<T>): Promise<T> {
    const job = this.start(kind, by, id);
    try {
      const r = await fn((p) => this.update(job, p));
      this.update(job, { phase: 'done', done: job.total });
      return r;
    } catch (e) {
      this.update(job, { phase: 'failed', error: (e as Error).message });
      throw e;
    }
  }

  list(): Job[] { return this.jobs.map((j) => ({ ...j })).reverse(); }
}
