// Call detail records: one row per journey, opened at the first ring, updated
// at answer and closed at the end. Durations come from engine time (the one
// clock), timestamps from the wall clock.
import type { Store } from './store.js';

export type Direction = 'inbound' | 'outbound' | 'internal';
export type Disposition = 'in_progress' | 'answered' | 'no_answer' | 'busy' | 'failed' | 'abandoned' | 'blocked' | 'voicemail' | 'ivr' | 'interrupted' | 'callback';

export interface Cdr {
  journey: string;
  direction: Direction;
  caller: string;
  callerName: string;
  callee: string;
  trunk: string | null;
  port: number | null;
  did: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  startMs: number | null;
  answerMs: number | null;
  talkS: number | null;
  waitS: number | null;
  disposition: Disposition;
  hangupSide: string | null;
  hangupCause: string | null;
  route: string | null;
  ivrPath: string | null;
  queue: string | null;
  agent: string | null;
  extension: string | null;
  recordings: number[];
  legs: number[];
  tags: string[];
}

const COLUMNS: Record<keyof Cdr, string> = {
  journey: 'journey', direction: 'direction', caller: 'caller', callerName: 'caller_name', callee: 'callee',
  trunk: 'trunk', port: 'port', did: 'did', startedAt: 'started_at', answeredAt: 'answered_at', endedAt: 'ended_at',
  startMs: 'start_ms', answerMs: 'answer_ms', talkS: 'talk_s', waitS: 'wait_s', disposition: 'disposition',
  hangupSide: 'hangup_side', hangupCause: 'hangup_cause', route: 'route', ivrPath: 'ivr_path', queue: 'queue',
  agent: 'agent', extension: 'extension', recordings: 'recordings', legs: 'legs', tags: 'tags',
};
const JSON_FIELDS = new Set<keyof Cdr>(['recordings', 'legs', 'tags']);

export type CdrOpen = Pick<Cdr, 'journey' | 'direction' | 'caller' | 'startedAt'> & Partial<Omit<Cdr, 'journey' | 'direction' | 'caller' | 'startedAt'>>;

export class CdrRepo {
  constructor(private store: Store) {}

  open(c: CdrOpen): void {
    const row = toRow(c);
    const cols = Object.keys(row);
    this.store.write(() => {
      this.store.stmt(`INSERT INTO cdr (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
    });
  }

  update(journey: string, patch: Partial<Omit<Cdr, 'journey'>>): void {
    const row = toRow(patch);
    const cols = Object.keys(row);
    if (!cols.length) return;
    this.store.write(() => {
      this.store.stmt(`UPDATE cdr SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE journey = ?`).run(...Object.values(row), journey);
    });
  }

  get(journey: string): Cdr | undefined {
    const r = this.store.stmt('SELECT * FROM cdr WHERE journey = ?').get(journey) as Record<string, unknown> | undefined;
    return r ? fromRow(r) : undefined;
  }

  list(opts: { since?: string; until?: string; caller?: string; agent?: string; limit?: number; offset?: number } = {}): Cdr[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.agent !== undefined) { where.push('agent = ?'); args.push(opts.agent); }
    if (opts.since) { where.push('started_at >= ?'); args.push(opts.since); }
    if (opts.until) { where.push('started_at < ?'); args.push(opts.until); }
    if (opts.caller) { where.push('caller = ?'); args.push(opts.caller); }
    const sql = `SELECT * FROM cdr ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    return (this.store.stmt(sql).all(...args, opts.limit ?? 1000, opts.offset ?? 0) as Record<string, unknown>[]).map(fromRow);
  }

  openRows(): Cdr[] {
    return (this.store.stmt("SELECT * FROM cdr WHERE disposition = 'in_progress' ORDER BY started_at").all() as Record<string, unknown>[]).map(fromRow);
  }
}

function toRow(c: Partial<Cdr>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c) as [keyof Cdr, unknown][]) {
    if (v === undefined) continue;
    const col = COLUMNS[k];
    if (!col) throw new Error(`cdr has no field ${k}`);
    row[col] = JSON_FIELDS.has(k) ? JSON.stringify(v) : v;
  }
  return row;
}

function fromRow(r: Record<string, unknown>): Cdr {
  const out: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(COLUMNS) as [keyof Cdr, string][]) {
    const v = r[col];
    out[k] = JSON_FIELDS.has(k) ? JSON.parse((v as string) ?? '[]') : v ?? null;
  }
  return out as unknown as Cdr;
}
