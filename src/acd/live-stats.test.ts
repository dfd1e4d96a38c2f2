// Live statistics: counted entry by entry as the journal is written, they
// equal a report of today computed afterwards, and a LiveStats started later
// (seeded from the journal) says the same; open pauses keep running; the
// longest wait comes from the caller's waiting list; midnight starts again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { LiveStats } from './live-stats.js';
import { computeAcdReport, type QueueRow, type AgentRow } from '../reports/acd-report.js';
import { acdJournalRows } from '../../bench/acd-reports.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-live-stats-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const tz = 'Asia/Shanghai';
const day1 = Date.parse('2026-05-01T00:00:00+08:00');
const day2 = Date.parse('2026-05-02T00:00:00+08:00');

function todayReport(store: Store, clock: number) {
  const o = { from: new Date(day2).toISOString(), to: new Date(day2 + 86400_000).toISOString(), tz, now: new Date(clock).toISOString() };
  return { queues: computeAcdReport(store.db, { ...o, groupBy: 'queue' }).rows as QueueRow[], agents: computeAcdReport(store.db, { ...o, groupBy: 'agent' }).rows as AgentRow[] };
}

function sameAsReport(live: LiveStats, store: Store, clock: number, what: string): void {
  const r = todayReport(store, clock);
  assert.ok(r.queues.some((q) => q.offered > 100), 'a busy day');
  for (const q of r.queues) {
    const { longestWaitSec: _, ...l } = live.queue(q.queue);
    assert.equal(l, { offered: q.offered, answered: q.answered, abandoned: q.abandoned, abandonRate: q.abandonRate, serviceLevel: q.serviceLevel, asaSec: q.asaSec, ahtSec: q.ahtSec }, `${what}: queue ${q.queue}`);
  }
  for (const a of r.agents) {
    assert.equal(live.agent(a.agent), { calls: a.calls, talkSec: a.talkSec, loginSec: a.loginSec, pauseSec: a.pauseSec, pauseSecByReason: a.pauseSecByReason }, `${what}: agent ${a.agent}`);
  }
}

test('counted live entry by entry, seeded from the journal, and the report of today: the same numbers', async () => {
  const store = Store.open(path.join(dir, 'a.db'));
  let clock = day1;
  const live = new LiveStats(store, { tz, now: () => new Date(clock) }).start();
  let changes = 0;
  const touched = new Set<string>();
  live.on('changed', (c: { queues: string[] }) => { changes++; c.queues.forEach((q) => touched.add(q)); });
  const rows = [...acdJournalRows({ startMs: day1, days: 2, rows: 16_000, seed: 21 })];
  // Stop mid-afternoon of the second day: some agents are logged in and paused.
  const stopAt = day2 + 15.2 * 3600_000;
  let appended = 0;
  for (const r of rows) {
    if (Date.parse(r.at) > stopAt) break;
    clock = Date.parse(r.at);
    store.journal.append(r.kind, r.event, { journey: r.journey, engineMs: r.engineMs, data: r.data, at: new Date(clock) });
    appended++;
    if (appended % 2000 === 0) await new Promise((res) => setImmediate(res));
  }
  await new Promise((res) => setImmediate(res));
  clock = stopAt;
  assert.equal(live.day, { from: new Date(day2).toISOString(), to: new Date(day2 + 86400_000).toISOString(), tz }, 'the second day is today');
  assert.ok(changes > 0 && changes < appended, `'changed' told, coalesced (${changes} for ${appended} entries)`);
  assert.ok(touched.has('service'));
  sameAsReport(live, store, clock, 'live');
  const seeded = new LiveStats(store, { tz, now: () => new Date(clock) }).start();
  sameAsReport(seeded, store, clock, 'seeded');
  // An open pause runs on with the clock, with no new entry.
  const paused = todayReport(store, clock).agents.find((a) => a.loginSec > 0 && Object.keys(a.pauseSecByReason).length);
  assert.ok(paused, 'someone paused today');
  const before = live.agent(paused.agent).loginSec;
  clock += 60_000;
  assert.is(live.agent(paused.agent).loginSec, before + 60, 'a logged-in agent\'s time runs on');
  assert.is(seeded.agent(paused.agent).loginSec, before + 60);
  live.stop();
  seeded.stop();
  store.close();
});

test('longest wait from the waiting callers\' join times; a new local day starts from zero', () => {
  const store = Store.open(path.join(dir, 'b.db'));
  let clock = Date.parse('2026-05-02T23:00:00+08:00');
  const live = new LiveStats(store, { tz, now: () => new Date(clock) }).start();
  const at = (t: string) => new Date(t);
  store.journal.append('agent', 'AgentLoggedIn', { data: { agent: '2001', ext: '801', queues: ['service'], via: 'phone' }, at: at('2026-05-02T22:00:00+08:00') });
  store.journal.append('agent', 'AgentPaused', { data: { agent: '2001', reason: 'break', via: 'phone' }, at: at('2026-05-02T23:30:00+08:00') });
  store.journal.append('queue', 'QueueJoined', { journey: 'a', data: { queue: 'service', priority: 0, position: 1, skills: {}, caller: '1' }, at: at('2026-05-02T23:50:00+08:00') });
  assert.is(live.queue('service').offered, 1);
  assert.is(live.queue('service', [120_000, 100_500, 130_000], 165_000).longestWaitSec, 64.5);
  assert.is(live.queue('service', [], 165_000).longestWaitSec, 0);
  clock = Date.parse('2026-05-03T00:30:00+08:00');
  assert.is(live.queue('service').offered, 0, 'a new day');
  assert.equal(live.agent('2001'), { calls: 0, talkSec: 0, loginSec: 1800, pauseSec: 1800, pauseSecByReason: { break: 1800 } }, 'still logged in and paused, counted from midnight');
  store.journal.append('queue', 'QueueJoined', { journey: 'b', data: { queue: 'service', priority: 0, position: 1, skills: {}, caller: '2' }, at: new Date(clock) });
  assert.is(live.queue('service').offered, 1);
  live.stop();
  store.close();
});

test.run();
