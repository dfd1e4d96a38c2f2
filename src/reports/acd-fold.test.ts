// The ACD fold on a hand-built day with known answers (a transfer counted once
// in each queue, abandon rate, service level per queue, attendance clipped to
// the period, pause by reason), periods cut at the time zone's midnight, and
// the rollup kept by the journal triggers equal to a fold of the journal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { computeAcdReport, type QueueRow, type AgentRow, type PeriodRow } from './acd-report.js';
import { recomputeAcdRollup, rebuildAcdRollup, hasRollup, ROLLUP_COLUMNS, type Interval } from './acd-fold.js';
import { openDatabase, loadMigrations } from '../store/db.js';
import { acdJournalRows, insertRows } from '../../bench/acd-reports.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-acd-fold-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Local times of 2026-03-10 in Asia/Shanghai (UTC+8).
const L = (t: string, day = '2026-03-10') => new Date(`${day}T${t}+08:00`);

function handBuiltDay(file: string): Store {
  const store = Store.open(file);
  store.config.put('queue', 'sales', { id: 'sales', serviceLevelSec: 30 });
  const q = (t: string, event: string, journey: string, data: Record<string, unknown>) => store.journal.append('queue', event, { journey, data, at: L(t) });
  const a = (t: string, event: string, data: Record<string, unknown>, day?: string) => store.journal.append('agent', event, { data, at: L(t, day) });
  // 2002 worked the night before until 10:00, then again from 17:00 (still in at 19:00).
  a('20:00:00', 'AgentLoggedIn', { agent: '2002', ext: '802', queues: ['sales'], via: 'phone' }, '2026-03-09');
  store.journal.append('call', 'CallStarted', { journey: 'x', data: { direction: 'inbound' }, at: L('08:59:00') });
  a('09:00:00', 'AgentLoggedIn', { agent: '2001', ext: '801', queues: ['service'], via: 'phone' });
  // c1: answered within the service level.
  q('10:00:00', 'QueueJoined', 'c1', { queue: 'service', priority: 0, position: 1, skills: {}, caller: '1' });
  q('10:00:10', 'QueueOffered', 'c1', { queue: 'service', agent: '2001', ext: '801', chan: 5, waitSec: 10 });
  q('10:00:12', 'QueueAnswered', 'c1', { queue: 'service', agent: '2001', ext: '801', waitSec: 12.5 });
  q('10:01:52', 'QueueCallCompleted', 'c1', { queue: 'service', agent: '2001', talkSec: 100, endedBy: 'caller' });
  a('10:01:53', 'AgentWrapUpStarted', { agent: '2001', queue: 'service', sec: 15 });
  a('10:02:07', 'AgentWrapUpEnded', { agent: '2001', queue: 'service', sec: 15 });
  // c2: answered late in service, transferred to sales, answered there.
  q('10:05:00', 'QueueJoined', 'c2', { queue: 'service', priority: 0, position: 1, skills: {}, caller: '2' });
  q('10:05:25', 'QueueAnswered', 'c2', { queue: 'service', agent: '2001', ext: '801', waitSec: 25 });
  q('10:06:25', 'QueueTransferred', 'c2', { queue: 'service', agent: '2001', to: 'queue:sales' });
  q('10:06:25', 'QueueCallCompleted', 'c2', { queue: 'service', agent: '2001', talkSec: 60, endedBy: 'transfer' });
  q('10:06:26', 'QueueJoined', 'c2', { queue: 'sales', priority: 0, position: 1, skills: {}, caller: '2' });
  q('10:06:31', 'QueueAnswered', 'c2', { queue: 'sales', agent: '2002', ext: '802', waitSec: 5 });
  q('10:09:51', 'QueueCallCompleted', 'c2', { queue: 'sales', agent: '2002', talkSec: 200, endedBy: 'caller' });
  a('10:10:01', 'AgentWrapUpEnded', { agent: '2002', queue: 'sales', sec: 10 });
  a('10:00:00', 'AgentLoggedOut', { agent: '2002', via: 'phone' });
  // c3 abandoned, c4 overflowed, c5 called back, c6 left by a key, c7 answered at exactly 20 s.
  q('11:00:00', 'QueueJoined', 'c3', { queue: 'service', priority: 0, position: 1, skills: {}, caller: '3' });
  q('11:00:40', 'QueueAbandoned', 'c3', { queue: 'service', waitSec: 40, position: 1 });
  q('11:10:00', 'QueueJoined', 'c4', { queue: 'sales', priority: 0, position: 1, skills: {}, caller: '4' });
  q('11:12:00', 'QueueOverflowed', 'c4', { queue: 'sales', why: 'maxWait', waitSec: 120, to: { type: 'busy' } });
  q('11:20:00', 'QueueJoined', 'c5', { queue: 'service', priority: 0, position: 2, skills: {}, caller: '5' });
  q('11:20:30', 'CallbackRequested', 'c5', { queue: 'service', number: '5', position: 2, waitSec: 30 });
  q('11:25:00', 'CallbackServed', 'c5', { queue: 'service', agent: '2001', number: '5', outcome: 'answered', waitSec: 300 });
  q('11:25:50', 'QueueCallCompleted', 'c5', { queue: 'service', agent: '2001', talkSec: 50, endedBy: 'agent' });
  a('11:26:10', 'AgentWrapUpEnded', { agent: '2001', queue: 'service', sec: 20 });
  q('11:30:00', 'QueueJoined', 'c6', { queue: 'sales', priority: 0, position: 1, skills: {}, caller: '6' });
  q('11:30:09', 'QueueExited', 'c6', { queue: 'sales', key: '0', waitSec: 9, to: { type: 'operator' } });
  q('11:40:00', 'QueueJoined', 'c7', { queue: 'service', priority: 0, position: 1, skills: {}, caller: '7' });
  q('11:40:20', 'QueueAnswered', 'c7', { queue: 'service', agent: '2002', ext: '802', waitSec: 20 });
  q('11:40:50', 'QueueCallCompleted', 'c7', { queue: 'service', agent: '2002', talkSec: 30, endedBy: 'caller' });
  // 2001: lunch 45 min, a 10-minute break turning into 30 minutes of training.
  a('12:00:00', 'AgentPaused', { agent: '2001', reason: 'lunch', via: 'phone' });
  a('12:45:00', 'AgentResumed', { agent: '2001', via: 'phone', pausedSec: 2700 });
  a('15:00:00', 'AgentPaused', { agent: '2001', reason: 'break', via: 'phone' });
  a('15:10:00', 'AgentPaused', { agent: '2001', reason: 'training', via: 'supervisor', by: 'admin' });
  a('15:40:00', 'AgentResumed', { agent: '2001', via: 'phone', pausedSec: 1800 });
  a('17:00:00', 'AgentLoggedIn', { agent: '2002', ext: '802', queues: ['sales'], via: 'phone' });
  a('17:30:00', 'AgentLoggedIn', { agent: '2002', ext: '805', queues: ['sales'], via: 'phone' });   // another phone: same login
  a('18:00:00', 'AgentLoggedOut', { agent: '2001', via: 'phone' });
  // Either side of the local midnight that ends the day.
  q('23:59:59.900', 'QueueJoined', 'c8', { queue: 'service', priority: 0, position: 1, skills: {}, caller: '8' });
  store.journal.append('queue', 'QueueJoined', { journey: 'c9', data: { queue: 'service', priority: 0, position: 1, skills: {}, caller: '9' }, at: L('00:00:00', '2026-03-11') });
  store.flush();
  return store;
}

const store = handBuiltDay(path.join(dir, 'day.db'));
const day = { from: '2026-03-10', to: '2026-03-11', tz: 'Asia/Shanghai', now: L('19:00:00').toISOString() };

for (const source of ['auto', 'journal'] as const) {
  test(`queue figures of the hand-built day (${source === 'auto' ? 'rollup' : 'journal fold'})`, () => {
    const r = computeAcdReport(store.db, { ...day, groupBy: 'queue', source });
    assert.is(r.source, source === 'auto' ? 'rollup' : 'journal');
    const rows = r.rows as QueueRow[];
    assert.equal(rows.map((x) => x.queue), ['sales', 'service']);
    const [sales, service] = rows as [QueueRow, QueueRow];
    // c8 joined a tenth of a second before local midnight; c9 at midnight is the next day.
    assert.is(service.offered, 6, 'service offered: c1 c2 c3 c5 c7 c8');
    assert.is(service.answered, 3);
    assert.is(service.abandoned, 1);
    assert.is(service.abandonRate, 0.1667);
    assert.is(service.answeredInSl, 2, 'answered within 20 s: 12.5 s and exactly 20 s');
    assert.is(service.serviceLevel, 0.3333);
    assert.is(service.asaSec, 19.2, 'ASA (12.5 + 25 + 20) / 3');
    assert.is(service.handled, 4, 'c1, c2, the callback, c7');
    assert.is(service.talkSec, 240);
    assert.is(service.wrapSec, 35);
    assert.is(service.ahtSec, 68.8, 'AHT (240 talk + 35 wrap) / 4');
    assert.is(service.transfers, 1);
    assert.is(service.callbacksRequested, 1);
    assert.is(service.callbacksAnswered, 1);
    assert.is(service.avgAbandonSec, 40);
    assert.is(sales.offered, 3, 'sales: the transferred c2, c4, c6');
    assert.is(sales.answered, 1);
    assert.is(sales.serviceLevel, 0.3333, 'sales has serviceLevelSec 30 in its configuration');
    assert.is(sales.transfers, 0, 'the transfer counts once, in the queue it left');
    assert.is(sales.overflowMaxWait, 1);
    assert.is(sales.exited, 1);
    assert.is(sales.abandonRate, 0);
    assert.is(sales.ahtSec, 210);
    assert.is(r.totals.queues.offered, 9);
    assert.equal(r.serviceLevelSec, { sales: 30, service: 20 });
  });
}

test('an entry at local midnight opens the next day; the one 0.1 s before stays', () => {
  const next = computeAcdReport(store.db, { from: '2026-03-11', to: '2026-03-12', tz: 'Asia/Shanghai', groupBy: 'queue', now: day.now });
  assert.is((next.rows as QueueRow[]).find((x) => x.queue === 'service')!.offered, 1, 'c9');
});

test('a period cut at the zone\'s midnight: Shanghai days differ from UTC days', () => {
  const from = '2026-03-10T00:00:00Z', to = '2026-03-12T00:00:00Z';
  const sh = computeAcdReport(store.db, { from, to, groupBy: 'day', tz: 'Asia/Shanghai', now: day.now }).rows as PeriodRow[];
  const utc = computeAcdReport(store.db, { from, to, groupBy: 'day', tz: 'UTC', now: day.now }).rows as PeriodRow[];
  // c8 (15:59:59.9Z) and c9 (16:00Z) are a Shanghai midnight apart, and the same UTC day.
  assert.equal(sh.map((r) => [r.period, r.startAt, r.offered]), [
    ['2026-03-10', '2026-03-10T00:00:00.000Z', 9],
    ['2026-03-11', '2026-03-10T16:00:00.000Z', 1],
    ['2026-03-12', '2026-03-11T16:00:00.000Z', 0],
  ]);
  assert.equal(utc.map((r) => [r.period, r.startAt, r.offered]), [['2026-03-10', '2026-03-10T00:00:00.000Z', 10], ['2026-03-11', '2026-03-11T00:00:00.000Z', 0]]);
});

test('hour rows carry the local hour and its offset', () => {
  const rows = computeAcdReport(store.db, { ...day, groupBy: 'hour' }).rows as PeriodRow[];
  assert.is(rows.length, 24);
  const ten = rows.find((r) => r.period === '2026-03-10T10:00+08:00')!;
  assert.is(ten.offered, 3, 'c1, c2 and c2 again in sales');
  assert.is(ten.transfers, 1);
});

for (const source of ['auto', 'journal'] as const) test(`attendance: login clipped to the period, pause by reason, occupancy (${source === 'auto' ? 'rollup' : 'journal fold'})`, () => {
  const r = computeAcdReport(store.db, { ...day, groupBy: 'agent', source });
  const [a1, a2] = r.rows as [AgentRow, AgentRow];
  assert.is(a1.agent, '2001');
  assert.is(a1.loginSec, 9 * 3600);
  assert.equal(a1.pauseSecByReason, { break: 600, lunch: 2700, training: 1800 });
  assert.is(a1.pauseSec, 5100);
  assert.is(a1.availableSec, 9 * 3600 - 5100);
  assert.is(a1.calls, 3, 'two answered and one callback');
  assert.is(a1.talkSec, 210);
  assert.is(a1.wrapSec, 35);
  assert.is(a1.occupancy, Math.round(245 / 27300 * 10000) / 10000);
  assert.is(a1.transfers, 1);
  assert.is(a2.agent, '2002');
  assert.is(a2.loginSec, 10 * 3600 + 2 * 3600, 'from local midnight to 10:00, and 17:00 until now (19:00), the second login at 17:30 not counted twice');
  assert.is(a2.pauseSec, 0);
  assert.is(a2.calls, 2);
  // A morning period: 2002 from 08:00 to 10:00, 2001 from 09:00.
  const morning = computeAcdReport(store.db, { from: '2026-03-10T08:00', to: '2026-03-10T12:30', tz: 'Asia/Shanghai', groupBy: 'agent', now: day.now, source }).rows as AgentRow[];
  assert.equal(morning.map((x) => [x.agent, x.loginSec, x.pauseSecByReason]), [['2001', 3.5 * 3600, { lunch: 1800 }], ['2002', 2 * 3600, {}]]);
});

test('a report of a period nobody worked has zeros and nulls, not NaN', () => {
  const r = computeAcdReport(store.db, { from: '2026-01-01', to: '2026-01-02', tz: 'Asia/Shanghai', groupBy: 'queue', now: day.now });
  const sales = (r.rows as QueueRow[])[0]!;
  assert.is(sales.queue, 'sales', 'configured queues are listed even without calls');
  assert.is(sales.offered, 0);
  assert.is(sales.serviceLevel, null);
  assert.is(sales.asaSec, null);
  assert.is(r.totals.agents.occupancy, null);
});

// ---- the rollup against the journal ----

function tables(s: Store): { rows: unknown[]; intervals: Interval[] } {
  const cols = ROLLUP_COLUMNS.map(([, c]) => c);
  const rows = (s.db.prepare(`SELECT slot, dim, id, ${cols.join(', ')}, wait_hist FROM acd_rollup ORDER BY slot, dim, id`).raw(true).all() as unknown[][])
    .map((r) => [...r.slice(0, -1), JSON.parse(r.at(-1) as string) as unknown]);
  const intervals = s.db.prepare('SELECT agent, kind, reason, start_at AS startAt, end_at AS endAt FROM acd_interval ORDER BY id').all() as Interval[];
  return { rows, intervals };
}

function recomputed(s: Store): { rows: unknown[]; intervals: Interval[] } {
  const { rows, intervals } = recomputeAcdRollup(s.db);
  const key = (r: { slot: number; dim: string; id: string }) => `${String(r.slot).padStart(12, '0')}\0${r.dim}\0${r.id}`;
  return {
    rows: rows.sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((r) => [r.slot, r.dim, r.id, ...ROLLUP_COLUMNS.map(([f]) => r.counters[f]), r.counters.waitHist]),
    intervals: intervals.map((iv) => ({ ...iv })),
  };
}

test('the rollup kept by the triggers equals a fold of the journal (hand-built day)', () => {
  const a = tables(store), b = recomputed(store);
  assert.ok(a.rows.length > 10);
  assert.equal(a.rows, b.rows);
  assert.equal(a.intervals, b.intervals);
});

test('the rollup equals a fold of the journal (three generated days), and the comparison sees a change', () => {
  const s = Store.open(path.join(dir, 'gen.db'));
  insertRows(s.db, acdJournalRows({ startMs: Date.parse('2026-04-30T16:00:00Z'), days: 3, rows: 30_000, seed: 11 }));
  const a = tables(s), b = recomputed(s);
  assert.ok(a.rows.length > 500 && a.intervals.length > 100, `a real rollup (${a.rows.length} rows, ${a.intervals.length} intervals)`);
  assert.equal(a.rows, b.rows);
  assert.equal(a.intervals, b.intervals);
  // Rebuilding from the journal writes the same tables.
  rebuildAcdRollup(s.db);
  assert.equal(tables(s), a);
  // A rollup one call off is caught.
  s.db.prepare("UPDATE acd_rollup SET answered = answered + 1 WHERE (slot, dim, id) = (SELECT slot, dim, id FROM acd_rollup LIMIT 1)").run();
  assert.not.equal(tables(s).rows, b.rows);
  s.close();
});

test('a journal written before the rollup existed is counted when the migration comes', () => {
  const file = path.join(dir, 'old.db');
  const old = openDatabase(file, { migrations: loadMigrations().filter((m) => m.name !== 'acd-rollup') });
  insertRows(old, acdJournalRows({ startMs: Date.parse('2026-04-30T16:00:00Z'), days: 3, rows: 30_000, seed: 13 }));
  // Odd entries: a pause while logged out, a resume with no pause, numbers for ids, a why nobody knows.
  const put = old.prepare("INSERT INTO journal (at, kind, event, data) VALUES ('2026-05-02T01:00:00.000Z', ?, ?, ?)");
  put.run('agent', 'AgentPaused', JSON.stringify({ agent: 'ghost', reason: 'lunch' }));
  put.run('agent', 'AgentResumed', JSON.stringify({ agent: 'ghost' }));
  put.run('agent', 'AgentLoggedIn', JSON.stringify({ agent: 7 }));
  put.run('agent', 'AgentPaused', JSON.stringify({ agent: 7 }));
  put.run('queue', 'QueueOverflowed', JSON.stringify({ queue: 5, why: 'fire' }));
  put.run('queue', 'CallbackServed', JSON.stringify({ queue: 'service', agent: 7 }));
  assert.not.ok(hasRollup(old));
  old.close();
  const s = Store.open(file);
  const a = tables(s), b = recomputed(s);
  assert.ok(a.rows.length > 500 && a.intervals.length > 100, `backfilled (${a.rows.length} rows, ${a.intervals.length} intervals)`);
  assert.equal(a.rows, b.rows);
  assert.equal(a.intervals, b.intervals);
  s.close();
});

test('an entry the fold cannot read is skipped, never refused by the journal', () => {
  const s = Store.open(path.join(dir, 'bad.db'));
  s.db.prepare("INSERT INTO journal (at, kind, event, data) VALUES ('not a time', 'queue', 'QueueJoined', '{}'), (?, 'queue', 'QueueJoined', 'not json'), (?, 'queue', 'QueueJoined', '{}')")
    .run(new Date().toISOString(), new Date().toISOString());
  assert.is((s.db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number }).n, 3);
  assert.equal(tables(s).rows, recomputed(s).rows);
  s.close();
});

test.after(() => store.close());
test.run();
