// The one fold over the ACD's journal entries (src/acd/events.ts): what each
// queue and agent event counts, and agent attendance as login and pause
// intervals. Reports, the rollup's recomputation and the live statistics all
// count through here; the journal triggers of migration 003 keep the same
// counts per 15-minute slot, and a test holds the two to each other.
//
// Choices the numbers depend on:
// - offered = QueueJoined (a call transferred from queue A to B counts once in
//   each); answered = QueueAnswered; abandon rate = abandoned / offered.
// - ASA = mean QueueAnswered.waitSec. Service level = answered within the
//   queue's serviceLevelSec (whole seconds, waits rounded up to 0.1 s as the
//   journal has them) / offered.
// - AHT = (talk of QueueCallCompleted + wrap-up of AgentWrapUpEnded naming the
//   queue) / QueueCallCompleted count. Callbacks count in handled and talk
//   (they have a QueueCallCompleted) but not in answered (no QueueAnswered).
// - Every event counts in the period of its own `at`: talk in the period the
//   call ended, wrap-up where it ended, so occupancy of an hour with a long
//   call ending in it can exceed 1.
// - Attendance: login from AgentLoggedIn to AgentLoggedOut, pause from
//   AgentPaused to AgentResumed / the next AgentPaused / AgentLoggedOut, both
//   clipped to the period; a pause asked for during a call counts from when it
//   was asked. Occupancy = (talk + wrap-up) / (login - pause).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';

export const SLOT_SEC = 900;
export type Dim = 'queue' | 'agent';

export interface Counters {
  offered: number; answered: number; answeredDs: number; abandoned: number; abandonedDs: number; exited: number;
  ovfMaxWait: number; ovfMaxLength: number; ovfNoAgents: number; ovfServiceLevel: number; ovfLeaveWhenEmpty: number; ovfOther: number;
  handled: number; talkDs: number; wrapN: number; wrapDs: number; transfers: number; offers: number; offersMissed: number;
  cbRequested: number; cbAnswered: number; cbNoAnswer: number; cbFailed: number;
  // Answered calls by whole seconds waited (rounded up; WAIT_BIN_MAX = longer).
  waitHist: Record<string, number>;
}
export type CounterField = Exclude<keyof Counters, 'waitHist'>;
export const WAIT_BIN_MAX = 601;

// Counter fields and their acd_rollup columns, in table order.
export const ROLLUP_COLUMNS: readonly [CounterField, string][] = [
  ['offered', 'offered'], ['answered', 'answered'], ['answeredDs', 'answered_ds'], ['abandoned', 'abandoned'], ['abandonedDs', 'abandoned_ds'],
  ['exited', 'exited'], ['ovfMaxWait', 'ovf_max_wait'], ['ovfMaxLength', 'ovf_max_length'], ['ovfNoAgents', 'ovf_no_agents'],
  ['ovfServiceLevel', 'ovf_service_level'], ['ovfLeaveWhenEmpty', 'ovf_leave_when_empty'], ['ovfOther', 'ovf_other'], ['handled', 'handled'],
  ['talkDs', 'talk_ds'], ['wrapN', 'wrap_n'], ['wrapDs', 'wrap_ds'], ['transfers', 'transfers'], ['offers', 'offers'], ['offersMissed', 'offers_missed'],
  ['cbRequested', 'cb_requested'], ['cbAnswered', 'cb_answered'], ['cbNoAnswer', 'cb_no_answer'], ['cbFailed', 'cb_failed'],
];

export function emptyCounters(): Counters {
  return {
    offered: 0, answered: 0, answeredDs: 0, abandoned: 0, abandonedDs: 0, exited: 0, ovfMaxWait: 0, ovfMaxLength: 0, ovfNoAgents: 0,
    ovfServiceLevel: 0, ovfLeaveWhenEmpty: 0, ovfOther: 0, handled: 0, talkDs: 0, wrapN: 0, wrapDs: 0, transfers: 0, offers: 0, offersMissed: 0,
    cbRequested: 0, cbAnswered: 0, cbNoAnswer: 0, cbFailed: 0, waitHist: {},
  };
}

const FIELDS: readonly CounterField[] = ROLLUP_COLUMNS.map(([f]) => f);

export function addCounters(into: Counters, c: Counters): void {
  for (let i = 0; i < FIELDS.length; i++) into[FIELDS[i]!] += c[FIELDS[i]!];
  for (const k in c.waitHist) into.waitHist[k] = (into.waitHist[k] ?? 0) + c.waitHist[k]!;
}

// Answered within `sec` (whole seconds: a wait of 20.1 s misses 20).
export function answeredWithin(c: Counters, sec: number): number {
  const limit = Math.floor(sec);
  let n = 0;
  for (const k in c.waitHist) if (Number(k) <= limit) n += c.waitHist[k]!;
  return n;
}

// Values as SQLite's json_extract gives them to the triggers.
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return JSON.stringify(v);
}
function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseFloat(v) || 0;
  return 0;
}
const ds = (v: unknown): number => Math.max(0, Math.round(num(v) * 10));

const OVERFLOW: Record<string, CounterField> = { maxWait: 'ovfMaxWait', maxLength: 'ovfMaxLength', noAgents: 'ovfNoAgents', serviceLevel: 'ovfServiceLevel', leaveWhenEmpty: 'ovfLeaveWhenEmpty' };

// What one entry counts: `bump` gives the counters of (dim, id) for it.
// Returns false for entries that count nothing.
export function countEntry(kind: string, event: string, d: Record<string, unknown>, bump: (dim: Dim, id: string) => Counters): boolean {
  if (kind !== (event === 'AgentWrapUpEnded' ? 'agent' : 'queue')) return false;
  switch (event) {
    case 'QueueJoined': bump('queue', text(d.queue)).offered++; return true;
    case 'QueueOffered': bump('agent', text(d.agent)).offers++; return true;
    case 'QueueOfferMissed': bump('agent', text(d.agent)).offersMissed++; return true;
    case 'QueueAnswered': {
      const q = bump('queue', text(d.queue));
      const w = ds(d.waitSec);
      const bin = String(Math.min(WAIT_BIN_MAX, Math.ceil(w / 10)));
      q.answered++; q.answeredDs += w; q.waitHist[bin] = (q.waitHist[bin] ?? 0) + 1;
      bump('agent', text(d.agent)).answered++;
      return true;
    }
    case 'QueueAbandoned': { const q = bump('queue', text(d.queue)); q.abandoned++; q.abandonedDs += ds(d.waitSec); return true; }
    case 'QueueOverflowed': bump('queue', text(d.queue))[(typeof d.why === 'string' && Object.hasOwn(OVERFLOW, d.why) ? OVERFLOW[d.why] : undefined) ?? 'ovfOther']++; return true;
    case 'QueueExited': bump('queue', text(d.queue)).exited++; return true;
    case 'QueueCallCompleted': {
      const t = ds(d.talkSec);
      const q = bump('queue', text(d.queue)); q.handled++; q.talkDs += t;
      const a = bump('agent', text(d.agent)); a.handled++; a.talkDs += t;
      return true;
    }
    case 'QueueTransferred': bump('queue', text(d.queue)).transfers++; bump('agent', text(d.agent)).transfers++; return true;
    case 'CallbackRequested': bump('queue', text(d.queue)).cbRequested++; return true;
    case 'CallbackServed': {
      const f: CounterField = d.outcome === 'answered' ? 'cbAnswered' : d.outcome === 'no-answer' ? 'cbNoAnswer' : 'cbFailed';
      bump('queue', text(d.queue))[f]++; bump('agent', text(d.agent))[f]++;
      return true;
    }
    case 'AgentWrapUpEnded': {
      const w = ds(d.sec);
      const a = bump('agent', text(d.agent)); a.wrapN++; a.wrapDs += w;
      if (text(d.queue) !== '') { const q = bump('queue', text(d.queue)); q.wrapN++; q.wrapDs += w; }
      return true;
    }
    default: return false;
  }
}

export interface Interval { agent: string; kind: 'login' | 'pause'; reason: string | null; startAt: string; endAt: string | null }

// Agents' login and pause state; each interval is told when it opens and
// when it closes.
export class Attendance {
  private open = new Map<string, { login: Interval; pause: Interval | null }>();

  constructor(private on: { opened?: (iv: Interval) => void; closed?: (iv: Interval) => void } = {}) {}

  // Resumes from intervals still open (end_at NULL in acd_interval).
  adopt(iv: Interval): void {
    if (iv.endAt !== null) return;
    const o = this.open.get(iv.agent);
    if (iv.kind === 'login') this.open.set(iv.agent, { login: iv, pause: o?.pause ?? null });
    else if (o) o.pause = iv;
  }

  // Returns the agent whose attendance changed, or undefined.
  apply(event: string, d: Record<string, unknown>, at: string): string | undefined {
    const agent = text(d.agent);
    const o = this.open.get(agent);
    switch (event) {
      case 'AgentLoggedIn':
        if (o) return undefined;
        this.open.set(agent, { login: this.start({ agent, kind: 'login', reason: null, startAt: at, endAt: null }), pause: null });
        return agent;
      case 'AgentLoggedOut':
        if (!o) return undefined;
        this.close(o.pause, at);
        this.close(o.login, at);
        this.open.delete(agent);
        return agent;
      case 'AgentPaused':
        if (!o) return undefined;
        this.close(o.pause, at);
        o.pause = this.start({ agent, kind: 'pause', reason: text(d.reason), startAt: at, endAt: null });
        return agent;
      case 'AgentResumed':
        if (!o?.pause) return undefined;
        this.close(o.pause, at);
        o.pause = null;
        return agent;
      default: return undefined;
    }
  }

  openIntervals(): Interval[] {
    const out: Interval[] = [];
    for (const o of this.open.values()) { out.push(o.login); if (o.pause) out.push(o.pause); }
    return out;
  }

  state(agent: string): { loggedInAt: string; pause: { reason: string; since: string } | null } | undefined {
    const o = this.open.get(agent);
    return o && { loggedInAt: o.login.startAt, pause: o.pause && { reason: o.pause.reason ?? '', since: o.pause.startAt } };
  }

  private start(iv: Interval): Interval {
    this.on.opened?.(iv);
    return iv;
  }

  private close(iv: Interval | null, at: string): void {
    if (!iv) return;
    iv.endAt = at;
    this.on.closed?.(iv);
  }
}

export interface FoldEntry { at: string; kind: string; event: string; data: Record<string, unknown> }

// Periods a fold counts into: boundaries b[0] < b[1] < ... < b[n] (unix ms),
// bucket i = [b[i], b[i+1]). With `tz`, every inner boundary is the start of
// a local hour (chunkSec 3600) or day (86400), or there is one bucket
// (chunkSec 0): the rollup can then be summed in SQL.
export interface Buckets { bounds: number[]; tz?: string; chunkSec?: number }

export function bucketOf(b: Buckets, ms: number): number {
  const a = b.bounds;
  if (!(ms >= a[0]!) || !(ms < a[a.length - 1]!)) return -1;
  let lo = 0, hi = a.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (a[mid]! <= ms) lo = mid; else hi = mid; }
  return lo;
}

// Counters, login and pause time per bucket and queue/agent.
export class AcdFold {
  // bucket → "dim\0id" → counters
  readonly counters: Map<string, Counters>[];
  // bucket → agent → ms logged in; bucket → agent → reason → ms paused
  readonly loginMs: Map<string, number>[];
  readonly pauseMs: Map<string, Map<string, number>>[];
  readonly from: number;
  readonly to: number;
  entries = 0;

  constructor(readonly buckets: Buckets) {
    const n = buckets.bounds.length - 1;
    this.counters = Array.from({ length: n }, () => new Map());
    this.loginMs = Array.from({ length: n }, () => new Map());
    this.pauseMs = Array.from({ length: n }, () => new Map());
    this.from = buckets.bounds[0]!;
    this.to = buckets.bounds[n]!;
  }

  bump(bucket: number, dim: Dim, id: string): Counters {
    const m = this.counters[bucket]!;
    const key = `${dim}\0${id}`;
    let c = m.get(key);
    if (!c) { c = emptyCounters(); m.set(key, c); }
    return c;
  }

  // Counts an entry in the bucket of its `at`; `touched` hears each (dim, id).
  count(e: FoldEntry, touched?: (dim: Dim, id: string) => void): boolean {
    const b = bucketOf(this.buckets, Date.parse(e.at));
    if (b < 0) return false;
    this.entries++;
    return countEntry(e.kind, e.event, e.data, (dim, id) => { touched?.(dim, id); return this.bump(b, dim, id); });
  }

  // A rollup row: counters of one 15-minute slot, all inside one bucket.
  addSlot(slotSec: number, dim: Dim, id: string, c: Counters): void {
    const b = bucketOf(this.buckets, slotSec * 1000);
    if (b >= 0) addCounters(this.bump(b, dim, id), c);
  }

  // An attendance interval, clipped to the fold's period and `untilMs` (now,
  // for one still open), split over the buckets.
  addInterval(iv: Interval, untilMs: number): void {
    const s = Math.max(Date.parse(iv.startAt), this.from);
    const e = Math.min(iv.endAt === null ? untilMs : Date.parse(iv.endAt), untilMs, this.to);
    if (!(e > s)) return;
    const bounds = this.buckets.bounds;
    for (let b = bucketOf(this.buckets, s); b >= 0 && b < bounds.length - 1 && bounds[b]! < e; b++) {
      const ms = Math.min(e, bounds[b + 1]!) - Math.max(s, bounds[b]!);
      if (iv.kind === 'login') this.loginMs[b]!.set(iv.agent, (this.loginMs[b]!.get(iv.agent) ?? 0) + ms);
      else {
        let m = this.pauseMs[b]!.get(iv.agent);
        if (!m) { m = new Map(); this.pauseMs[b]!.set(iv.agent, m); }
        const r = iv.reason ?? '';
        m.set(r, (m.get(r) ?? 0) + ms);
      }
    }
  }
}

// An entry's data; undefined when it is not JSON (the triggers skip those too).
export function parseData(s: string): Record<string, unknown> | undefined {
  try {
    const d = JSON.parse(s) as unknown;
    return d !== null && typeof d === 'object' && !Array.isArray(d) ? d as Record<string, unknown> : {};
  } catch { return undefined; }
}

// ---- the rollup tables ----

// Statements kept per connection (the report worker keeps its connection).
const statements = new WeakMap<Db, Map<string, Statement>>();
export function prep(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) { m = new Map(); statements.set(db, m); }
  let st = m.get(sql);
  if (!st) { st = db.prepare(sql); m.set(sql, st); }
  return st;
}

export interface RollupRow { slot: number; dim: Dim; id: string; counters: Counters }

const SELECT_COLS = `slot, dim, id, ${ROLLUP_COLUMNS.map(([, c]) => c).join(', ')}, wait_hist`;

export function readRollupRows(db: Db, fromSlot: number, toSlot: number, fn: (slot: number, dim: Dim, id: string, c: Counters) => void): number {
  const st = prep(db, `SELECT ${SELECT_COLS} FROM acd_rollup WHERE slot >= ? AND slot < ?`).raw(true);
  let n = 0;
  for (const r of st.iterate(fromSlot, toSlot) as Iterable<unknown[]>) {
    const c = emptyCounters();
    for (let i = 0; i < ROLLUP_COLUMNS.length; i++) c[ROLLUP_COLUMNS[i]![0]] = r[i + 3] as number;
    const h = r[ROLLUP_COLUMNS.length + 3] as string;
    if (h !== '{}') c.waitHist = JSON.parse(h) as Record<string, number>;
    fn(r[0] as number, r[1] as Dim, r[2] as string, c);
    n++;
  }
  return n;
}

// Rollup sums over [fromSlot, toSlot) by local chunk: k = (slot + offSec) /
// chunkSec, or one group when chunkSec is 0 (the offset must not change in the range).
export function readRollupGrouped(db: Db, fromSlot: number, toSlot: number, offSec: number, chunkSec: number,
  fn: (k: number, dim: Dim, id: string, c: Counters) => void): number {
  // Bound numbers arrive as REAL: cast, or the division is not an integer one.
  const k = chunkSec ? '(slot + CAST(? AS INTEGER)) / CAST(? AS INTEGER)' : '0 * ? * ?';
  const args = [offSec, chunkSec, fromSlot, toSlot];
  const sums = prep(db, `SELECT ${k} AS k, dim, id, ${ROLLUP_COLUMNS.map(([, c]) => `SUM(${c})`).join(', ')}, COUNT(*)
    FROM acd_rollup WHERE slot >= ? AND slot < ? GROUP BY 1, 2, 3`).raw(true);
  const hist = prep(db, `SELECT ${k} AS k, id, wait_hist FROM acd_rollup WHERE slot >= ? AND slot < ? AND dim = 'queue' AND wait_hist <> '{}'`).raw(true);
  const got = new Map<string, Counters>();
  let rows = 0;
  for (const r of sums.iterate(...args) as Iterable<unknown[]>) {
    const c = emptyCounters();
    for (let i = 0; i < ROLLUP_COLUMNS.length; i++) c[ROLLUP_COLUMNS[i]![0]] = r[i + 3] as number;
    rows += r[ROLLUP_COLUMNS.length + 3] as number;
    got.set(`${String(r[0])}\0${String(r[1])}\0${String(r[2])}`, c);
  }
  for (const [kk, id, h] of hist.iterate(...args) as Iterable<[number, string, string]>) {
    const c = got.get(`${kk}\0queue\0${id}`);
    if (!c) continue;
    const part = JSON.parse(h) as Record<string, number>;
    for (const bin in part) c.waitHist[bin] = (c.waitHist[bin] ?? 0) + part[bin]!;
  }
  for (const [key, c] of got) {
    const [kk, dim, id] = key.split('\0') as [string, Dim, string];
    fn(Number(kk), dim, id, c);
  }
  return rows;
}

export function readIntervals(db: Db, fromIso: string, toIso: string): Interval[] {
  const cols = 'agent, kind, reason, start_at AS startAt, end_at AS endAt';
  return prep(db, `SELECT ${cols} FROM acd_interval WHERE end_at > ? AND start_at < ?
    UNION ALL SELECT ${cols} FROM acd_interval WHERE end_at IS NULL AND start_at < ?`).all(fromIso, toIso, toIso) as Interval[];
}

export function hasRollup(db: Db): boolean {
  return !!prep(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'acd_rollup'").get();
}

// The rollup as a fold of the whole journal gives it (what the triggers
// should have written): rows by slot, and intervals in the order opened.
export function recomputeAcdRollup(db: Db): { rows: RollupRow[]; intervals: Interval[] } {
  const slots = new Map<string, RollupRow>();
  const intervals: Interval[] = [];
  const att = new Attendance({ opened: (iv) => intervals.push(iv) });
  const st = prep(db, "SELECT at, kind, event, data FROM journal WHERE kind IN ('queue', 'agent') ORDER BY id").raw(true);
  for (const [at, kind, event, data] of st.iterate() as Iterable<[string, string, string, string]>) {
    const d = parseData(data);
    if (!d) continue;
    if (kind === 'agent') att.apply(event, d, at);
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) continue;
    const slot = Math.floor(ms / 1000 / SLOT_SEC) * SLOT_SEC;
    countEntry(kind, event, d, (dim, id) => {
      const key = `${slot}\0${dim}\0${id}`;
      let r = slots.get(key);
      if (!r) { r = { slot, dim, id, counters: emptyCounters() }; slots.set(key, r); }
      return r.counters;
    });
  }
  return { rows: [...slots.values()], intervals };
}

// Rewrites both rollup tables from the journal (after a bug fix in the
// triggers, or for a journal written before migration 003).
export function rebuildAcdRollup(db: Db): { rows: number; intervals: number } {
  const { rows, intervals } = recomputeAcdRollup(db);
  const cols = ROLLUP_COLUMNS.map(([, c]) => c);
  const ins = db.prepare(`INSERT INTO acd_rollup (slot, dim, id, ${cols.join(', ')}, wait_hist) VALUES (${Array(cols.length + 4).fill('?').join(', ')})`);
  const insIv = db.prepare('INSERT INTO acd_interval (agent, kind, reason, start_at, end_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM acd_rollup; DELETE FROM acd_interval;');
    for (const r of rows) ins.run(r.slot, r.dim, r.id, ...ROLLUP_COLUMNS.map(([f]) => r.counters[f]), JSON.stringify(r.counters.waitHist));
    for (const iv of intervals) insIv.run(iv.agent, iv.kind, iv.reason, iv.startAt, iv.endAt);
  })();
  return { rows: rows.length, intervals: intervals.length };
}
