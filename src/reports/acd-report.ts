// Call-center reports for any period: per queue, per agent, or per hour, day
// or month of a time zone. Whole 15-minute slots come from the rollup the
// journal triggers keep (migration 003); the minutes at the period's edges
// come from the journal itself; attendance from the interval table. All of it
// goes through the one fold (acd-fold.ts), so `source: 'journal'` (a plain
// fold of every journal row, no rollup) gives the same numbers, only slower.
// runAcdReport computes in a worker thread on a read-only connection, so the
// caller's event loop is not held up.
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../store/db.js';
import { projectRoot } from '../native/addon.js';
import { zoneOffset, isValidTimeZone, dateOfDayNumber, DAY_MS } from '../routing/calendar.js';
import {
  AcdFold, Attendance, SLOT_SEC, addCounters, answeredWithin, emptyCounters, hasRollup, parseData, prep, readIntervals, readRollupRows, readRollupGrouped,
  type Buckets, type Counters, type Interval,
} from './acd-fold.js';

export type GroupBy = 'queue' | 'agent' | 'hour' | 'day' | 'month';
export const GROUP_BY: readonly GroupBy[] = ['queue', 'agent', 'hour', 'day', 'month'];

export interface AcdReportOptions {
  // ISO instants; a date or date-time without an offset is wall time in `tz`.
  from: string;
  to: string;
  groupBy: GroupBy;
  tz?: string;
  // Per queue, or one for all; unset: the queue's configured serviceLevelSec, else 20.
  serviceLevelSec?: number | Record<string, number>;
  queue?: string;
  agent?: string;
  // Where open logins and pauses end (default: now).
  now?: string;
  // 'journal': fold the journal row by row (the baseline the rollup must match).
  source?: 'auto' | 'journal';
}

export interface QueueFigures {
  offered: number; answered: number; abandoned: number; abandonRate: number | null; answeredInSl: number; serviceLevel: number | null;
  asaSec: number | null; ahtSec: number | null; handled: number; talkSec: number; wrapSec: number; avgAbandonSec: number | null;
  transfers: number; exited: number; overflowMaxWait: number; overflowMaxLength: number; overflowNoAgents: number; overflowServiceLevel: number;
  overflowLeaveWhenEmpty: number; overflowOther: number; callbacksRequested: number; callbacksAnswered: number; callbacksNoAnswer: number; callbacksFailed: number;
}
export interface AgentFigures {
  calls: number; answered: number; handled: number; talkSec: number; wrapSec: number; ahtSec: number | null; transfers: number; offers: number;
  offersMissed: number; callbacksAnswered: number; callbacksNoAnswer: number; callbacksFailed: number;
  loginSec: number; pauseSec: number; availableSec: number; occupancy: number | null; pauseSecByReason: Record<string, number>;
}
export type QueueRow = { queue: string } & QueueFigures;
export type AgentRow = { agent: string; name: string } & AgentFigures;
export type PeriodRow = { period: string; startAt: string } & QueueFigures
  & { agentLoginSec: number; agentPauseSec: number; agentAvailableSec: number; occupancy: number | null; pauseSecByReason: Record<string, number> };

export interface AcdReport {
  from: string; to: string; tz: string; groupBy: GroupBy;
  serviceLevelSec: Record<string, number>;
  rows: QueueRow[] | AgentRow[] | PeriodRow[];
  totals: { queues: QueueFigures; agents: AgentFigures };
  source: 'rollup' | 'journal';
  read: { rollupRows: number; journalRows: number; intervals: number };
  computeMs: number;
}

export class AcdReportError extends Error {
  constructor(readonly code: string, message: string) { super(message); this.name = 'AcdReportError'; }
}

const DEFAULT_TZ = 'Asia/Shanghai';
const DEFAULT_SL = 20;
const MAX_BUCKETS = 100_000;
const iso = (ms: number) => new Date(ms).toISOString();
const r1 = (v: number) => Math.round(v * 10) / 10;
const r4 = (v: number) => Math.round(v * 10000) / 10000;
const ratio = (a: number, b: number) => (b > 0 ? r4(a / b) : null);

// ---- periods in a time zone ----

// The instant whose wall clock in `zone` reads `wall` (wall clock as UTC ms).
function instantOf(zone: string, wall: number): number {
  const t = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, t);
}

function wallParts(zone: string, ms: number): { day: number; y: number; m: number; wall: number } {
  const wall = ms + zoneOffset(zone, ms);
  const day = Math.floor(wall / DAY_MS);
  const date = dateOfDayNumber(day);
  return { day, y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), wall };
}

// Start of the next hour / day / month after `ms` in `zone`.
function nextBoundary(zone: string, unit: 'hour' | 'day' | 'month', ms: number): number {
  let next: number;
  if (unit === 'hour') {
    const off = zoneOffset(zone, ms);
    next = Math.floor((ms + off) / 3600_000) * 3600_000 + 3600_000 - off;
  } else {
    const w = wallParts(zone, ms);
    next = instantOf(zone, unit === 'day' ? (w.day + 1) * DAY_MS : Date.UTC(w.y, w.m, 1));
  }
  // A zone's odd transition must not stall the walk.
  return next > ms ? next : ms + 3600_000;
}

function label(zone: string, unit: GroupBy, ms: number): string {
  if (unit === 'queue' || unit === 'agent') return '';
  const off = zoneOffset(zone, ms);
  const w = new Date(ms + off).toISOString();
  if (unit === 'month') return w.slice(0, 7);
  if (unit === 'day') return w.slice(0, 10);
  const o = Math.abs(off) / 60_000;
  return `${w.slice(0, 13)}:00${off < 0 ? '-' : '+'}${String(Math.floor(o / 60)).padStart(2, '0')}:${String(o % 60).padStart(2, '0')}`;
}

export function periodBuckets(fromMs: number, toMs: number, groupBy: GroupBy, tz: string): Buckets & { labels: string[] } {
  const bounds = [fromMs];
  const labels = [label(tz, groupBy, fromMs)];
  const chunkSec = groupBy === 'hour' ? 3600 : groupBy === 'day' || groupBy === 'month' ? 86400 : 0;
  if (groupBy !== 'queue' && groupBy !== 'agent') {
    for (let b = nextBoundary(tz, groupBy, fromMs); b < toMs; b = nextBoundary(tz, groupBy, b)) {
      bounds.push(b);
      labels.push(label(tz, groupBy, b));
      if (bounds.length > MAX_BUCKETS) throw new AcdReportError('too_many_periods', `more than ${MAX_BUCKETS} ${groupBy}s: choose a shorter period or a coarser grouping`);
    }
  }
  bounds.push(toMs);
  return { bounds, labels, tz, chunkSec };
}

// The local day containing `ms`, as one bucket.
export function dayBucket(tz: string, ms: number): Buckets {
  const w = wallParts(tz, ms);
  return { bounds: [instantOf(tz, w.day * DAY_MS), nextBoundary(tz, 'day', ms)], tz, chunkSec: 0 };
}

// [start, end, offset] pieces of [a, b) over which the zone's offset holds
// (transitions found to the second; none is within a day of another).
export function offsetSegments(tz: string, a: number, b: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  let s = a;
  let off = zoneOffset(tz, a);
  let t = a;
  while (t < b) {
    const next = Math.min(b, t + DAY_MS);
    if (next < b && zoneOffset(tz, next) !== off) {
      let lo = t, hi = next;
      while (hi - lo > 1000) { const mid = Math.floor((lo + hi) / 2000) * 1000; if (zoneOffset(tz, mid) === off) lo = mid; else hi = mid; }
      out.push([s, hi, off]);
      s = t = hi;
      off = zoneOffset(tz, hi);
      continue;
    }
    t = next;
  }
  out.push([s, b, off]);
  return out;
}

export function parseInstant(s: string, tz: string, what: string): number {
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/.exec(s);
  const ms = local
    ? instantOf(tz, Date.UTC(+local[1]!, +local[2]! - 1, +local[3]!, +(local[4] ?? 0), +(local[5] ?? 0), +(local[6] ?? 0), +(local[7] ?? '0').padEnd(3, '0')))
    : Date.parse(s);
  if (!Number.isFinite(ms)) throw new AcdReportError('bad_time', `${what}: "${s}" is not a date or ISO time`);
  return ms;
}

// ---- loading a period into a fold ----

export interface LoadStats { rollupRows: number; journalRows: number; intervals: number }

function foldJournalRange(db: Db, fold: AcdFold, fromMs: number, toMs: number): number {
  const st = prep(db, 'SELECT at, event, data FROM journal WHERE kind = ? AND at >= ? AND at < ?').raw(true);
  let n = 0;
  for (const kind of ['queue', 'agent']) {
    for (const [at, event, data] of st.iterate(kind, iso(fromMs), iso(toMs)) as Iterable<[string, string, string]>) {
      const d = parseData(data);
      if (d) fold.count({ at, kind, event, data: d });
      n++;
    }
  }
  return n;
}

// Counters from the rollup for whole slots and the journal for the rest;
// attendance from acd_interval. Open intervals end at `nowMs`, or go to
// `open` (the live statistics keep them running).
export function loadFromRollup(db: Db, fold: AcdFold, nowMs: number, open?: (iv: Interval) => void): LoadStats {
  const S = SLOT_SEC * 1000;
  const { from, to } = fold;
  const a = Math.ceil(from / S) * S;
  const b = Math.floor(to / S) * S;
  const stats: LoadStats = { rollupRows: 0, journalRows: 0, intervals: 0 };
  const ranges: [number, number][] = [];
  if (a < b) {
    // A period boundary inside a slot (an offset not on 15 minutes): that slot from the journal.
    const split = new Set<number>();
    for (const x of fold.buckets.bounds) if (x > a && x < b && x % S !== 0) split.add(Math.floor(x / S) * S);
    const { tz, chunkSec } = fold.buckets;
    if (!split.size && tz !== undefined && chunkSec !== undefined) {
      // Summed in SQL by local hour or day: far fewer rows to carry into JS.
      for (const [s, e, off] of offsetSegments(tz, a, b)) {
        const offSec = off / 1000;
        stats.rollupRows += readRollupGrouped(db, Math.ceil(s / S) * SLOT_SEC, Math.ceil(e / S) * SLOT_SEC, offSec, chunkSec, (k, dim, id, c) => {
          fold.addSlot(chunkSec ? Math.max(k * chunkSec - offSec, s / 1000) : s / 1000, dim, id, c);
        });
      }
    } else {
      stats.rollupRows = readRollupRows(db, a / 1000, b / 1000, (slot, dim, id, c) => { if (!split.has(slot * 1000)) fold.addSlot(slot, dim, id, c); });
    }
    if (from < a) ranges.push([from, a]);
    if (b < to) ranges.push([b, to]);
    for (const s of split) ranges.push([s, s + S]);
  } else ranges.push([from, to]);
  for (const [s, e] of ranges) stats.journalRows += foldJournalRange(db, fold, s, e);
  const until = Math.min(to, nowMs);
  if (until > from) {
    for (const iv of readIntervals(db, iso(from), iso(open ? to : until))) {
      stats.intervals++;
      if (iv.endAt === null && open) open(iv);
      else fold.addInterval(iv, until);
    }
  }
  return stats;
}

// The baseline: every queue and agent row of the journal up to the period's
// end, folded one by one (attendance replayed from the first login).
export function loadFromJournal(db: Db, fold: AcdFold, nowMs: number): LoadStats {
  const until = Math.min(fold.to, nowMs);
  const att = new Attendance({ closed: (iv) => fold.addInterval(iv, until) });
  const fromIso = iso(fold.from);
  let n = 0;
  const st = prep(db, "SELECT at, kind, event, data FROM journal WHERE kind IN ('queue', 'agent') AND at < ? ORDER BY id").raw(true);
  for (const [at, kind, event, data] of st.iterate(iso(fold.to)) as Iterable<[string, string, string, string]>) {
    n++;
    const d = parseData(data);
    if (!d) continue;
    if (kind === 'agent') att.apply(event, d, at);
    if (at >= fromIso) fold.count({ at, kind, event, data: d });
  }
  for (const iv of att.openIntervals()) fold.addInterval(iv, until);
  return { rollupRows: 0, journalRows: n, intervals: 0 };
}

// ---- figures ----

export function queueFigures(c: Counters, inSl: number): QueueFigures {
  return {
    offered: c.offered, answered: c.answered, abandoned: c.abandoned, abandonRate: ratio(c.abandoned, c.offered),
    answeredInSl: inSl, serviceLevel: ratio(inSl, c.offered),
    asaSec: c.answered ? r1(c.answeredDs / c.answered / 10) : null,
    ahtSec: c.handled ? r1((c.talkDs + c.wrapDs) / c.handled / 10) : null,
    handled: c.handled, talkSec: r1(c.talkDs / 10), wrapSec: r1(c.wrapDs / 10),
    avgAbandonSec: c.abandoned ? r1(c.abandonedDs / c.abandoned / 10) : null,
    transfers: c.transfers, exited: c.exited, overflowMaxWait: c.ovfMaxWait, overflowMaxLength: c.ovfMaxLength, overflowNoAgents: c.ovfNoAgents,
    overflowServiceLevel: c.ovfServiceLevel, overflowLeaveWhenEmpty: c.ovfLeaveWhenEmpty, overflowOther: c.ovfOther,
    callbacksRequested: c.cbRequested, callbacksAnswered: c.cbAnswered, callbacksNoAnswer: c.cbNoAnswer, callbacksFailed: c.cbFailed,
  };
}

export function agentFigures(c: Counters, loginMs: number, pause: Map<string, number> | undefined): AgentFigures {
  let pauseMs = 0;
  const byReason: Record<string, number> = {};
  for (const [r, ms] of [...(pause ?? [])].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) { pauseMs += ms; byReason[r] = r1(ms / 1000); }
  const availableMs = Math.max(0, loginMs - pauseMs);
  return {
    calls: c.answered + c.cbAnswered, answered: c.answered, handled: c.handled, talkSec: r1(c.talkDs / 10), wrapSec: r1(c.wrapDs / 10),
    ahtSec: c.handled ? r1((c.talkDs + c.wrapDs) / c.handled / 10) : null, transfers: c.transfers, offers: c.offers, offersMissed: c.offersMissed,
    callbacksAnswered: c.cbAnswered, callbacksNoAnswer: c.cbNoAnswer, callbacksFailed: c.cbFailed,
    loginSec: r1(loginMs / 1000), pauseSec: r1(pauseMs / 1000), availableSec: r1(availableMs / 1000),
    occupancy: availableMs > 0 ? r4((c.talkDs + c.wrapDs) * 100 / availableMs) : null, pauseSecByReason: byReason,
  };
}

function mergePause(into: Map<string, number>, m: Map<string, number> | undefined): void {
  for (const [r, ms] of m ?? []) into.set(r, (into.get(r) ?? 0) + ms);
}

// ---- the report ----

function configured(db: Db, kind: 'queue' | 'agent'): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const exists = prep(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config'").get();
  if (!exists) return out;
  for (const r of prep(db, 'SELECT id, doc FROM config WHERE kind = ?').all(kind) as { id: string; doc: string }[]) out.set(r.id, parseData(r.doc) ?? {});
  return out;
}

export function computeAcdReport(db: Db, opts: AcdReportOptions): AcdReport {
  const t0 = performance.now();
  const tz = opts.tz ?? DEFAULT_TZ;
  if (!isValidTimeZone(tz)) throw new AcdReportError('bad_tz', `unknown time zone "${tz}" (use an IANA name such as Asia/Shanghai)`);
  if (!GROUP_BY.includes(opts.groupBy)) throw new AcdReportError('bad_group_by', `group by one of ${GROUP_BY.join(', ')}, not "${String(opts.groupBy)}"`);
  const from = parseInstant(opts.from, tz, 'from');
  const to = parseInstant(opts.to, tz, 'to');
  if (!(to > from)) throw new AcdReportError('bad_period', `the period ends (${iso(to)}) before it starts (${iso(from)})`);
  const now = opts.now ? parseInstant(opts.now, tz, 'now') : Date.now();

  const buckets = periodBuckets(from, to, opts.groupBy, tz);
  const fold = new AcdFold(buckets);
  const useRollup = opts.source !== 'journal' && hasRollup(db);
  const read = useRollup ? loadFromRollup(db, fold, now) : loadFromJournal(db, fold, now);

  const queueDocs = configured(db, 'queue');
  const agentDocs = configured(db, 'agent');
  const sl = (q: string): number => {
    const p = opts.serviceLevelSec;
    if (typeof p === 'number') return p;
    if (p && typeof p[q] === 'number') return p[q]!;
    const c = queueDocs.get(q)?.serviceLevelSec;
    return typeof c === 'number' ? c : DEFAULT_SL;
  };
  const wantQ = (id: string) => opts.queue === undefined || id === opts.queue;
  const wantA = (id: string) => opts.agent === undefined || id === opts.agent;

  // Per bucket: queue and agent totals; over the period: per queue and per agent.
  const n = buckets.bounds.length - 1;
  const perQueue = new Map<string, { c: Counters; inSl: number }>();
  const perAgent = new Map<string, { c: Counters; loginMs: number; pause: Map<string, number> }>();
  for (const id of queueDocs.keys()) if (wantQ(id)) perQueue.set(id, { c: emptyCounters(), inSl: 0 });
  for (const id of agentDocs.keys()) if (wantA(id)) perAgent.set(id, { c: emptyCounters(), loginMs: 0, pause: new Map() });
  const agentOf = (id: string) => {
    let a = perAgent.get(id);
    if (!a) { a = { c: emptyCounters(), loginMs: 0, pause: new Map() }; perAgent.set(id, a); }
    return a;
  };
  const periodRows: PeriodRow[] = [];
  const slUsed: Record<string, number> = {};
  for (let b = 0; b < n; b++) {
    const qc = emptyCounters();
    let inSl = 0;
    const ac = emptyCounters();
    let loginMs = 0;
    const pause = new Map<string, number>();
    for (const [key, c] of fold.counters[b]!) {
      const sep = key.indexOf('\0');
      const dim = key.slice(0, sep), id = key.slice(sep + 1);
      if (dim === 'queue') {
        if (!wantQ(id)) continue;
        const within = answeredWithin(c, (slUsed[id] ??= sl(id)));
        addCounters(qc, c);
        inSl += within;
        let q = perQueue.get(id);
        if (!q) { q = { c: emptyCounters(), inSl: 0 }; perQueue.set(id, q); }
        addCounters(q.c, c);
        q.inSl += within;
      } else {
        if (!wantA(id)) continue;
        addCounters(ac, c);
        addCounters(agentOf(id).c, c);
      }
    }
    for (const [id, ms] of fold.loginMs[b]!) if (wantA(id)) { loginMs += ms; agentOf(id).loginMs += ms; }
    for (const [id, m] of fold.pauseMs[b]!) if (wantA(id)) { mergePause(pause, m); mergePause(agentOf(id).pause, m); }
    if (opts.groupBy === 'queue' || opts.groupBy === 'agent') continue;
    const a = agentFigures(ac, loginMs, pause);
    periodRows.push({
      period: buckets.labels[b]!, startAt: iso(buckets.bounds[b]!), ...queueFigures(qc, inSl),
      agentLoginSec: a.loginSec, agentPauseSec: a.pauseSec, agentAvailableSec: a.availableSec, occupancy: a.occupancy, pauseSecByReason: a.pauseSecByReason,
    });
  }

  const allQ = emptyCounters();
  let allInSl = 0;
  for (const q of perQueue.values()) { addCounters(allQ, q.c); allInSl += q.inSl; }
  const allA = emptyCounters();
  let allLogin = 0;
  const allPause = new Map<string, number>();
  for (const a of perAgent.values()) { addCounters(allA, a.c); allLogin += a.loginMs; mergePause(allPause, a.pause); }

  const byId = <T>(m: Map<string, T>) => [...m].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  let rows: AcdReport['rows'];
  if (opts.groupBy === 'queue') rows = byId(perQueue).map(([id, q]) => ({ queue: id, ...queueFigures(q.c, q.inSl) }));
  else if (opts.groupBy === 'agent') rows = byId(perAgent).map(([id, a]) => ({ agent: id, name: String(agentDocs.get(id)?.name ?? ''), ...agentFigures(a.c, a.loginMs, a.pause) }));
  else rows = periodRows;
  for (const id of perQueue.keys()) slUsed[id] ??= sl(id);

  return {
    from: iso(from), to: iso(to), tz, groupBy: opts.groupBy, serviceLevelSec: slUsed, rows,
    totals: { queues: queueFigures(allQ, allInSl), agents: agentFigures(allA, allLogin, allPause) },
    source: useRollup ? 'rollup' : 'journal', read, computeMs: r1(performance.now() - t0),
  };
}

// ---- in a worker thread ----

export function workerFile(): string {
  const beside = fileURLToPath(new URL('./acd-report-worker.js', import.meta.url));
  if (fs.existsSync(beside)) return beside;
  // Loaded from src/ (a test runner on the sources): the compiled worker.
  return path.join(projectRoot(), 'dist', 'src', 'reports', 'acd-report-worker.js');
}

interface Pending { resolve: (r: AcdReport) => void; reject: (e: Error) => void }
let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function reportWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(workerFile());
  const failAll = (e: Error) => { for (const p of pending.values()) p.reject(e); pending.clear(); if (worker === w) worker = undefined; };
  w.on('message', (m: { id: number; result?: AcdReport; error?: { code: string; message: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (!pending.size) w.unref();
    if (m.error) p.reject(new AcdReportError(m.error.code, m.error.message));
    else p.resolve(m.result!);
  });
  w.on('error', failAll);
  w.on('exit', (code) => failAll(new AcdReportError('worker_exited', `the report worker exited (${code})`)));
  w.unref();
  worker = w;
  return w;
}

// The report, computed off the calling thread (one worker, kept for the next
// report; it does not keep the process alive when idle).
export function runAcdReport(dbPath: string, opts: AcdReportOptions): Promise<AcdReport> {
  const w = reportWorker();
  const id = nextId++;
  return new Promise<AcdReport>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, dbPath, opts: { ...opts, now: opts.now ?? new Date().toISOString() } });
  });
}

export async function closeAcdReports(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
