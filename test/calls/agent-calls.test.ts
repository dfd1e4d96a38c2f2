// The agent's own calls through the API on a running box: hold from the panel
// (the caller hears music, not the agent; resume bridges them again), the
// wrap-up (a note and disposition tags on the call, its CDR tags, a note on
// the known customer's history; validation names the field), the agent's
// history newest first with playable recordings, and the walls between
// agents: another agent gets neither the call, its recording, its wrap-up
// nor its history entry, while a supervisor sees everything.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, ended, farCall, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client, ADMIN_PASSWORD, userClient, WsClient } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';

let box: Box;
let api: ApiServer;
let admin: Client;
let zhao: Client;     // agent 2001, phone 804 (port 8)
let liu: Client;      // agent 2002
let sup: Client;
let journey = '';
const CUSTOMER = '13912340009';

function config() {
  const c = demoConfig();
  const route = c.inboundRoute!.main as { byState: Record<string, unknown> };
  route.byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  (c.agent!['2001'] as { user?: string }).user = 'zhao';
  (c.agent!['2002'] as { user?: string }).user = 'liu';
  (c.queue!.service as { recording?: string }).recording = 'always';
  return c;
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
  zhao = await userClient({ api } as never, admin, 'agent', 'zhao');
  liu = await userClient({ api } as never, admin, 'agent', 'liu');
  sup = await userClient({ api } as never, admin, 'supervisor', 'boss');
  await admin.ok('crm/customer/create', { name: 'Sun Mei', phones: [{ number: CUSTOMER }] });
});
test.after(async () => { await api?.close(); await box?.stop(); });

test('hold from the panel: the caller hears music and the agent no longer hears the caller; resume bridges them again', async () => {
  const f = farEnd(box);
  await zhao.ok('acd/me/login');
  const rang = box.far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === 8, 15000);
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  await farCall(box, 1, CUSTOMER);
  journey = (await joined).journey!;
  await rang;
  const notYet = await zhao.call('acd/me/hold');
  assert.equal([notYet.status, notYet.body.error.id], [409, 'conflict'], 'nothing to hold while it rings');
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  const recording = journalWait(box, (e) => e.event === 'RecordingStarted' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  await recording;
  await box.far.sim('talk', 1, { freq: 700 });
  assert.ok(await f.hears(8, 700), 'talking: the agent hears the caller');
  // Whom 2001 talks to is for 2001 and supervisors, not for another agent.
  const party = (s: { agents: { id: string; party: { caller: string } | null }[] }) => s.agents.find((a) => a.id === '2001')!.party?.caller ?? null;
  assert.is(party(await zhao.ok('acd/status/get')), CUSTOMER);
  assert.is(party(await sup.ok('acd/status/get')), CUSTOMER);
  assert.is(party(await liu.ok('acd/status/get')), null, 'another agent sees the state, not the caller');
  const ws = await WsClient.connect(api.url, { cookie: liu.cookie });
  await ws.subscribe('acd');
  await ws.subscribe('calls');

  const held = journalWait(box, (e) => e.event === 'CallHeld' && e.journey === journey);
  assert.equal(await zhao.ok('acd/me/hold'), { held: true });
  assert.is((await held).data.chan, 1, 'the caller\'s line is the one held');
  assert.is((await zhao.ok('acd/me/get')).party.held, true);
  const pushed = await ws.nextEvent((m) => m.topic === 'acd' && m.data.agents.some((a: { id: string; state: string }) => a.id === '2001' && a.state === 'on-call'), 3000);
  assert.is(pushed.data.agents.find((a: { id: string }) => a.id === '2001').party, null, 'the pushed status hides the caller from another agent');
  const callEvent = await ws.nextEvent((m) => m.topic === 'journal' && m.data.event === 'CallHeld', 3000);
  assert.equal([callEvent.data.journey, callEvent.data.data], [null, {}], 'the calls topic tells another agent only that something happened');
  ws.close();
  assert.not.ok(await f.hears(8, 700), 'on hold the agent does not hear the caller');
  const again = await zhao.call('acd/me/hold');
  assert.equal([again.status, again.body.error.id], [409, 'conflict']);
  const engineState = await admin.ok('engine/state/get');
  const callerChan = (engineState.channels as { chan: number; playing?: unknown }[]).find((c) => c.chan === 1);
  assert.ok(callerChan, 'the engine lists the caller\'s channel');

  const resumed = journalWait(box, (e) => e.event === 'CallResumed' && e.journey === journey);
  assert.equal(await zhao.ok('acd/me/unhold'), { held: false });
  await resumed;
  assert.ok(await f.hears(8, 700), 'resumed: the agent hears the caller again');
  assert.is((await zhao.ok('acd/me/get')).party.held, false);
  const audit = await admin.ok('audit/entry/list', { command: 'acd/me/hold' });
  assert.is(audit.items[0].actor, 'zhao', 'hold is audited');

  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  await f.hangUp(8);
  await f.settled();
});

test('wrap-up: validation names the field; note and tags saved on the call, its CDR and the customer\'s history', async () => {
  const empty = await zhao.call('acd/me/wrapup', { journey });
  assert.equal([empty.status, empty.body.error.id, empty.body.error.fields?.[0]?.path], [400, 'validation_failed', 'note']);
  const badTag = await zhao.call('acd/me/wrapup', { journey, tags: ['Not A Tag'] });
  assert.equal([badTag.body.error.id, badTag.body.error.fields?.[0]?.path], ['validation_failed', 'tags.0']);
  const long = await zhao.call('acd/me/wrapup', { journey, note: 'x'.repeat(2001) });
  assert.is(long.body.error.fields?.[0]?.path, 'note');
  const unknown = await zhao.call('acd/me/wrapup', { journey: 'no-such-call', note: 'hi' });
  assert.is(unknown.body.error.id, 'not_found');

  const w = await zhao.ok('acd/me/wrapup', { journey, note: 'Wants the <b>blue</b> model; call back Friday', tags: ['sale', 'follow-up'] });
  assert.equal([w.note, w.tags, w.agent, w.author], ['Wants the <b>blue</b> model; call back Friday', ['sale', 'follow-up'], '2001', 'zhao']);
  assert.ok(w.customerId, 'matched the customer');
  const cdr = box.sup.store.cdr.get(journey)!;
  assert.ok(cdr.tags.includes('sale') && cdr.tags.includes('follow-up'), `CDR tags ${cdr.tags}`);
  assert.ok(box.sup.store.journal.forJourney(journey).some((e) => e.event === 'CallTagged' && e.data.tag === 'sale'), 'journaled');
  const h = await zhao.ok('crm/customer/history', { id: w.customerId });
  const notes = h.filter((x: { type: string }) => x.type === 'note');
  assert.is(notes.length, 1);
  assert.is(notes[0].note.body, '[sale, follow-up] Wants the <b>blue</b> model; call back Friday');
  // Saving again corrects the call's wrap-up without a second customer note.
  const w2 = await zhao.ok('acd/me/wrapup', { journey, note: 'Blue model, call back Friday', tags: ['sale'] });
  assert.equal(w2.tags, ['sale']);
  assert.not.ok(box.sup.store.cdr.get(journey)!.tags.includes('follow-up'), 'a tag taken off leaves the CDR');
  assert.is((await zhao.ok('crm/customer/history', { id: w.customerId })).filter((x: { type: string }) => x.type === 'note').length, 1);
  const audit = await admin.ok('audit/entry/list', { command: 'acd/me/wrapup' });
  assert.is(audit.items[0].target, `call ${journey}`);
});

test('my history: own calls newest first with wrap-up and a playable recording; the download is a WAV', async () => {
  for (let i = 0; i < 50 && !box.sup.store.recordings.forJourney(journey).every((r) => r.status !== 'recording'); i++) await sleep(20);
  const h = await zhao.ok('acd/me/history', {});
  assert.is(h.agent, '2001');
  assert.ok(h.tags.includes('resolved'));
  assert.is(h.calls[0].cdr.journey, journey);
  assert.is(h.calls[0].wrapup.note, 'Blue model, call back Friday');
  const rec = h.calls[0].recordings[0];
  assert.equal(h.calls[0].cdr.recordings, [rec.id]);
  const res = await fetch(`${api.url}${rec.url}`, { headers: { cookie: zhao.cookie! } });
  assert.is(res.status, 200, 'the agent plays their own call');
  const wav = Buffer.from(await res.arrayBuffer());
  assert.equal([wav.toString('latin1', 0, 4), wav.toString('latin1', 8, 12)], ['RIFF', 'WAVE']);
  const bad = await zhao.call('acd/me/history', { limit: 0 });
  assert.equal([bad.body.error.id, bad.body.error.fields?.[0]?.path], ['validation_failed', 'limit']);
});

test('agents only ever see their own calls and recordings; supervisors see all', async () => {
  const rec = box.sup.store.recordings.forJourney(journey)[0]!;
  assert.equal((await liu.ok('acd/me/history', {})).calls, [], 'not in the other agent\'s history');
  assert.equal((await liu.ok('calls/cdr/list', {})).map((c: { journey: string }) => c.journey), [], 'not in their call list');
  assert.equal((await liu.ok('calls/cdr/list', { agent: '2001' })), [], 'not even when asked for by agent');
  const one = await liu.call('calls/cdr/get', { journey });
  assert.equal([one.status, one.body.error.id], [403, 'permission_required']);
  const wav = await fetch(`${api.url}/api/recordings/${rec.id}.wav`, { headers: { cookie: liu.cookie! } });
  assert.is(wav.status, 403, 'nor its recording');
  const wrap = await liu.call('acd/me/wrapup', { journey, note: 'mine now' });
  assert.equal([wrap.status, wrap.body.error.id], [403, 'permission_required'], 'nor its wrap-up');
  const pop = await liu.ok('crm/customer/lookup', { number: CUSTOMER });
  const item = pop.history.find((x: { type: string; call?: { journey: string } }) => x.type === 'call' && x.call!.journey === journey);
  assert.equal([item.recordings, item.call.recordings], [[], []], 'the screen pop keeps the call but not its recording');
  // The agent who took it sees it all; a supervisor too.
  assert.equal((await zhao.ok('calls/cdr/list', {})).map((c: { journey: string }) => c.journey), [journey]);
  assert.is((await zhao.ok('calls/cdr/get', { journey })).wrapup.note, 'Blue model, call back Friday');
  assert.ok((await sup.ok('calls/cdr/list', {})).some((c: { journey: string }) => c.journey === journey));
  assert.is((await fetch(`${api.url}/api/recordings/${rec.id}.wav`, { headers: { cookie: sup.cookie! } })).status, 200);
  // An integration token with the agent role is no agent: it sees no calls.
  const token = new Client(api.url);
  token.bearer = (await admin.ok('auth/token/create', { name: 'agent-bot', role: 'agent' })).token;
  assert.equal(await token.ok('calls/cdr/list', {}), []);
});

test.run();
