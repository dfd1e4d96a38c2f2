// Each strategy over 50 real calls on the sim board: outside callers ring the
// service queue one after another; whichever agent phones ring are recorded,
// one answers, the call ends. The distribution must be what the strategy says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, ended, farCall, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';
import type { Queue } from '../../src/acd/schemas.js';
import type { EngineEvent } from '../../src/telephony/protocol.js';

const PHONE: Record<string, number> = { 2001: 8, 2002: 9, 2003: 10 };
const AGENT_OF_PORT: Record<number, string> = { 8: '2001', 9: '2002', 10: '2003' };
const CALLS = 50;

let box: Box;
let f: ReturnType<typeof farEnd>;

function config() {
  const c = demoConfig();
  (c.inboundRoute!.main as { byState: Record<string, unknown> }).byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  return c;
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  f = farEnd(box);
  for (const a of ['2001', '2002', '2003']) box.sup.ctx.acd.login(a, 'console');
});
test.after(async () => { await box.stop(); });

function setQueue(patch: Partial<Queue>): void {
  const base = config().queue!.service as Record<string, unknown>;
  box.sup.config.put('queue', 'service', {
    ...base, wrapUpSec: 0, stickySec: 0, ringSec: 30, maxWaitSec: 0, announce: { positionEverySec: 0 }, callback: { enabled: false },
    members: [{ agent: '2001', penalty: 0 }, { agent: '2002', penalty: 0 }, { agent: '2003', penalty: 0 }], ...patch,
  });
}

// One call: returns the agents whose phones rang (in order) and who answered.
// `pick` chooses who answers among those ringing; `talkMs` is how long they talk.
async function oneCall(i: number, pick: (rang: string[]) => string = (r) => r[0]!, talkMs?: (agent: string) => number, settle = 1): Promise<{ rang: string[]; served: string }> {
  const rang: string[] = [];
  // A phone reports each ring of its cadence: the first one counts.
  const onRing = (e: EngineEvent) => {
    const a = e.event === 'SimPhoneRang' ? AGENT_OF_PORT[e.chan as number] : undefined;
    if (a && !rang.includes(a)) rang.push(a);
  };
  box.far.on('event', onRing);
  try {
    const joined = journalWait(box, (e) => e.event === 'QueueJoined' && e.data.caller === `1390000${String(i).padStart(4, '0')}`);
    const first = box.far.waitFor((e) => e.event === 'SimPhoneRang' && AGENT_OF_PORT[e.chan as number] !== undefined, 15000);
    await farCall(box, 1, `1390000${String(i).padStart(4, '0')}`);
    const journey = (await joined).journey!;
    await first;
    // Ring-all and ring-progressively ring more than one phone: let them
    // (up to 3 s of wall time for `settle` phones), else a moment.
    for (let w = 0; w < 150 && rang.length < settle; w++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 30));
    const served = pick([...rang]);
    const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
    await box.far.sim('answer', PHONE[served]!);
    const answered = await up;
    assert.is(answered.data.agent, served);
    if (talkMs) await box.sup.ctx.timers.after(talkMs(served)).promise;
    const done = journalWait(box, ended(journey));
    await box.far.sim('hangup', 1);
    await done;
    await f.hangUp(PHONE[served]!);
    await f.settled();
    return { rang, served };
  } finally {
    box.far.off('event', onRing);
  }
}

async function run(patch: Partial<Queue>, opts: { pick?: (rang: string[]) => string; talkMs?: (agent: string) => number; settle?: number } = {}): Promise<{ served: string[]; rang: string[][] }> {
  setQueue(patch);
  const served: string[] = [];
  const rang: string[][] = [];
  for (let i = 0; i < CALLS; i++) {
    const r = await oneCall(i, opts.pick, opts.talkMs, opts.settle);
    served.push(r.served);
    rang.push(r.rang);
  }
  return { served, rang };
}

const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

test('linear: 50 calls, every one to the first member', async () => {
  const { served, rang } = await run({ strategy: 'linear' });
  assert.equal(count(served), { 2001: 50 });
  assert.ok(rang.every((r) => r.length === 1), 'one phone rings at a time');
});

test('round-robin: 50 calls go round the members in order (17, 17, 16)', async () => {
  const { served } = await run({ strategy: 'round-robin' });
  for (let i = 3; i < CALLS; i++) assert.is(served[i], served[i - 3], `call ${i} repeats the rotation`);
  assert.equal(Object.values(count(served)).sort(), [16, 17, 17]);
});

test('least-recent: the longest-idle agent each time, so 50 calls split 17/17/16 in rotation', async () => {
  const { served } = await run({ strategy: 'least-recent' });
  assert.equal(Object.values(count(served)).sort(), [16, 17, 17]);
  for (let i = 3; i < CALLS; i++) assert.is(served[i], served[i - 3]);
});

test('fewest-calls: counts never differ by more than one', async () => {
  const { served } = await run({ strategy: 'fewest-calls' });
  const c = Object.values(count(served));
  assert.ok(Math.max(...c) - Math.min(...c) <= 1, JSON.stringify(count(served)));
});

test('least-talk-time: the agent whose calls last 20 s gets few of them against agents talking 1 s', async () => {
  const { served } = await run({ strategy: 'least-talk-time' }, { talkMs: (a) => (a === '2001' ? 20_000 : 1_000) });
  const c = count(served);
  assert.ok((c['2001'] ?? 0) >= 1 && (c['2001'] ?? 0) <= 4, `2001 took ${c['2001']}: ${JSON.stringify(c)}`);
  assert.ok(Math.abs((c['2002'] ?? 0) - (c['2003'] ?? 0)) <= 1, JSON.stringify(c));
});

test('random: all three serve, none more than 30 of 50', async () => {
  const { served } = await run({ strategy: 'random' });
  const c = count(served);
  assert.is(Object.keys(c).length, 3, JSON.stringify(c));
  for (const n of Object.values(c)) assert.ok(n <= 30, JSON.stringify(c));
});

test('weighted-random: weight 8 against 1 and 1 takes most of the 50 calls', async () => {
  const agent = (id: string) => box.sup.config.doc('agent', id)!;
  box.sup.config.put('agent', '2001', { ...agent('2001'), weight: 8 });
  try {
    const { served } = await run({ strategy: 'weighted-random' });
    const c = count(served);
    assert.ok((c['2001'] ?? 0) >= 30, `2001 took ${c['2001']} (expected about 40): ${JSON.stringify(c)}`);
  } finally {
    box.sup.config.put('agent', '2001', { ...agent('2001'), weight: 1 });
  }
});

test('ring-all: every free phone rings for each of the 50 calls; whoever answers takes it', async () => {
  let n = 0;
  const order = ['2002', '2003', '2001'];
  const { served, rang } = await run({ strategy: 'ring-all' }, { pick: () => order[n++ % 3]!, settle: 3 });
  assert.ok(rang.every((r) => [...r].sort().join() === '2001,2002,2003'), `rang: ${rang.filter((r) => r.length !== 3).map((r) => r.join('+')).join(' ')}`);
  assert.equal(Object.values(count(served)).sort(), [16, 17, 17]);
});

test('ring-progressively: the first member rings, then one more every 2 s (members in order)', async () => {
  const { rang } = await run({ strategy: 'ring-progressively', progressiveSec: 2 }, { settle: 3 });
  // Nobody answers for a few seconds: all three ring, in member order.
  assert.ok(rang.every((r) => r.join() === '2001,2002,2003'), `orders: ${[...new Set(rang.map((r) => r.join('+')))].join(' ')}`);
});

test.run();
