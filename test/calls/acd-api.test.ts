// The ACD through the API on a running box: live status, agents set by a
// supervisor (journaled with who, audited), refusals with stable error ids and
// named fields, reports in a worker, and status pushed over the WebSocket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from 'ws';
import { startBox, demoConfig, journalWait, ended, farCall, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client, ADMIN_PASSWORD, userClient } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';

let box: Box;
let api: ApiServer;
let admin: Client;

function config() {
  const c = demoConfig();
  const route = c.inboundRoute!.main as { byState: Record<string, unknown> };
  route.byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  return c;
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
});
test.after(async () => { await api.close(); await box.stop(); });

test('status lists the demo queue and its agents, all logged out', async () => {
  const s = await admin.ok('acd/status/get');
  const q = s.queues.find((x: { id: string }) => x.id === 'service');
  assert.ok(q, 'service queue listed');
  assert.is(q.loggedIn, 0);
  assert.equal(s.agents.map((a: { id: string; state: string }) => `${a.id}:${a.state}`).sort(), ['2001:logged-out', '2002:logged-out', '2003:logged-out']);
});

test('a supervisor logs an agent in and pauses them: journaled with who did it, audited, pushed over the WebSocket', async () => {
  const sup = await userClient({ api } as never, admin, 'supervisor');
  const ws = new WebSocket(api.url.replace('http', 'ws') + '/api/ws', { headers: { cookie: sup.cookie!, origin: api.url } });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const pushed = new Promise<{ agents: { id: string; state: string }[] }>((resolve) => {
    ws.on('message', (m) => { const x = JSON.parse(String(m)); if (x.type === 'event' && x.topic === 'acd' && x.data.agents.some((a: { id: string; state: string }) => a.id === '2001' && a.state === 'ready')) resolve(x.data); });
  });
  ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic: 'acd' }));
  await new Promise((r) => setTimeout(r, 100));
  const logged = journalWait(box, (e) => e.event === 'AgentLoggedIn' && e.data.agent === '2001');
  const r = await sup.ok('acd/agent/login', { agent: '2001' });
  assert.equal(r, { agent: '2001', state: 'ready', ext: '804' });
  const e = await logged;
  assert.equal([e.data.via, e.data.by], ['supervisor', 'supervisor1']);
  await pushed;
  ws.close();
  await sup.ok('acd/agent/pause', { agent: '2001', reason: 'training' });
  assert.equal([box.sup.ctx.acd.agents.get('2001')!.state, box.sup.ctx.acd.agents.get('2001')!.reason], ['paused', 'training']);
  const audit = await admin.ok('audit/entry/list', { command: 'acd/agent/pause' });
  const rows = audit.items;
  assert.ok(rows.some((a: { actor: string; target: string }) => a.actor === 'supervisor1' && a.target === 'agent 2001'), JSON.stringify(rows));
  await sup.ok('acd/agent/resume', { agent: '2001' });
  await sup.ok('acd/agent/logout', { agent: '2001' });
});

test('refusals: an unknown agent is not_found, a bad reason names the field, hang-up with no call is a conflict, an agent may not log others in', async () => {
  const unknown = await admin.call('acd/agent/login', { agent: '9999' });
  assert.equal([unknown.status, unknown.body.error.id], [404, 'not_found']);
  const bad = await admin.call('acd/agent/pause', { agent: '2001', reason: 'Lunch Break!' });
  assert.is(bad.body.error.id, 'validation_failed');
  assert.is(bad.body.error.fields![0]!.path, 'reason');
  const idle = await admin.call('acd/agent/hangup', { agent: '2001' });
  assert.is(idle.body.error.id, 'conflict');
  const agent = await userClient({ api } as never, admin, 'agent');
  const denied = await agent.call('acd/agent/login', { agent: '2002' });
  assert.equal([denied.status, denied.body.error.id], [403, 'permission_required']);
});

test('a call answered in the queue shows in the report and the live figures; a bad time zone names the field', async () => {
  const f = farEnd(box);
  await admin.ok('acd/agent/login', { agent: '2001' });
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  const rang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 8, 15000);
  await farCall(box, 1, '13912340001');
  const journey = (await joined).journey!;
  await rang;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  await f.hangUp(8);
  const s = await admin.ok('acd/status/get');
  const q = s.queues.find((x: { id: string }) => x.id === 'service');
  assert.equal([q.offered, q.answered], [1, 1]);
  // The box runs on a fixed clock (a Tuesday morning): the report is about that day.
  const now = box.sup.ctx.now().getTime();
  const from = new Date(now - 86400_000).toISOString();
  const to = new Date(now + 86400_000).toISOString();
  const rep = await admin.ok('acd/report/run', { from, to, groupBy: 'queue' });
  const row = rep.rows.find((x: { queue: string }) => x.queue === 'service');
  assert.equal([row.offered, row.answered, row.abandoned], [1, 1, 0]);
  const csv = await admin.ok('acd/report/run', { from, to, groupBy: 'agent', format: 'csv' });
  assert.match(csv.csv, /"2001"/);
  const badTz = await admin.call('acd/report/run', { from, to, tz: 'Mars/Olympus' });
  assert.equal([badTz.body.error.id, badTz.body.error.fields?.[0]?.path], ['validation_failed', 'tz']);
  await admin.ok('acd/agent/logout', { agent: '2001' });
});

test('an agent user works their own agent: login, pause with a reason, ready; the ringing call shows who is calling; others are refused', async () => {
  const a = box.sup.config.doc('agent', '2002')!;
  box.sup.config.put('agent', '2002', { ...a, user: 'liwei' });
  const me = await userClient({ api } as never, admin, 'agent', 'liwei');
  assert.equal(await me.ok('acd/me/login'), { agent: '2002', state: 'ready', ext: '805' });
  await me.ok('acd/me/pause', { reason: 'lunch' });
  assert.equal([(await me.ok('acd/me/get')).state, (await me.ok('acd/me/get')).reason], ['paused', 'lunch']);
  await me.ok('acd/me/resume');
  const rang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 9, 15000);
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  await farCall(box, 2, '13912340002');
  const journey = (await joined).journey!;
  await rang;
  const ringing = await me.ok('acd/me/get');
  assert.equal([ringing.party?.phase, ringing.party?.caller, ringing.party?.journey], ['ringing', '13912340002', journey]);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 2);
  await done;
  assert.is((await me.ok('acd/me/get')).party, null);
  await me.ok('acd/me/logout');
  const other = await userClient({ api } as never, admin, 'agent', 'nobody');
  const r = await other.call('acd/me/get');
  assert.equal([r.status, r.body.error.id], [404, 'not_found']);
});

test('a supervisor listens in from the panel: the box rings their phone 801, and once answered it hears the caller; the journal names the user', async () => {
  const f = farEnd(box);
  await admin.ok('acd/agent/login', { agent: '2001' });
  const rang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 8, 15000);
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  await farCall(box, 3, '13912340003');
  const journey = (await joined).journey!;
  await rang;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  const noCall = await admin.call('acd/agent/monitor', { agent: '2002', ext: '801' });
  assert.is(noCall.body.error.id, 'conflict');
  const badExt = await admin.call('acd/agent/monitor', { agent: '2001', ext: '999' });
  assert.equal([badExt.body.error.id, badExt.body.error.fields?.[0]?.path], ['validation_failed', 'ext']);
  const supRang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 5, 15000);
  const tapped = journalWait(box, (e) => e.event === 'AgentSupervised' && e.data.mode === 'listen');
  assert.equal(await admin.ok('acd/agent/monitor', { agent: '2001', mode: 'listen', ext: '801' }), { ringing: '801' });
  await supRang;
  await box.far.sim('answer', 5);
  const t = await tapped;
  assert.equal([t.data.by, t.data.journey], ['user:admin', journey]);
  await box.far.sim('talk', 3, { freq: 1300 });
  assert.ok(await f.hears(5, 1300), 'the supervisor hears the caller');
  await box.far.sim('talk', 5, { freq: 1900 });
  assert.not.ok(await f.hears(3, 1900), 'listening: the caller does not hear the supervisor');
  await f.hangUp(5);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 3);
  await done;
  await f.hangUp(8);
  await admin.ok('acd/agent/logout', { agent: '2001' });
});

test('the agent console: click-to-dial rings the agent first then dials out; transfer hands a queue caller to an extension; hang-up ends the call', async () => {
  const f = farEnd(box);
  const a = box.sup.config.doc('agent', '2002')!;
  box.sup.config.put('agent', '2002', { ...a, user: 'liwei2' });
  const me = await userClient({ api } as never, admin, 'agent', 'liwei2');
  await me.ok('acd/me/login');
  // Click-to-dial: phone 805 (port 9) rings, is answered, then the exchange gets the number.
  const rang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 9, 15000);
  const bad = await me.call('acd/me/dial', { number: '12' });
  assert.equal([bad.body.error.id, bad.body.error.fields?.[0]?.path], ['validation_failed', 'number']);
  const { journey: out } = await me.ok('acd/me/dial', { number: '913911112222' });
  await rang;
  const digits = box.far.waitFor((e) => e.event === 'SimDigitsReceived', 20000);
  await box.far.sim('answer', 9);
  const got = await digits;
  assert.is(got.number, '13911112222');
  await box.far.sim('answer', got.chan as number);
  await box.far.sim('talk', got.chan as number, { freq: 1450 });
  assert.ok(await f.hears(9, 1450), 'the agent talks to the customer');
  const outDone = journalWait(box, ended(out));
  await me.ok('acd/me/hangup').catch(() => {});
  await f.hangUp(9);
  await outDone;
  const cdr = box.sup.store.cdr.get(out)!;
  assert.equal([cdr.direction, cdr.callee, cdr.tags.includes('click-to-dial')], ['outbound', '13911112222', true]);
  await f.settled();
  // A queue call answered by 2002, handed on to extension 803 (port 7) from the console.
  const ring = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 9, 15000);
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  await farCall(box, 4, '13912340004');
  const journey = (await joined).journey!;
  await ring;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 9);
  await up;
  const badTo = await me.call('acd/me/transfer', { ext: '999' });
  assert.equal([badTo.body.error.id, badTo.body.error.fields?.[0]?.path], ['validation_failed', 'ext']);
  const completed = journalWait(box, (e) => e.event === 'QueueCallCompleted' && e.journey === journey);
  const rings803 = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 7, 15000);
  await me.ok('acd/me/transfer', { ext: '803' });
  assert.is((await completed).data.endedBy, 'transfer');
  await rings803;
  await box.far.sim('answer', 7);
  await box.far.sim('talk', 4, { freq: 1250 });
  assert.ok(await f.hears(7, 1250), 'extension 803 talks to the caller');
  await f.hangUp(9);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 4);
  await done;
  await f.hangUp(7);
  assert.is(box.sup.store.cdr.get(journey)!.extension, '803');
  const tr = box.sup.store.journal.forJourney(journey).filter((e) => e.event === 'QueueTransferred');
  assert.equal(tr.map((e) => e.data.to), ['extension:803']);
  await me.ok('acd/me/logout');
});

test.run();
