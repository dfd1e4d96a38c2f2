// A span's signalling type changes while the box runs (e1/span/apply): the
// demo's R2 span 3 is saved as SS7 (the E1 API reports the mismatch, saving
// alone re-lays nothing), applied, and carries an SS7 call; saved as R2
// again, applied, and carries an R2 call. A phone's call over the SS7 span 4
// stays up through both switches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, ss7Ready, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client, ADMIN_PASSWORD } from '../../src/api/test-kit.js';
import type { EngineEvent } from '../../src/telephony/protocol.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
let server: ApiServer;
let admin: Client;
const SPAN3_DCHAN = 28;
const SPAN4_DCHAN = 59;
const engineEvents: EngineEvent[] = [];

function config() {
  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  c.outboundRoute!.ss7 = { id: 'ss7', name: 'Over the SS7 E1', patterns: ['_7.'], stripDigits: 1, trunks: ['ss7'] };
  c.outboundRoute!.e1 = { id: 'e1', name: 'Over span 3', patterns: ['_8.'], stripDigits: 1, trunks: ['e1'] };
  return c;
}

async function states(): Promise<{ chan: number; state: string; sigState?: string }[]> {
  const st = await box.sup.engine.request('state') as unknown as { states: { chan: number; state: string; sigState?: string }[] };
  return st.states;
}
const sig = async (chan: number) => (await states()).find((s) => s.chan === chan)?.sigState;
const stateOf = async (chan: number) => (await states()).find((s) => s.chan === chan)?.state;
const api = (name: string, input: unknown): Promise<any> => admin.ok(name, input);

async function until(what: string, fn: () => Promise<boolean>, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  f = farEnd(box);
  box.sup.engine.on('event', (e: EngineEvent) => engineEvents.push(e));
  server = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: { store: box.sup.store, config: box.sup.config, engine: box.sup.engine } });
  admin = new Client(server.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
  await ss7Ready(box, SPAN4_DCHAN);
});
test.after(async () => { await server.close(); await box.stop(); });

let farLine = 0;     // span 4's line of the phone's call that must stay up
let journey = '';
let r2Doc: Record<string, unknown> = {};   // span 3's saved R2 settings, put back at the end

test('a phone\'s call over SS7 span 4 is up', async () => {
  const received = farWait(box, (e) => e.event === 'SimCallReceived' && (e.chan as number) >= 44, 20000);
  journey = await f.dial(9, '702161234567');
  farLine = (await received).chan as number;
  await farWait(box, (e) => e.event === 'SimLineAnswered' && e.chan === farLine, 10000);
  assert.is(await stateOf(farLine), 'up');
});

test('span 3 saved as SS7: the API reports the mismatch and nothing is re-laid until applied', async () => {
  r2Doc = (await api('config/doc/get', { kind: 'span', id: '3' })).doc;
  const { r2: _r2, ...rest } = r2Doc as { r2?: unknown };
  await api('config/doc/put', { kind: 'span', id: '3', doc: { ...rest, signalling: 'ss7', ss7: { variant: 'china', opc: '10-20-40', dpc: '10-20-41', cicBase: 0 } } });
  const { spans } = await api('e1/span/list', {});
  const s = spans.find((x: { span: number }) => x.span === 3);
  assert.is(s.signalling, 'r2');
  assert.match(s.mismatch, /configured as ss7 but the board runs r2/);
  assert.is(await sig(SPAN3_DCHAN), undefined, 'timeslot 16 is still no channel');
});

test('e1/span/apply switches span 3 to SS7: its link comes up with the saved settings, span 4\'s call stays up', async () => {
  const r = await api('e1/span/apply', { span: 3 });
  assert.equal([r.signalling, r.changed, r.callsEnded], ['ss7', true, 0]);
  assert.ok(engineEvents.some((e) => e.event === 'SpanReconfigured' && e.span === 3 && e.signalling === 'ss7'), 'SpanReconfigured reached the supervisor');
  assert.is(box.sup.ctx.ports.get(SPAN3_DCHAN)?.info.kind, 'dchan', 'the port table follows the new channel list');
  await ss7Ready(box, SPAN3_DCHAN);
  const { spans } = await api('e1/span/list', {});
  const s = spans.find((x: { span: number }) => x.span === 3);
  assert.equal([s.signalling, s.mismatch, s.link.chan], ['ss7', null, SPAN3_DCHAN]);
  assert.is(await stateOf(farLine), 'up', 'the call on span 4 is still up');
  assert.is(await stateOf(9), 'up', 'the phone is still in its call');
  const audit = await api('audit/entry/list', { command: 'e1/span/apply' });
  const rows = (audit.entries ?? audit.items ?? audit) as { summary: string; target: string }[];
  assert.ok(rows.some((a) => a.target === 'span 3' && /span 3 switched from r2 to ss7/.test(a.summary)), JSON.stringify(audit));
});

test('an SS7 call out over span 3 reaches the far end and is answered', async () => {
  const received = farWait(box, (e) => e.event === 'SimCallReceived' && (e.chan as number) >= 13 && (e.chan as number) <= 43, 20000);
  const j = await f.dial(10, '85550000');
  const got = await received;
  assert.equal([got.called, got.span], ['5550000', 3]);
  await farWait(box, (e) => e.event === 'SimLineAnswered' && e.chan === got.chan, 10000);
  const done = journalWait(box, ended(j));
  await f.hangUp(10);
  await done;
  assert.equal([f.cdr(j).trunk, f.cdr(j).disposition], ['e1', 'answered']);
});

test('span 3 back to R2: an R2 call goes out, span 4\'s call is still up, then ends normally', async () => {
  await api('config/doc/put', { kind: 'span', id: '3', doc: r2Doc });
  const r = await api('e1/span/apply', { span: 3 });
  assert.equal([r.signalling, r.changed], ['r2', true]);
  assert.is(box.sup.ctx.ports.get(13)?.info.kind, 'e1-r2');
  assert.is((await api('e1/span/apply', { span: 3 })).changed, false, 'applying what runs changes nothing');
  const received = farWait(box, (e) => e.event === 'SimCallReceived' && (e.chan as number) >= 13 && (e.chan as number) <= 43, 20000);
  const j = await f.dial(10, '85550001');
  await received;
  const done = journalWait(box, ended(j));
  await f.hangUp(10);
  await done;
  assert.is(await stateOf(farLine), 'up', 'the call on span 4 survived both switches');
  assert.not.ok(engineEvents.some((e) => e.event === 'ChannelHungUp' && (e.chan === farLine || e.chan === 9)), 'span 4\'s call never hung up');
  const end = journalWait(box, ended(journey));
  await f.hangUp(9);
  await end;
  assert.is(f.cdr(journey).disposition, 'answered');
});

test.run();
