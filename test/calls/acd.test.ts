// Queues end to end on the sim board: outside callers routed to the demo's
// "service" queue reach agents' phones by strategy; agents log in, pause and
// wrap up; callers abandon, overflow, ask for a callback; a returning caller
// gets their agent; a VIP jumps ahead; a supervisor whispers; a transfer to
// another queue counts once in each. Every CDR must rebuild from the journal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, farCall, assertRebuilds, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import type { Queue } from '../../src/acd/schemas.js';
import type { JournalEntry } from '../../src/store/journal.js';
import { Customers, customerInput } from '../../src/crm/customers.js';
import { UsersRepo } from '../../src/auth/users-repo.js';
import { hashPassword } from '../../src/auth/passwords.js';

// Agents 2001-2003 sit at extensions 804-806 (phones on ports 8, 9, 10).
const PHONE: Record<string, number> = { 2001: 8, 2002: 9, 2003: 10 };
const AGENT_OF_PORT: Record<number, string> = { 8: '2001', 9: '2002', 10: '2003' };

let box: Box;
let f: ReturnType<typeof farEnd>;

function config() {
  const c = demoConfig();
  // Workday calls go straight to the queue (the IVR's key 3 does the same).
  const route = c.inboundRoute!.main as { byState: Record<string, unknown> };
  route.byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  c.queue!.sales = { id: 'sales', name: 'Sales', number: '6002', members: [{ agent: '2002' }], wrapUpSec: 0 };
  (c.queue!.service as { number?: string }).number = '6001';
  return c;
}

test.before(async () => { box = await startBox(config(), { at: TUESDAY_10AM }); f = farEnd(box); });
test.after(async () => { await box.stop(); });

const acd = () => box.sup.ctx.acd;
const q = (e: Omit<JournalEntry, 'id'>) => e.kind === 'queue' || e.kind === 'agent';

// The service queue with these settings on top of the demo's.
function setQueue(patch: Partial<Queue>): void {
  const base = config().queue!.service as Record<string, unknown>;
  box.sup.config.put('queue', 'service', { ...base, ...patch });
}

// Only these agents logged in and ready.
async function only(...agents: string[]): Promise<void> {
  await f.settled();
  for (const a of acd().agents.values()) if (a.state !== 'logged-out') acd().logout(a.id, 'console');
  for (const a of agents) acd().login(a, 'console');
}

// An outside caller on line `chan`; resolves with the journey once it waits in a queue.
async function callQueue(chan: number, from: string): Promise<string> {
  const joined = journalWait(box, (e) => e.event === 'QueueJoined' && e.data.caller === from);
  await farCall(box, chan, from);
  return (await joined).journey!;
}

// The next agent phone to ring; returns its agent.
async function nextRing(within = 15000): Promise<string> {
  const e = await farWait(box, (x) => x.event === 'SimPhoneRang' && AGENT_OF_PORT[x.chan as number] !== undefined, within);
  return AGENT_OF_PORT[e.chan as number]!;
}

async function answerAndHangUp(journey: string, agent: string, caller: number): Promise<void> {
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', PHONE[agent]!);
  await up;
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', caller);
  await done;
  await f.hangUp(PHONE[agent]!);
}

test('a caller waits in the queue, the ready agent\'s phone rings with caller ID, they talk; CDR names queue and agent; wrap-up then ready', async () => {
  setQueue({ wrapUpSec: 3 });
  await only('2001');
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 8);
  const journey = await callQueue(1, '13911110001');
  assert.is(await nextRing(), '2001');
  assert.is((await cid).number, '13911110001');
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  const answered = await up;
  assert.is(answered.data.agent, '2001');
  await box.far.sim('talk', 1, { freq: 700 });
  assert.ok(await f.hears(8, 700), 'the agent hears the caller');
  const wrap = journalWait(box, (e) => e.event === 'AgentWrapUpStarted' && e.data.agent === '2001');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  await wrap;
  assert.is(acd().agents.get('2001')!.state, 'wrap-up');
  await f.hangUp(8);
  await journalWait(box, (e) => e.event === 'AgentWrapUpEnded' && e.data.agent === '2001');
  assert.is(acd().agents.get('2001')!.state, 'ready');
  const cdr = f.cdr(journey);
  assert.is(cdr.queue, 'service');
  assert.is(cdr.agent, '2001');
  assert.is(cdr.extension, '804');
  assert.is(cdr.disposition, 'answered');
  const events = f.entries(journey, 'QueueCallCompleted');
  assert.is(events.length, 1);
  assert.is(events[0]!.data.endedBy, 'caller');
  assert.equal(box.sup.store.journal.forJourney(journey).filter(q).map((e) => e.event), ['QueueJoined', 'QueueOffered', 'QueueAnswered', 'QueueCallCompleted']);
});

test('agent codes from the phone: *45# logs in, *471# pauses for lunch, *48# is ready, *46 logs out', async () => {
  await only();
  const code = async (digits: string, event: string) => {
    const seen = journalWait(box, (e) => e.event === event && e.data.agent === '2002');
    await f.lift(9);
    await box.far.sim('dial', 9, { digits });
    await seen;
    await f.hangUp(9);
  };
  await code('*45#', 'AgentLoggedIn');
  assert.is(acd().agents.get('2002')!.state, 'ready');
  await code('*471#', 'AgentPaused');
  assert.is(acd().agents.get('2002')!.state, 'paused');
  assert.is(acd().agents.get('2002')!.reason, 'lunch');
  await code('*48#', 'AgentResumed');
  assert.is(acd().agents.get('2002')!.state, 'ready');
  await code('*46', 'AgentLoggedOut');
  assert.is(acd().agents.get('2002')!.state, 'logged-out');
  // Agent 2003 has a PIN: logging in at someone else's phone needs it.
  const refused = journalWait(box, (e) => e.event === 'AgentLoggedIn' && e.data.agent === '2003', 3000).then(() => true, () => false);
  await f.lift(9);
  await box.far.sim('dial', 9, { digits: '*452003*1111#' });
  assert.not.ok(await refused, 'a wrong PIN does not log in');
  await f.hangUp(9);
  const hot = journalWait(box, (e) => e.event === 'AgentLoggedIn' && e.data.agent === '2003');
  await f.lift(9);
  await box.far.sim('dial', 9, { digits: '*452003*2468#' });
  assert.is((await hot).data.ext, '805', 'agent 2003 works at phone 805 now');
  await f.hangUp(9);
  acd().logout('2003', 'console');
});

test('a pause reason with a limit ends by itself: lunch limited to 60 s resumes the agent (via timer)', async () => {
  await only('2001');
  const c = config() as { settings: { main: Record<string, unknown> } };
  box.sup.config.put('settings', 'main', { ...c.settings.main, acd: { ...(c.settings.main.acd as object), pauseLimitSec: { lunch: 60 } } });
  const resumed = journalWait(box, (e) => e.event === 'AgentResumed' && e.data.agent === '2001', 20000);
  const t0 = box.sup.ctx.engineMs();
  acd().pause('2001', 'lunch', 'console');
  const r = await resumed;
  assert.is(r.data.via, 'timer');
  const after = box.sup.ctx.engineMs() - t0;
  assert.ok(after >= 60_000 && after < 62_000, `resumed after ${after} ms of engine time`);
  assert.is(acd().agents.get('2001')!.state, 'ready');
  box.sup.config.put('settings', 'main', c.settings.main);
});

test('round-robin: six calls go to the three agents in turn, two each', async () => {
  setQueue({ strategy: 'round-robin', wrapUpSec: 0, members: [{ agent: '2001', penalty: 0 }, { agent: '2002', penalty: 0 }, { agent: '2003', penalty: 0 }] });
  await only('2001', '2002', '2003');
  const served: string[] = [];
  for (let i = 0; i < 6; i++) {
    const ring = nextRing();
    const journey = await callQueue(1, `1391111100${i}`);
    const agent = await ring;
    served.push(agent);
    await answerAndHangUp(journey, agent, 1);
  }
  assert.equal(served.slice(3), served.slice(0, 3), `the same order again: ${served.join(' ')}`);
  assert.equal([...new Set(served)].sort(), ['2001', '2002', '2003']);
});

test('a caller who gives up after 40 s is journaled as abandoned with the wait, and the CDR says abandoned', async () => {
  setQueue({ joinEmpty: true, wrapUpSec: 0 });
  await only('2001');
  acd().pause('2001', 'meeting', 'console');
  const journey = await callQueue(2, '13922220001');
  await box.sup.ctx.timers.after(40_000).promise;
  const gone = journalWait(box, (e) => e.event === 'QueueAbandoned' && e.journey === journey);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 2);
  const ab = await gone;
  const wait = ab.data.waitSec as number;
  assert.ok(wait >= 40 && wait < 43, `waited ${wait} s`);
  await done;
  assert.is(f.cdr(journey).disposition, 'abandoned');
  acd().resume('2001', 'console');
});

test('no agent answers for the maximum wait: the caller overflows to the service-desk voicemail', async () => {
  setQueue({ joinEmpty: true, maxWaitSec: 8 });
  await only();
  const journey = await callQueue(1, '13933330001');
  const over = await journalWait(box, (e) => e.event === 'QueueOverflowed' && e.journey === journey);
  assert.is(over.data.why, 'maxWait');
  assert.equal(over.data.to, { type: 'voicemail', box: '8000' });
  await journalWait(box, (e) => e.event === 'VoicemailGreeting' || (e.event === 'DestinationEntered' && (e.data.destination as { type: string }).type === 'voicemail'));
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  f.cdr(journey);
});

test('with no agent logged in and joinEmpty off the caller goes straight to the no-agents overflow', async () => {
  setQueue({ joinEmpty: false });
  await only();
  const overflowed = journalWait(box, (e) => e.event === 'QueueOverflowed' && e.data.queue === 'service');
  const journey = await callQueue(3, '13933330002');
  const over = await overflowed;
  assert.is(over.journey, journey);
  assert.is(over.data.why, 'noAgents');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 3);
  await done;
});

test('service-level overflow: a long call raises the expected wait; a caller whose expected wait exceeds the service level goes to the overflow on joining', async () => {
  const base = config().queue!.service as { overflow: Record<string, unknown> };
  const overflow = { ...base.overflow, serviceLevel: { type: 'voicemail', box: '8000' } } as never;
  setQueue({ joinEmpty: true, wrapUpSec: 0, serviceLevelSec: 600, maxWaitSec: 0, overflow });
  await only('2001');
  const before = acd().estimatedWaitSec('service', 1) ?? 0;
  const ring = nextRing();
  const j1 = await callQueue(1, '13912120001');
  await ring;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === j1);
  await box.far.sim('answer', 8);
  await up;
  await box.sup.ctx.timers.after(90_000).promise;
  await answerAndHangUp2(j1, 1, 8);
  const ewt = acd().estimatedWaitSec('service', 1)!;
  assert.ok(ewt > before && ewt >= 3, `expected wait went from ${before} s to ${ewt} s`);
  setQueue({ joinEmpty: true, wrapUpSec: 0, serviceLevelSec: ewt - 1, maxWaitSec: 0, overflow });
  acd().pause('2001', 'meeting', 'console');
  const over = journalWait(box, (e) => e.event === 'QueueOverflowed' && e.data.queue === 'service');
  const j2 = await callQueue(2, '13912120002');
  const o = await over;
  assert.equal([o.journey, o.data.why], [j2, 'serviceLevel']);
  const done = journalWait(box, ended(j2));
  await box.far.sim('hangup', 2);
  await done;
  acd().resume('2001', 'console');
});

test('an agent who lets two offers ring out is paused automatically', async () => {
  setQueue({ joinEmpty: true, ringSec: 5, retrySec: 1, autoPauseAfter: 2, maxWaitSec: 0 });
  await only('2001');
  const paused = journalWait(box, (e) => e.event === 'AgentPaused' && e.data.agent === '2001', 30000);
  const journey = await callQueue(1, '13944440001');
  const p = await paused;
  assert.is(p.data.via, 'auto');
  assert.is(p.data.reason, 'missed');
  assert.is(f.entries(journey, 'QueueOfferMissed').filter((e) => e.data.why === 'no-answer').length, 2);
  assert.is(acd().agents.get('2001')!.state, 'paused');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  acd().resume('2001', 'console');
});

test('callback: the caller presses 1 and hangs up keeping the place; the free agent rings first, then the caller is dialled back', async () => {
  setQueue({ joinEmpty: true, callback: { enabled: true, key: '1' }, maxWaitSec: 0 });
  await only();
  const first = await callQueue(1, '13955550001');
  const second = await callQueue(2, '13955550002');
  const asked = journalWait(box, (e) => e.event === 'CallbackRequested' && e.journey === first);
  await box.far.sim('dial', 1, { digits: '1' });
  assert.is((await asked).data.position, 1);
  await journalWait(box, ended(first));
  assert.is(box.sup.store.cdr.get(first)!.disposition, 'callback');
  await box.far.sim('hangup', 1).catch(() => {});
  // The agent comes in: the kept place (first) is served before the caller still waiting.
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 8);
  acd().login('2001', 'console');
  assert.is((await cid).number, '13955550001', 'the agent sees whom they call back');
  const dialled = farWait(box, (e) => e.event === 'SimDigitsReceived');
  const served = journalWait(box, (e) => e.event === 'CallbackServed' && e.journey === first);
  await box.far.sim('answer', 8);
  const out = await dialled;
  assert.is(out.number, '13955550001');
  await box.far.sim('answer', out.chan as number);
  assert.is((await served).data.outcome, 'answered');
  await box.far.sim('talk', out.chan as number, { freq: 900 });
  assert.ok(await f.hears(8, 900), 'the agent talks to the customer called back');
  await box.far.sim('hangup', out.chan as number);
  await f.hangUp(8);
  // Then the caller who kept waiting.
  const ring = nextRing();
  assert.is(await ring, '2001');
  await answerAndHangUp(second, '2001', 2);
});

test('sticky agent: a returning caller is offered first to the agent who served them, not the strategy\'s pick', async () => {
  setQueue({ strategy: 'least-recent', wrapUpSec: 0, stickySec: 3600, members: [{ agent: '2001', penalty: 0 }, { agent: '2002', penalty: 0 }] });
  await only('2001', '2002');
  const ring1 = nextRing();
  const j1 = await callQueue(1, '13966660001');
  const a1 = await ring1;
  await answerAndHangUp(j1, a1, 1);
  // least-recent would pick the other agent now.
  const ring2 = nextRing();
  const j2 = await callQueue(1, '13966660001');
  assert.is(await ring2, a1, 'the same agent again');
  assert.is(f.entries(j2, 'QueueJoined')[0]!.data.sticky, a1);
  await answerAndHangUp(j2, a1, 1);
});

test('sticky by owner: a caller whose customer record is owned by agent 2002\'s panel user goes to 2002 first', async () => {
  setQueue({ strategy: 'linear', wrapUpSec: 0, stickySec: 3600, members: [{ agent: '2001', penalty: 0 }, { agent: '2002', penalty: 0 }] });
  const user = new UsersRepo(box.sup.store).create({ username: 'liwei', displayName: 'Li Wei', role: 'agent', passwordHash: await hashPassword('li-wei-password') });
  const a2002 = box.sup.config.doc('agent', '2002')!;
  box.sup.config.put('agent', '2002', { ...a2002, user: 'liwei' });
  const customers = new Customers(box.sup.store);
  customers.create(customerInput.parse({ name: 'Zhao Lei', phones: [{ number: '13966660077' }], ownerId: user.id }), 'test');
  await only('2001', '2002');
  const ring = nextRing();
  const j = await callQueue(1, '13966660077');
  assert.is(await ring, '2002', 'linear would ring 2001; the owner\'s agent rings');
  assert.is(f.entries(j, 'QueueJoined')[0]!.data.sticky, '2002');
  await answerAndHangUp(j, '2002', 1);
});

test('a VIP caller joins last and is served first', async () => {
  setQueue({ joinEmpty: true, strategy: 'linear', wrapUpSec: 0, maxWaitSec: 0, members: [{ agent: '2001', penalty: 0 }] });
  box.sup.config.put('screening', 'vip-q', { id: 'vip-q', list: 'vip', match: { type: 'exact', value: '13977770009' }, destination: { type: 'queue', queue: 'service' }, priority: 50 });
  await only();
  const plain = await callQueue(1, '13977770001');
  const vip = await callQueue(2, '13977770009');
  assert.is(f.entries(vip, 'QueueJoined')[0]!.data.priority, 50);
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 8);
  acd().login('2001', 'console');
  assert.is((await cid).number, '13977770009');
  await answerAndHangUp(vip, '2001', 2);
  const cid2 = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 8);
  assert.is((await cid2).number, '13977770001');
  await answerAndHangUp(plain, '2001', 1);
  box.sup.config.remove('screening', 'vip-q');
});

test('a supervisor whispers from phone 801: the agent hears the supervisor\'s tone, the caller does not', async () => {
  setQueue({ wrapUpSec: 0 });
  await only('2001');
  const ring = nextRing();
  const journey = await callQueue(1, '13988880001');
  await ring;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  await f.lift(5);
  const tapped = journalWait(box, (e) => e.event === 'AgentSupervised' && e.data.mode === 'whisper');
  await box.far.sim('dial', 5, { digits: '*422001#' });
  const t = await tapped;
  assert.is(t.data.by, 'ext:801');
  assert.is(t.data.journey, journey);
  await box.far.sim('talk', 5, { freq: 1400 });
  assert.ok(await f.hears(8, 1400), 'the agent hears the supervisor');
  assert.not.ok(await f.hears(1, 1400), 'the caller does not');
  // A phone that is not a supervisor's is refused.
  const refused = journalWait(box, (e) => e.event === 'SupervisionRefused');
  await f.lift(11);
  await box.far.sim('dial', 11, { digits: '*412001#' });
  assert.is((await refused).data.by, '807');
  await f.hangUp(11);
  await f.hangUp(5);
  await answerAndHangUp2(journey, 1, 8);
});

test('a supervisor intercepts from phone 801: the caller talks to the supervisor, the agent\'s phone is released, the queue call counts as ended by the supervisor', async () => {
  setQueue({ wrapUpSec: 0 });
  await only('2001');
  const ring = nextRing();
  const journey = await callQueue(1, '13988880002');
  await ring;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  await f.lift(5);
  const took = journalWait(box, (e) => e.event === 'AgentSupervised' && e.data.mode === 'intercept');
  const completed = journalWait(box, (e) => e.event === 'QueueCallCompleted' && e.journey === journey);
  await box.far.sim('dial', 5, { digits: '*442001#' });
  assert.is((await took).data.journey, journey);
  assert.is((await completed).data.endedBy, 'supervisor');
  await box.far.sim('talk', 1, { freq: 1100 });
  assert.ok(await f.hears(5, 1100), 'the supervisor hears the caller');
  await box.far.sim('talk', 5, { freq: 1700 });
  assert.ok(await f.hears(1, 1700), 'the caller hears the supervisor');
  assert.not.ok(await f.hears(8, 1100), 'the agent is out of the call');
  await f.hangUp(8);
  assert.is(acd().agents.get('2001')!.state, 'ready');
  await answerAndHangUp2(journey, 1, 5);
  const cdr = f.cdr(journey);
  assert.is(cdr.agent, '2001');
  assert.is(cdr.disposition, 'answered');
});

test('a supervisor ends an agent\'s call from the console: both parties are released and the journal says who', async () => {
  setQueue({ wrapUpSec: 0 });
  await only('2001');
  const ring = nextRing();
  const journey = await callQueue(2, '13988880003');
  await ring;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  const done = journalWait(box, ended(journey));
  const completed = journalWait(box, (e) => e.event === 'QueueCallCompleted' && e.journey === journey);
  await acd().forceHangup('2001', 'user:boss');
  assert.is((await completed).data.endedBy, 'supervisor');
  await done;
  const sup = box.sup.store.journal.query({ kind: 'agent', event: 'AgentSupervised' }).filter((e) => e.data.journey === journey);
  assert.equal(sup.map((e) => [e.data.mode, e.data.by]), [['hangup', 'user:boss']]);
  await f.hangUp(8);
  await f.settled();
});

async function answerAndHangUp2(journey: string, caller: number, phone: number): Promise<void> {
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', caller);
  await done;
  await f.hangUp(phone);
}

test('an agent transfers the caller to the sales queue: each queue counts the call once, the first as transferred', async () => {
  setQueue({ wrapUpSec: 0, members: [{ agent: '2001', penalty: 0 }] });
  await only('2001', '2002');
  const ring = nextRing();
  const journey = await callQueue(1, '13999990001');
  assert.is(await ring, '2001');
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  const joinedSales = journalWait(box, (e) => e.event === 'QueueJoined' && e.journey === journey && e.data.queue === 'sales');
  await box.far.sim('flash', 8);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 8 && e.tone === 'dial');
  await box.far.sim('dial', 8, { digits: '6002' });
  await joinedSales;
  await f.hangUp(8);
  const ring2 = nextRing();
  assert.is(await ring2, '2002');
  const up2 = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey && e.data.queue === 'sales');
  await box.far.sim('answer', 9);
  await up2;
  await box.far.sim('talk', 1, { freq: 600 });
  assert.ok(await f.hears(9, 600), 'the sales agent talks to the caller');
  await answerAndHangUp2(journey, 1, 9);
  const qe = box.sup.store.journal.forJourney(journey).filter(q);
  const joins = qe.filter((e) => e.event === 'QueueJoined').map((e) => e.data.queue);
  assert.equal(joins, ['service', 'sales']);
  const tr = qe.filter((e) => e.event === 'QueueTransferred');
  assert.is(tr.length, 1);
  assert.is(tr[0]!.data.to, 'queue:sales');
  assert.equal(qe.filter((e) => e.event === 'QueueCallCompleted').map((e) => `${e.data.queue}:${e.data.endedBy}`), ['service:transfer', 'sales:caller']);
  const cdr = f.cdr(journey);
  assert.is(cdr.agent, '2002');
  assert.is(cdr.queue, 'sales');
});

test('a broken queue definition is refused with the field named, and the running queue keeps working', async () => {
  const bad = { ...(config().queue!.service as Record<string, unknown>), members: [{ agent: '9999' }], overflow: { maxWait: { type: 'queue', queue: 'service' } } };
  try {
    box.sup.config.put('queue', 'service', bad);
    assert.unreachable('accepted');
  } catch (e) {
    const msg = JSON.stringify((e as { errors?: unknown }).errors ?? (e as Error).message);
    assert.match(msg, /members\.0\.agent/);
    assert.match(msg, /overflow\.maxWait/);
  }
  assert.is(box.sup.config.doc('queue', 'service')!.members.length > 0, true);
  void sleep;
  void assertRebuilds;
});

test.run();
