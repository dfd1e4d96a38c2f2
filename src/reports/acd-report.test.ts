// Reports from the rollup agree with a plain fold of the journal for every
// grouping, zone and ragged period; hours and days follow the zone's clock
// changes; a report computed in the worker thread is the one computed here;
// CSV export defuses a queue name that is a spreadsheet formula.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { computeAcdReport, runAcdReport, closeAcdReports, periodBuckets, type AcdReport, type AcdReportOptions, type GroupBy, type QueueRow, type PeriodRow } from './acd-report.js';
import { toCsv } from '../cli/report.js';
import { loadFromRollup, loadFromJournal } from './acd-report.js';
import { AcdFold } from './acd-fold.js';
import { acdJournalRows, insertRows } from '../../bench/acd-reports.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-acd-report-'));
const file = path.join(dir, 'hotline.db');
const store = Store.open(file);
const start = Date.parse('2026-04-30T16:00:00Z');
insertRows(store.db, acdJournalRows({ startMs: start, days: 5, rows: 60_000, seed: 5 }));
store.config.put('queue', 'billing', { id: 'billing', serviceLevelSec: 45 });
test.after(async () => { await closeAcdReports(); store.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const now = '2026-05-03T05:43:21.5Z';   // some agents are logged in at this moment
const figures = (r: AcdReport) => ({ rows: r.rows, totals: r.totals, serviceLevelSec: r.serviceLevelSec, from: r.from, to: r.to });

const cases: [string, Partial<AcdReportOptions>][] = [
  ['five days by day in Shanghai', { from: '2026-05-01', to: '2026-05-06', groupBy: 'day' }],
  ['ragged edges by hour', { from: '2026-05-02T09:07:13.250Z', to: '2026-05-03T03:52:01Z', groupBy: 'hour' }],
  ['ragged edges by queue', { from: '2026-05-02T09:07:13.250Z', to: '2026-05-03T03:52:01Z', groupBy: 'queue' }],
  ['by agent over the whole journal', { from: '2026-04-01', to: '2026-06-01', groupBy: 'agent' }],
  ['by month across the start', { from: '2026-04-15', to: '2026-05-04T12:00', groupBy: 'month' }],
  ['by day in Kathmandu (UTC+5:45)', { from: '2026-05-01', to: '2026-05-05', groupBy: 'day', tz: 'Asia/Kathmandu' }],
  ['by hour in Kolkata (UTC+5:30)', { from: '2026-05-02', to: '2026-05-03', groupBy: 'hour', tz: 'Asia/Kolkata' }],
  ['one queue by hour', { from: '2026-05-02', to: '2026-05-03', groupBy: 'hour', queue: 'billing' }],
  ['one agent', { from: '2026-05-01', to: '2026-05-04', groupBy: 'agent', agent: '2003' }],
  ['service level given', { from: '2026-05-01', to: '2026-05-04', groupBy: 'queue', serviceLevelSec: { service: 10 } }],
];
for (const [name, o] of cases) {
  test(`rollup and journal fold agree: ${name}`, () => {
    const opts = { tz: 'Asia/Shanghai', now, ...o } as AcdReportOptions;
    const fast = computeAcdReport(store.db, opts);
    const slow = computeAcdReport(store.db, { ...opts, source: 'journal' });
    assert.is(fast.source, 'rollup');
    assert.ok(fast.read.rollupRows > 0, 'the rollup was used');
    assert.ok(fast.totals.queues.offered > 0 || o.agent, 'the period has calls');
    assert.equal(figures(fast), figures(slow));
  });
}

test('a service level given per queue applies to that queue; others take their configuration, else 20', () => {
  const r = computeAcdReport(store.db, { from: '2026-05-01', to: '2026-05-04', groupBy: 'queue', now, serviceLevelSec: { service: 10 } });
  assert.is(r.serviceLevelSec.service, 10);
  assert.is(r.serviceLevelSec.billing, 45, 'billing\'s configuration');
  assert.is(r.serviceLevelSec.sales, 20, 'the default');
  const loose = computeAcdReport(store.db, { from: '2026-05-01', to: '2026-05-04', groupBy: 'queue', now, serviceLevelSec: 600 });
  const row = (x: AcdReport, q: string) => (x.rows as QueueRow[]).find((y) => y.queue === q)!;
  assert.ok(row(r, 'service').answeredInSl < row(loose, 'service').answeredInSl, 'fewer answered within 10 s than within 600 s');
  assert.is(row(loose, 'service').answeredInSl, row(loose, 'service').answered, 'every call is answered within 600 s');
});

test('a period boundary off the 15-minute grid: those slots come from the journal, the rest from the rollup', () => {
  const from = Date.parse('2026-05-02T01:00:00Z'), to = Date.parse('2026-05-03T01:00:00Z');
  const bounds = [from, Date.parse('2026-05-02T06:07:30Z'), Date.parse('2026-05-02T13:00:00Z'), to];
  const fast = new AcdFold({ bounds }), slow = new AcdFold({ bounds });
  const read = loadFromRollup(store.db, fast, Date.parse(now));
  loadFromJournal(store.db, slow, Date.parse(now));
  assert.ok(read.rollupRows > 0 && read.journalRows > 0 && read.journalRows < 1000, JSON.stringify(read));
  assert.equal(fast.counters, slow.counters);
  assert.equal(fast.loginMs, slow.loginMs);
  assert.equal(fast.pauseMs, slow.pauseMs);
  assert.ok([...fast.counters[1]!.values()].some((c) => c.offered > 0));
});

test('hours follow the zone\'s clock: 23 on the spring day, 25 on the autumn day (New York)', () => {
  const spring = periodBuckets(Date.parse('2026-03-08T05:00:00Z'), Date.parse('2026-03-09T04:00:00Z'), 'hour', 'America/New_York');
  assert.is(spring.labels.length, 23);
  assert.equal(spring.labels.slice(1, 3), ['2026-03-08T01:00-05:00', '2026-03-08T03:00-04:00']);
  const autumn = periodBuckets(Date.parse('2026-11-01T04:00:00Z'), Date.parse('2026-11-02T05:00:00Z'), 'hour', 'America/New_York');
  assert.is(autumn.labels.length, 25);
  assert.equal(autumn.labels.slice(1, 3), ['2026-11-01T01:00-04:00', '2026-11-01T01:00-05:00']);
  const days = periodBuckets(Date.parse('2026-03-07T05:00:00Z'), Date.parse('2026-03-10T04:00:00Z'), 'day', 'America/New_York');
  assert.equal(days.labels, ['2026-03-07', '2026-03-08', '2026-03-09']);
  assert.equal(days.bounds.map((b) => new Date(b).toISOString()), ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z']);
});

test('a day with a clock change: the rollup still matches the journal, hour by hour', () => {
  const s = Store.open(path.join(dir, 'ny.db'));
  insertRows(s.db, acdJournalRows({ startMs: Date.parse('2026-03-07T05:00:00Z'), days: 3, rows: 20_000, seed: 9 }));
  const opts: AcdReportOptions = { from: '2026-03-08', to: '2026-03-09', tz: 'America/New_York', groupBy: 'hour', now: '2026-03-11T00:00:00Z' };
  const fast = computeAcdReport(s.db, opts);
  assert.is(fast.rows.length, 23);
  assert.equal(figures(fast), figures(computeAcdReport(s.db, { ...opts, source: 'journal' })));
  s.close();
});

test('the worker thread gives the report computed in this thread', async () => {
  store.flush();
  for (const groupBy of ['queue', 'agent', 'hour', 'day', 'month'] as GroupBy[]) {
    const opts: AcdReportOptions = { from: '2026-05-01T10:00', to: '2026-05-04T10:00', groupBy, tz: 'Asia/Shanghai', now };
    const inWorker = await runAcdReport(file, opts);
    assert.equal(figures(inWorker), figures(computeAcdReport(store.db, { ...opts, source: 'journal' })), `group by ${groupBy}`);
  }
});

test('the worker reports bad requests with a code, and goes on serving', async () => {
  try {
    await runAcdReport(file, { from: '2026-05-01', to: '2026-05-02', groupBy: 'queue', tz: 'Mars/Olympus' });
    assert.unreachable('a report in an unknown zone');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'bad_tz');
  }
  try {
    await runAcdReport(path.join(dir, 'none.db'), { from: '2026-05-01', to: '2026-05-02', groupBy: 'queue' });
    assert.unreachable('a report on a missing database');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'no_database');
  }
  const r = await runAcdReport(file, { from: '2026-05-02', to: '2026-05-01', groupBy: 'week' as GroupBy }).catch((e: { code: string }) => e.code);
  assert.is(r, 'bad_group_by');
  const ok = await runAcdReport(file, { from: '2026-05-01', to: '2026-05-02', groupBy: 'day', now });
  assert.is((ok.rows as PeriodRow[])[0]!.period, '2026-05-01');
});

test('CSV of a report row with a formula for a queue name is defused', () => {
  const s = Store.open(path.join(dir, 'csv.db'));
  const hostile = "=cmd|' /C calc'!A0";
  const at = new Date('2026-05-01T02:00:00Z');
  s.journal.append('queue', 'QueueJoined', { journey: 'h', data: { queue: hostile, priority: 0, position: 1, skills: {}, caller: '1' }, at });
  s.journal.append('queue', 'QueueAbandoned', { journey: 'h', data: { queue: hostile, waitSec: 3, position: 1 }, at });
  s.flush();
  const r = computeAcdReport(s.db, { from: '2026-05-01', to: '2026-05-02', groupBy: 'queue' });
  const row = (r.rows as QueueRow[])[0]!;
  assert.is(row.queue, hostile);
  assert.is(row.abandonRate, 1);
  const csv = toCsv(r.rows as unknown as Record<string, unknown>[]);
  const [header, line] = csv.split('\r\n');
  assert.ok(header!.startsWith('"queue","offered"'), header);
  assert.ok(line!.startsWith(`"'=cmd|' /C calc'!A0",`), `the cell starts with a quote mark, not "=": ${line}`);
  for (const cell of line!.split(',')) assert.not.match(cell, /^"?[=+@]/, `no cell a spreadsheet would run: ${cell}`);
  s.close();
});

test.run();
