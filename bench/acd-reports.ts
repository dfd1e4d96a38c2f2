// ACD reports over a journal of a million rows: a month of a call center
// (queues, agents logging in and pausing, calls answered, abandoned,
// overflowed, transferred, called back, among the calls' own entries), written
// through the journal triggers. Times day and month reports through the
// worker (p50/p99), the event-loop delay of this process while they run
// against an idle baseline, and a plain fold of the journal (no rollup) as
// the ratio baseline. The rollup and the plain fold must agree (checked).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openDatabase, loadMigrations, type Db } from '../src/store/db.js';
import { computeAcdReport, runAcdReport, closeAcdReports, type AcdReportOptions, type AcdReport } from '../src/reports/acd-report.js';
import { seededRandom, summarize, type Summary } from './stats.js';

const DAY = 86_400_000;
const MIN = 60_000;

export interface GenRow { at: string; engineMs: number; journey: string | null; kind: 'call' | 'queue' | 'agent'; event: string; data: Record<string, unknown> }
export interface GenOptions { startMs: number; days: number; rows: number; queues?: number; agents?: number; seed?: number }

// A deterministic month of journal rows in time order. Local times assume a
// UTC+8 box (startMs is a local midnight there).
export function* acdJournalRows(o: GenOptions): Generator<GenRow> {
  const rand = seededRandom(o.seed ?? 7);
  const queues = Array.from({ length: o.queues ?? 5 }, (_, i) => ['service', 'billing', 'sales', 'vip', 'tech', 'support', 'retention'][i] ?? `q${i}`);
  const agents = Array.from({ length: o.agents ?? 30 }, (_, i) => String(2001 + i));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const expo = (mean: number) => -Math.log(1 - rand()) * mean;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  let emitted = 0;
  let perCall = 11;
  const loggedIn = new Set<string>();
  for (let d = 0; d < o.days && emitted < o.rows; d++) {
    const day = o.startMs + d * DAY;
    const ev: { t: number; kind: GenRow['kind']; event: string; journey: string | null; data: Record<string, unknown> }[] = [];
    const add = (t: number, kind: GenRow['kind'], event: string, journey: string | null, data: Record<string, unknown>) => ev.push({ t, kind, event, journey, data });
    // Agents: a day or evening shift, lunch, a break, sometimes training or an auto-pause.
    for (const [i, agent] of agents.entries()) {
      const evening = i % 5 === 4;
      const start = day + (evening ? 14 * 60 : 8 * 60 + 30) * MIN + rand() * 20 * MIN;
      const end = day + (evening ? 23 * 60 : 18 * 60) * MIN + rand() * 30 * MIN;
      if (!loggedIn.has(agent)) add(start, 'agent', 'AgentLoggedIn', null, { agent, ext: String(801 + (i % 8)), queues: [queues[i % queues.length]], via: 'phone' });
      const pause = (at: number, reason: string, len: number, via = 'phone') => {
        add(at, 'agent', 'AgentPaused', null, { agent, reason, via });
        add(at + len, 'agent', 'AgentResumed', null, { agent, via: 'phone', pausedSec: r1(len / 1000) });
      };
      const mid = (start + end) / 2;
      pause(mid - 30 * MIN + rand() * 20 * MIN, 'lunch', (30 + rand() * 30) * MIN);
      pause(start + (60 + rand() * 60) * MIN, 'break', (5 + rand() * 10) * MIN);
      if (rand() < 0.2) pause(mid + (60 + rand() * 30) * MIN, 'training', 60 * MIN);
      if (rand() < 0.1) pause(start + rand() * 30 * MIN, 'missed', (2 + rand() * 3) * MIN, 'auto');
      // Now and then someone forgets to log out: the login runs into the next day.
      if (rand() < 0.05) loggedIn.add(agent);
      else { loggedIn.delete(agent); add(end, 'agent', 'AgentLoggedOut', null, { agent, via: 'phone' }); }
    }
    // Calls, busiest mid-morning and mid-afternoon.
    const target = Math.max(0, (o.rows - emitted) / (o.days - d) - ev.length);
    const calls = Math.round(target / perCall);
    let rows = 0;
    for (let n = 0; n < calls; n++) {
      const hour = 8 + Math.min(14, Math.abs((rand() + rand() + rand()) / 3 * 14 + (rand() < 0.5 ? -1 : 1) * rand()));
      const t0 = day + hour * 3600_000;
      const journey = `j${d}-${n}`;
      const caller = `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
      const before = ev.length;
      add(t0, 'call', 'CallStarted', journey, { direction: 'inbound', caller, callerName: '', callee: '95555', trunk: 'e1', did: '95555', startedAt: new Date(t0).toISOString() });
      add(t0 + 300, 'call', 'RouteChosen', journey, { route: 'main' });
      const serve = (q: string, t: number): number => {
        add(t, 'queue', 'QueueJoined', journey, { queue: q, priority: 0, position: 1 + Math.floor(rand() * 6), skills: {}, caller });
        const wait = expo(25);
        for (let a = 30_000; a < wait * 1000; a += 30_000) add(t + a, 'queue', 'QueueAnnounced', journey, { queue: q, position: 1 + Math.floor(rand() * 4), estimatedSec: Math.round(wait) });
        const r = rand();
        const tw = t + wait * 1000;
        if (r < 0.74) {
          let agent = pick(agents);
          if (rand() < 0.08) {
            add(tw - 16_000, 'queue', 'QueueOffered', journey, { queue: q, agent, ext: '801', chan: 5, waitSec: r1(Math.max(0, wait - 16)) });
            add(tw - 1000, 'queue', 'QueueOfferMissed', journey, { queue: q, agent, why: 'no-answer' });
            agent = pick(agents);
          }
          add(tw - 4000, 'queue', 'QueueOffered', journey, { queue: q, agent, ext: '802', chan: 6, waitSec: r1(Math.max(0, wait - 4)) });
          add(tw, 'queue', 'QueueAnswered', journey, { queue: q, agent, ext: '802', waitSec: r1(wait) });
          const talk = Math.exp(Math.log(150) + (rand() - 0.5) * 1.6);
          const te = tw + talk * 1000;
          const transfer = rand() < 0.04;
          if (transfer) add(te, 'queue', 'QueueTransferred', journey, { queue: q, agent, to: 'queue:billing' });
          add(te + 1, 'queue', 'QueueCallCompleted', journey, { queue: q, agent, talkSec: r1(talk), endedBy: transfer ? 'transfer' : rand() < 0.6 ? 'caller' : 'agent' });
          const wrap = 5 + rand() * 25;
          add(te + 2, 'agent', 'AgentWrapUpStarted', null, { agent, queue: q, sec: 20 });
          add(te + wrap * 1000, 'agent', 'AgentWrapUpEnded', null, { agent, queue: q, sec: r1(wrap) });
          return transfer ? serve(q === 'billing' ? queues[0]! : 'billing', te + 1000) : te;
        }
        if (r < 0.86) { add(tw, 'queue', 'QueueAbandoned', journey, { queue: q, waitSec: r1(wait), position: 1 + Math.floor(rand() * 4) }); return tw; }
        if (r < 0.91) { add(tw, 'queue', 'QueueOverflowed', journey, { queue: q, why: pick(['maxWait', 'maxLength', 'noAgents', 'serviceLevel', 'leaveWhenEmpty']), waitSec: r1(wait), to: { type: 'voicemail', box: '800' } }); return tw; }
        if (r < 0.94) { add(tw, 'queue', 'QueueExited', journey, { queue: q, key: '0', waitSec: r1(wait), to: { type: 'operator' } }); return tw; }
        add(tw, 'queue', 'CallbackRequested', journey, { queue: q, number: caller, position: 3, waitSec: r1(wait) });
        const ts = tw + (120 + rand() * 600) * 1000;
        const agent = pick(agents);
        const o2 = rand();
        const outcome = o2 < 0.8 ? 'answered' : o2 < 0.95 ? 'no-answer' : 'failed';
        add(ts, 'queue', 'CallbackServed', journey, { queue: q, agent, number: caller, outcome, waitSec: r1((ts - t) / 1000) });
        if (outcome === 'answered') {
          const talk = 60 + rand() * 200;
          add(ts + talk * 1000, 'queue', 'QueueCallCompleted', journey, { queue: q, agent, talkSec: r1(talk), endedBy: 'agent' });
          add(ts + talk * 1000 + 20_000, 'agent', 'AgentWrapUpEnded', null, { agent, queue: q, sec: 20 });
        }
        return tw;
      };
      const end = serve(pick(queues.slice(0, Math.max(1, queues.length - 1)).concat(queues[0]!)), t0 + 4000);
      add(end + 500, 'call', 'CallEnded', journey, { disposition: 'answered', side: 'caller', cause: 'normal' });
      rows += ev.length - before;
    }
    if (calls) perCall = rows / calls;
    ev.sort((a, b) => a.t - b.t);
    for (const e of ev) {
      if (emitted >= o.rows) break;
      emitted++;
      yield { at: new Date(Math.round(e.t)).toISOString(), engineMs: Math.round(e.t - o.startMs), journey: e.journey, kind: e.kind, event: e.event, data: e.data };
    }
  }
}

export function insertRows(db: Db, rows: Iterable<GenRow>, batch = 20_000): number {
  const ins = db.prepare('INSERT INTO journal (at, engine_ms, journey, kind, event, data) VALUES (?, ?, ?, ?, ?, ?)');
  let n = 0;
  let buf: GenRow[] = [];
  const flush = db.transaction((xs: GenRow[]) => { for (const r of xs) ins.run(r.at, r.engineMs, r.journey, r.kind, r.event, JSON.stringify(r.data)); });
  for (const r of rows) {
    buf.push(r);
    n++;
    if (buf.length >= batch) { flush(buf); buf = []; }
  }
  if (buf.length) flush(buf);
  return n;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const log = (m: string) => process.stderr.write(`[acd-reports] ${m}\n`);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<Summary> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); await fn(i); t.push(performance.now() - s); }
  return summarize(t);
}

async function loopDelayP99(during: () => Promise<unknown>): Promise<{ p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await during();
  h.disable();
  return { p99: round(h.percentile(99) / 1e6), max: round(h.max / 1e6) };
}

export async function benchReports(args: string[]): Promise<object> {
  const rowsWanted = Number(flag(args, '--rows') ?? 1_000_000);
  const runs = Number(flag(args, '--runs') ?? 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-acd-reports-'));
  const file = path.join(dir, 'hotline.db');
  const start = Date.parse('2026-04-30T16:00:00Z');   // 2026-05-01 00:00 Asia/Shanghai
  const days = 31;
  try {
    const db = openDatabase(file);
    log(`building a journal of ${rowsWanted} rows over ${days} days in ${dir}`);
    let t = performance.now();
    const rows = insertRows(db, acdJournalRows({ startMs: start, days, rows: rowsWanted }));
    const buildMs = performance.now() - t;
    const counts = db.prepare('SELECT kind, COUNT(*) AS n FROM journal GROUP BY kind').all() as { kind: string; n: number }[];
    const rollupRows = (db.prepare('SELECT COUNT(*) AS n FROM acd_rollup').get() as { n: number }).n;
    const intervals = (db.prepare('SELECT COUNT(*) AS n FROM acd_interval').get() as { n: number }).n;

    // What the triggers cost a journal write: the same 100k rows with and without them.
    const sample = [...acdJournalRows({ startMs: start, days: 3, rows: 100_000, seed: 3 })];
    const plain = openDatabase(path.join(dir, 'plain.db'), { migrations: loadMigrations().filter((m) => !/acd/.test(m.name)) });
    const withT = openDatabase(path.join(dir, 'triggers.db'));
    t = performance.now(); insertRows(plain, sample); const plainMs = performance.now() - t;
    t = performance.now(); insertRows(withT, sample); const trigMs = performance.now() - t;
    plain.close(); withT.close();
    db.close();

    const now = new Date(start + days * DAY + DAY).toISOString();
    // Day reports rotate queue / agent / hour over 25 days; month reports queue / agent / day (hour separately).
    const day = (i: number): AcdReportOptions => ({ from: new Date(start + (3 + (i % 25)) * DAY).toISOString(), to: new Date(start + (4 + (i % 25)) * DAY).toISOString(), groupBy: (['queue', 'agent', 'hour'] as const)[i % 3]!, tz: 'Asia/Shanghai', now });
    const month = (i: number): AcdReportOptions => ({ from: '2026-05-01', to: '2026-06-01', groupBy: (['queue', 'agent', 'day'] as const)[i % 3]!, tz: 'Asia/Shanghai', now });

    log('event-loop delay, idle baseline');
    const idle = await loopDelayP99(() => new Promise((r) => setTimeout(r, 1500)));
    t = performance.now();
    await runAcdReport(file, day(0));
    const coldMs = performance.now() - t;
    log('reports through the worker');
    let dayMs: Summary | undefined, monthMs: Summary | undefined, monthByHourMs: Summary | undefined;
    const during = await loopDelayP99(async () => {
      dayMs = await timed(runs * 3, (i) => runAcdReport(file, day(i)));
      monthMs = await timed(runs, (i) => runAcdReport(file, month(i)));
      monthByHourMs = await timed(Math.max(3, Math.round(runs / 4)), () => runAcdReport(file, { ...month(0), groupBy: 'hour' }));
    });
    const viaWorker = await runAcdReport(file, { ...month(0) });

    log('plain fold of the journal (no rollup), in this thread');
    const ro = openDatabase(file);
    let naive: AcdReport | undefined;
    const naiveMs = await timed(2, async () => { naive = computeAcdReport(ro, { ...month(0), source: 'journal' }); });
    const inProcess = await timed(3, async () => { computeAcdReport(ro, month(0)); });
    const inProcessLoop = await loopDelayP99(async () => { for (let i = 0; i < 3; i++) { computeAcdReport(ro, month(i)); await new Promise((r) => setImmediate(r)); } });
    const naiveDay = await timed(2, async () => { computeAcdReport(ro, { ...day(0), source: 'journal' }); });
    ro.close();
    const same = JSON.stringify(naive!.totals) === JSON.stringify(viaWorker.totals) && JSON.stringify(naive!.rows) === JSON.stringify(viaWorker.rows);
    if (!same) throw new Error('the rollup and the plain fold of the journal disagree on the month report');

    return {
      rows, rowsByKind: Object.fromEntries(counts.map((c) => [c.kind, c.n])), rollupRows, intervals, buildSec: round(buildMs / 1000, 1),
      journalInsertUsPerRow: round(plainMs * 1000 / sample.length), journalInsertWithRollupUsPerRow: round(trigMs * 1000 / sample.length),
      reportDayMs: dayMs, reportMonthMs: monthMs, reportMonthByHourMs: monthByHourMs, firstReportColdMs: round(coldMs, 1),
      eventLoopDelayP99Ms: during.p99, eventLoopDelayMaxMs: during.max, baselineEventLoopDelayP99Ms: idle.p99,
      inProcessMonthMs: inProcess, inProcessEventLoopDelayMaxMs: inProcessLoop.max,
      naiveMonthMs: naiveMs.p50, naiveDayMs: naiveDay.p50,
      ratioNaiveMonthToRollup: round(naiveMs.p50 / Math.max(0.001, monthMs!.p50), 1),
      ratioEventLoopDelayToBaseline: round(during.p99 / Math.max(0.001, idle.p99), 2),
      rollupMatchesJournal: same,
      monthTotals: { offered: viaWorker.totals.queues.offered, answered: viaWorker.totals.queues.answered, abandonRate: viaWorker.totals.queues.abandonRate, serviceLevel: viaWorker.totals.queues.serviceLevel },
    };
  } finally {
    await closeAcdReports();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
