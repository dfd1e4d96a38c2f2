// E1 operations over HTTP on a box with the sim E1 (demo configuration): the
// span and circuit list, blocking (ours and the exchange's) skipped by outgoing
// hunting, a span reset, and a call's R2 signalling trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client, ADMIN_PASSWORD } from '../../src/api/test-kit.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
let api: ApiServer;
let admin: Client;
let agent: Client;

const E1 = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43];

function config() {
  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  c.outboundRoute!.e1 = { id: 'e1', name: 'Over the E1', patterns: ['_6.'], stripDigits: 1, trunks: ['e1'] };
  return c;
}

type Circuit = { chan: number; state: string; sigState: string; trunk: string | null };
async function circuits(): Promise<Map<number, Circuit>> {
  const d = await admin.ok<{ spans: { span: number; alarms: string[]; circuits: Circuit[] }[] }>('e1/span/list');
  return new Map(d.spans.flatMap((s) => s.circuits).map((c) => [c.chan, c]));
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  f = farEnd(box);
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: { store: box.sup.store, config: box.sup.config, engine: box.sup.engine } });
  admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
  await admin.ok('users/user/create', { username: 'agent1', role: 'agent', password: 'agent-password-1' });
  agent = new Client(api.url);
  await agent.ok('auth/session/login', { username: 'agent1', password: 'agent-password-1' });
});
test.after(async () => { await api.close(); await box.stop(); });

test('e1/span/list: the sim E1 span with no alarms and its 30 idle R2 circuits on trunk e1; agents may not see it', async () => {
  const d = await admin.ok<{ spans: { span: number; alarms: string[]; circuits: Circuit[] }[] }>('e1/span/list');
  assert.equal(d.spans.map((s) => [s.span, s.alarms]), [[3, []], [4, []]]);
  assert.equal(d.spans[0]!.circuits.map((c) => c.chan), E1);
  assert.ok(d.spans[0]!.circuits.every((c) => c.state === 'idle' && c.trunk === 'e1'), 'every circuit idle on trunk e1');
  assert.is((await agent.call('e1/span/list')).status, 403);
});

test('blocking: ours and the exchange\'s show in the list, outgoing hunting skips both, a span reset lifts ours; block is audited and refused to agents', async () => {
  assert.is((await agent.call('e1/circuit/block', { chan: 13 })).status, 403);
  assert.equal(await admin.ok('e1/circuit/block', { chan: 13 }), { chan: 13, pending: false });
  const seen = farWait(box, (e) => e.event === 'CircuitBlocked' && e.chan === 14 && e.by === 'far', 2000);
  await box.far.sim('block', 14, { blocked: true });
  await seen;
  const c = await circuits();
  assert.equal([c.get(13)!.state, c.get(14)!.state, c.get(15)!.state], ['blocked-local', 'blocked-remote', 'idle']);
  const bad = await admin.call('e1/circuit/block', { chan: 5 });
  assert.equal([bad.status, bad.body.error.id], [400, 'validation_failed']);
  const again = await admin.call('e1/circuit/unblock', { chan: 15 });
  assert.equal([again.status, again.body.error.id], [409, 'conflict']);
  // A phone dials out: 13 and 14 are not tried, 15 is seized.
  const received = farWait(box, (e) => e.event === 'SimCallReceived', 20000);
  const journey = await f.dial(9, '602161234567');
  const got = await received;
  assert.is(got.chan, 15, 'the first unblocked timeslot takes the call');
  assert.equal(box.sup.store.journal.forJourney(journey).filter((e) => e.event === 'TrunkSeized').map((e) => e.data.chan), [15]);
  await box.far.sim('answer', 15);
  const trace = journalWait(box, (e) => e.event === 'R2Trace' && e.journey === journey, 20000);
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  await trace;
  // The trace, as JSON and as text.
  const t = await admin.ok<{ traces: { chan: number; entries: [number, string, string][] }[] }>('e1/trace/get', { journey });
  const entries = t.traces[0]!.entries;
  assert.is(t.traces[0]!.chan, 15);
  assert.equal(entries[0], [0, 'tx', 'ABCD=0011'], 'the trace starts with our seizure (China: 0011)');
  assert.ok(entries.some(([, d, w]) => d === 'tx' && w === 'I-2'), 'DNIS digits went out as group I');
  assert.ok(entries.some(([, d, w]) => d === 'rx' && /^A-/.test(w)), 'group A came back');
  assert.ok(entries.some(([, d, w]) => d === 'rx' && w === 'B-1'), 'B-1: accepted with charge');
  const text = await admin.ok<{ filename: string; text: string }>('e1/trace/get', { journey, format: 'text' });
  assert.match(text.text, /^\s+0 tx ABCD=0011$/m);
  assert.is(text.filename, `r2-trace-${journey}.txt`);
  assert.is((await admin.call('e1/trace/get', { journey: 'nope' })).status, 404);
  // The span reset lifts our block; the exchange's stays until it lifts it.
  const r = await admin.ok<{ unblocked: number[] }>('e1/span/reset', { span: 3 });
  assert.equal(r.unblocked, [13]);
  await new Promise((res) => setTimeout(res, 200));
  const after = await circuits();
  assert.equal([after.get(13)!.state, after.get(14)!.state], ['idle', 'blocked-remote']);
  await box.far.sim('block', 14, { blocked: false });
  await new Promise((res) => setTimeout(res, 200));
  assert.is((await circuits()).get(14)!.state, 'idle');
  const audit = await admin.ok<{ items: { command: string; target: string; actor: string }[] }>('audit/entry/list', { command: 'e1/circuit/block' });
  assert.equal(audit.items.map((a) => [a.target, a.actor]), [['circuit 13', 'admin']], 'the block is audited with its circuit and who');
});

test.run();
