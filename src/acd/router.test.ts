// The routing engine alone: each strategy over 50 calls, priority, skills and
// their widening, penalties, the sticky agent, queue weights, and the
// bookkeeping of offers (reserved agents, retries, positions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Router, type Offer } from './router.js';
import { STRATEGIES, canonicalStrategy, type StrategyName } from './strategies/index.js';
import { queueSchema } from './schemas.js';

// A seeded generator, so random strategies are checked on fixed draws.
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

function router(strategy: StrategyName, agents: Array<{ id: string; weight?: number; skills?: Record<string, number>; penalty?: number }>, opts: { skills?: Record<string, number>; widenSec?: number } = {}): Router {
  const r = new Router({ random: lcg(7) });
  for (const a of agents) r.setAgent({ id: a.id, skills: a.skills ?? {}, weight: a.weight ?? 1 });
  r.setQueue({ id: 'q', strategy, weight: 0, skills: opts.skills ?? {}, skillWidenSec: opts.widenSec ?? 0, members: agents.map((a) => ({ agent: a.id, penalty: a.penalty ?? 0 })) });
  for (const a of agents) r.setAvailable(a.id, true);
  return r;
}

// 50 callers one after another; each offer is taken, the call lasts `talk(agent)`
// seconds, then the agent is free again. Returns who served each call.
function serve50(r: Router, agents: string[], talk: (agent: string, i: number) => number = () => 60): { served: string[]; offers: Offer[] } {
  const served: string[] = [];
  const offers: Offer[] = [];
  let now = 0;
  for (let i = 0; i < 50; i++) {
    now += 1000;
    r.join({ id: `c${i}`, queue: 'q', priority: 0, joinedMs: now });
    const [o] = r.dispatch(now);
    assert.ok(o, `call ${i} was offered`);
    offers.push(o!);
    const agent = o!.agents[0]!;
    served.push(agent);
    r.leave(o!.caller);
    now += 100;
    const t = talk(agent, i);
    r.recordCall(agent, 'q', now + t * 1000, t);
    for (const a of agents) r.setAvailable(a, true);
  }
  return { served, offers };
}

const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
const five = ids.map((id) => ({ id }));

test('linear: every call goes to the first member while free', () => {
  const { served } = serve50(router('linear', five), ids);
  assert.equal(count(served), { a1: 50 });
});

test('round-robin: 50 calls go round the five members in order, 10 each', () => {
  const { served } = serve50(router('round-robin', five), ids);
  assert.equal(served.slice(0, 6), ['a1', 'a2', 'a3', 'a4', 'a5', 'a1']);
  assert.equal(count(served), { a1: 10, a2: 10, a3: 10, a4: 10, a5: 10 });
});

test('least-recent: the agent idle longest takes the call, so the load is even', () => {
  const { served } = serve50(router('least-recent', five), ids);
  assert.equal(count(served), { a1: 10, a2: 10, a3: 10, a4: 10, a5: 10 });
  // After one round, the order repeats: each time the one whose call ended first.
  assert.equal(served.slice(5, 10), served.slice(0, 5));
});

test('fewest-calls: counts stay within one of each other', () => {
  const { served } = serve50(router('fewest-calls', five), ids, (a) => (a === 'a1' ? 5 : 300));
  const c = Object.values(count(served));
  assert.is(c.length, 5);
  assert.ok(Math.max(...c) - Math.min(...c) <= 1, `counts ${JSON.stringify(count(served))}`);
});

test('least-talk-time: an agent with long calls gets fewer of them', () => {
  // a1's calls last 10 minutes, the others' 1 minute.
  const { served } = serve50(router('least-talk-time', five), ids, (a) => (a === 'a1' ? 600 : 60));
  const c = count(served);
  assert.ok((c.a1 ?? 0) <= 2, `a1 took ${c.a1}`);
  for (const a of ['a2', 'a3', 'a4', 'a5']) assert.ok((c[a] ?? 0) >= 11, `${a} took ${c[a]}`);
});

test('random: all five serve, none takes more than half', () => {
  const { served } = serve50(router('random', five), ids);
  const c = count(served);
  assert.is(Object.keys(c).length, 5);
  for (const a of ids) assert.ok(c[a]! < 25, `${a} took ${c[a]}`);
});

test('weighted-random: weight 6 against 1 takes most calls', () => {
  const r = router('weighted-random', [{ id: 'a1', weight: 6 }, { id: 'a2', weight: 1 }, { id: 'a3', weight: 1 }]);
  const { served } = serve50(r, ['a1', 'a2', 'a3']);
  const c = count(served);
  assert.ok(c.a1! >= 28 && c.a1! <= 45, `a1 took ${c.a1} of 50 (expected about 37)`);
  assert.ok((c.a2 ?? 0) > 0 && (c.a3 ?? 0) > 0);
});

test('ring-all and ring-progressively offer every free member at once, in member order', () => {
  const all = serve50(router('ring-all', five), ids).offers;
  assert.ok(all.every((o) => o.mode === 'all' && o.agents.join() === ids.join()));
  const prog = serve50(router('ring-progressively', five), ids).offers;
  assert.ok(prog.every((o) => o.mode === 'progressive' && o.agents.join() === ids.join()));
});

test('offered agents are reserved until the ACD says otherwise; a retry keeps the caller\'s place', () => {
  const r = router('linear', [{ id: 'a1' }, { id: 'a2' }]);
  r.join({ id: 'x', queue: 'q', priority: 0, joinedMs: 0 });
  r.join({ id: 'y', queue: 'q', priority: 0, joinedMs: 1 });
  const offers = r.dispatch(10);
  assert.equal(offers.map((o) => `${o.caller}:${o.agents}`), ['x:a1', 'y:a2']);
  assert.is(r.isAvailable('a1'), false);
  assert.equal(r.dispatch(20), [], 'nothing offered twice');
  // a1 let it ring out and rests; the caller waits again at the head.
  r.retry('x');
  assert.is(r.position('x'), 1);
  r.setAvailable('a2', true);
  assert.equal(r.dispatch(30).map((o) => `${o.caller}:${o.agents}`), ['x:a2']);
});

test('priority: a VIP who joined last is served first; equal priorities by arrival', () => {
  const r = router('linear', [{ id: 'a1' }]);
  r.setAvailable('a1', false);
  r.join({ id: 'early', queue: 'q', priority: 0, joinedMs: 0 });
  r.join({ id: 'later', queue: 'q', priority: 0, joinedMs: 5 });
  r.join({ id: 'vip', queue: 'q', priority: 50, joinedMs: 9 });
  assert.equal(['early', 'later', 'vip'].map((c) => r.position(c)), [2, 3, 1]);
  const order: string[] = [];
  for (let i = 0; i < 3; i++) {
    r.setAvailable('a1', true);
    const [o] = r.dispatch(100 + i);
    order.push(o!.caller);
    r.leave(o!.caller);
  }
  assert.equal(order, ['vip', 'early', 'later']);
});

test('skills: a caller waits for an agent with the level needed, without blocking callers behind', () => {
  const r = router('linear', [{ id: 'junior', skills: { billing: 2 } }, { id: 'senior', skills: { billing: 8 } }], { widenSec: 0 });
  r.setAvailable('senior', false);
  r.join({ id: 'hard', queue: 'q', priority: 0, joinedMs: 0, skills: { billing: 6 } });
  r.join({ id: 'easy', queue: 'q', priority: 0, joinedMs: 1, skills: { billing: 1 } });
  assert.equal(r.dispatch(10).map((o) => `${o.caller}:${o.agents}`), ['easy:junior']);
  r.setAvailable('senior', true);
  assert.equal(r.dispatch(20).map((o) => `${o.caller}:${o.agents}`), ['hard:senior']);
});

test('skills widen with waiting: the requirement drops one level per step, and the router says when to look again', () => {
  const r = router('linear', [{ id: 'junior', skills: { billing: 3 } }], { widenSec: 30 });
  r.join({ id: 'c', queue: 'q', priority: 0, joinedMs: 0, skills: { billing: 5 } });
  assert.equal(r.dispatch(1000), []);
  assert.is(r.wakeAtMs, 30_000, 'next step at 30 s');
  assert.equal(r.dispatch(30_000), [], 'level 4 still above 3');
  assert.is(r.wakeAtMs, 60_000);
  assert.equal(r.dispatch(60_000).map((o) => o.agents[0]), ['junior']);
});

test('the queue\'s own skills apply to every caller, merged with the caller\'s', () => {
  const r = router('linear', [{ id: 'en', skills: { english: 5 } }, { id: 'both', skills: { english: 5, billing: 5 } }], { skills: { english: 3 } });
  r.join({ id: 'c', queue: 'q', priority: 0, joinedMs: 0, skills: { billing: 4 } });
  assert.equal(r.dispatch(1).map((o) => o.agents), [['both']]);
});

test('penalty: higher-penalty members take calls only when no lower-penalty member is free', () => {
  const r = router('ring-all', [{ id: 'main1' }, { id: 'main2' }, { id: 'backup', penalty: 5 }]);
  r.join({ id: 'c1', queue: 'q', priority: 0, joinedMs: 0 });
  assert.equal(r.dispatch(1)[0]!.agents, ['main1', 'main2']);
  r.join({ id: 'c2', queue: 'q', priority: 0, joinedMs: 2 });
  assert.equal(r.dispatch(3)[0]!.agents, ['backup']);
});

test('sticky: a returning caller goes to their previous agent when free, else by strategy', () => {
  const r = router('linear', five);
  r.join({ id: 'back', queue: 'q', priority: 0, joinedMs: 0, preferredAgent: 'a4' });
  const [o] = r.dispatch(1);
  assert.equal([o!.agents, o!.mode], [['a4'], 'one']);
  r.setAvailable('a4', false);
  r.join({ id: 'back2', queue: 'q', priority: 0, joinedMs: 2, preferredAgent: 'a4' });
  assert.equal(r.dispatch(3)[0]!.agents, ['a1']);
});

test('an agent in two queues serves the queue of higher weight first, then the longest waiting caller', () => {
  const r = new Router();
  r.setAgent({ id: 'a', skills: {}, weight: 1 });
  r.setQueue({ id: 'low', strategy: 'linear', weight: 0, skills: {}, skillWidenSec: 0, members: [{ agent: 'a', penalty: 0 }] });
  r.setQueue({ id: 'high', strategy: 'linear', weight: 10, skills: {}, skillWidenSec: 0, members: [{ agent: 'a', penalty: 0 }] });
  r.setQueue({ id: 'low2', strategy: 'linear', weight: 0, skills: {}, skillWidenSec: 0, members: [{ agent: 'a', penalty: 0 }] });
  r.join({ id: 'l1', queue: 'low', priority: 0, joinedMs: 0 });
  r.join({ id: 'h1', queue: 'high', priority: 0, joinedMs: 50 });
  r.join({ id: 'm1', queue: 'low2', priority: 0, joinedMs: 10 });
  const order: string[] = [];
  for (let i = 0; i < 3; i++) {
    r.setAvailable('a', true);
    const [o] = r.dispatch(100);
    order.push(o!.caller);
    r.leave(o!.caller);
  }
  assert.equal(order, ['h1', 'l1', 'm1']);
});

test('configuration changes keep waiting callers and call counts; a removed agent is never offered', () => {
  const r = router('fewest-calls', [{ id: 'a1' }, { id: 'a2' }]);
  r.recordCall('a1', 'q', 10, 30);
  r.setQueue({ id: 'q', strategy: 'fewest-calls', weight: 0, skills: {}, skillWidenSec: 0, members: [{ agent: 'a1', penalty: 0 }, { agent: 'a2', penalty: 0 }] });
  r.join({ id: 'c', queue: 'q', priority: 0, joinedMs: 20 });
  assert.equal(r.dispatch(30)[0]!.agents, ['a2'], 'a1 kept its count');
  r.leave('c');
  r.removeAgent('a2');
  r.join({ id: 'd', queue: 'q', priority: 0, joinedMs: 40 });
  assert.equal(r.dispatch(50)[0]!.agents, ['a1']);
  r.leave('d');
  r.removeQueue('q');
  assert.is(r.waitingCount('q'), 0);
});

test('strategy names: one file each, other systems\' names accepted, unknown names refused with the field', () => {
  assert.is(Object.keys(STRATEGIES).length, 9);
  assert.is(canonicalStrategy('rrmemory'), 'round-robin');
  assert.is(canonicalStrategy('longest-idle-agent'), 'least-recent');
  assert.is(queueSchema.parse({ id: 'x', strategy: 'ringall' }).strategy, 'ring-all');
  const bad = queueSchema.safeParse({ id: 'x', strategy: 'telepathy' });
  assert.ok(!bad.success && bad.error.issues[0]!.path.join('.') === 'strategy');
});

test.run();
