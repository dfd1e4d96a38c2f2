// Calls over the sim board's SS7 E1 (China variant, 24-bit point codes; the
// far end is our stack in the exchange role): the supervisor configures the
// link from the span settings, an IAM to the 400 number reaches the queue by
// its DID with the caller's number, a phone dials out and the exchange gets
// the IAM with our number, a busy exchange gives busy tone and a busy CDR, the
// ISUP trace is journaled and served by the API, and the E1 API shows the
// link and blocks a circuit with BLO.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, ss7Ready, sigState, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client, ADMIN_PASSWORD } from '../../src/api/test-kit.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
let server: ApiServer;
let admin: Client;
const DCHAN = 59;

function config() {
  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  // Phones reach the SS7 trunk with 7 + number.
  c.outboundRoute!.ss7 = { id: 'ss7', name: 'Over the SS7 E1', patterns: ['_7.'], stripDigits: 1, trunks: ['ss7'] };
  return c;
}

const sig = (chan: number) => sigState(box, chan);
const api = (name: string, input: unknown): Promise<any> => admin.ok(name, input);

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  f = farEnd(box);
  server = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: { store: box.sup.store, config: box.sup.config, engine: box.sup.engine } });
  admin = new Client(server.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
  await ss7Ready(box, DCHAN);
});
test.after(async () => { await server.close(); await box.stop(); });

test('an SS7 call to the 400 number: the IAM\'s numbers arrive, the DID route sends it to the queue, the agent answers; CDR and ISUP trace', async () => {
  box.sup.ctx.acd.login('2001', 'console');
  const joined = journalWait(box, (e) => e.event === 'QueueJoined', 20000);
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8, 20000);
  await box.far.sim('call', 44, { dnis: '4008005678', ani: '13912345678' });
  const j = (await joined).journey!;
  assert.is((await joined).data.caller, '13912345678');
  await rang;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === j);
  await box.far.sim('answer', 8);
  await up;
  await box.far.sim('talk', 44, { freq: 1150 });
  assert.ok(await f.hears(8, 1150), 'the agent hears the caller over the SS7 bearer');
  await box.far.sim('talk', 8, { freq: 1650 });
  assert.ok(await f.hears(44, 1650), 'the caller hears the agent');
  const traced = journalWait(box, (e) => e.event === 'Ss7Trace' && e.journey === j, 10000);
  const done = journalWait(box, ended(j));
  await box.far.sim('hangup', 44);
  await done;
  await f.hangUp(8);
  const cdr = f.cdr(j);
  assert.equal([cdr.trunk, cdr.port, cdr.did, cdr.caller, cdr.route, cdr.queue, cdr.agent, cdr.disposition], ['ss7', 44, '4008005678', '13912345678', 'hotline400ss7', 'service', '2001', 'answered']);
  const trace = (await traced).data.entries as [number, string, string][];
  const msgs = trace.map(([, dir, what]) => `${dir} ${what.split(':')[0]}`);
  // The queue answers at once: a connect (CON) with no address-complete before it.
  assert.equal(msgs.slice(0, 2), ['rx IAM', 'tx CON'], `ISUP trace: ${msgs.join(', ')}`);
  assert.ok(msgs.includes('rx REL') && msgs.includes('tx RLC'), `the far end's release and our RLC are traced: ${msgs.join(', ')}`);
  const text = await api('e1/trace/get', { journey: j, format: 'text' });
  assert.match(text.text, /SS7 ISUP signalling/);
  assert.match(text.text, /rx IAM/);
  box.sup.ctx.acd.logout('2001', 'console');
});

test('a phone dials out over SS7: the exchange receives the called number and our ANI, answers, both hear each other', async () => {
  const received = farWait(box, (e) => e.event === 'SimCallReceived' && (e.chan as number) >= 44, 20000);
  const journey = await f.dial(9, '702161234567');
  const got = await received;
  assert.equal([got.called, got.calling], ['02161234567', '4008005678']);
  const line = got.chan as number;
  await farWait(box, (e) => e.event === 'SimLineAnswered' && e.chan === line, 10000);
  await box.far.sim('talk', line, { freq: 1330 });
  assert.ok(await f.hears(9, 1330), 'the phone hears the far party');
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  const cdr = f.cdr(journey);
  assert.equal([cdr.direction, cdr.trunk, cdr.callee, cdr.disposition], ['outbound', 'ss7', '02161234567', 'answered']);
});

test('a busy number over SS7: REL cause 17, the phone hears busy tone, the CDR says busy', async () => {
  await box.far.sim('ss7', DCHAN, { action: 'rule', prefix: '0218', outcome: 'busy' });
  const busy = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 9 && e.tone === 'busy', 20000);
  const journey = await f.dial(9, '702187654321');
  await busy;
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  assert.is(f.cdr(journey).disposition, 'busy');
  await box.far.sim('ss7', DCHAN, { action: 'rule', prefix: '', outcome: 'answer' });
});

test('the E1 API shows the SS7 span, its link and CICs, and blocks a circuit by BLO (the far end sees it)', async () => {
  const { spans } = await api('e1/span/list', {});
  const s = spans.find((x: { span: number }) => x.span === 4);
  assert.ok(s, 'span 4 is listed');
  assert.is(s.signalling, 'ss7');
  assert.equal([s.link.chan, s.link.state], [DCHAN, 'up']);
  assert.ok(s.link.counters.msuIn > 0 && s.link.counters.msuOut > 0, `the link counts its MSUs: ${JSON.stringify(s.link.counters)}`);
  assert.is(s.mismatch, null);
  const c = s.circuits.find((x: { chan: number }) => x.chan === 50);
  assert.equal([c.timeslot, c.cic, c.signalling, c.state, c.trunk], [7, 7, 'ss7', 'idle', 'ss7']);
  assert.not.ok(s.circuits.some((x: { timeslot: number }) => x.timeslot === 16), 'timeslot 16 carries the link, not a circuit');
  const farBlocked = farWait(box, (e) => e.event === 'SimCircuitBlocked' && e.chan === 50, 10000);
  await api('e1/circuit/block', { chan: 50 });
  await farBlocked;
  const deadline = Date.now() + 5000;
  while ((await sig(50)) !== 'blocked-local' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.is((await sig(50)), 'blocked-local');
  const farUnblocked = farWait(box, (e) => e.event === 'SimCircuitUnblocked' && e.chan === 50, 10000);
  await api('e1/circuit/unblock', { chan: 50 });
  await farUnblocked;
});

test('line errors the span counts (BPV, CRC-4, E-bit, FAS) show in the E1 API within a second', async () => {
  const before = (await api('e1/span/list', {})).spans.find((x: { span: number }) => x.span === 4).errors;
  assert.equal(before, { bpv: 0, crc4: 0, ebit: 0, fas: 0 });
  await box.far.sim('alarm', undefined, { span: 4, errors: { bpv: 5, crc4: 2, ebit: 1 } });
  const deadline = Date.now() + 5000;
  let errors = before;
  while (Date.now() < deadline) {
    errors = (await api('e1/span/list', {})).spans.find((x: { span: number }) => x.span === 4).errors;
    if (errors.bpv) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(errors, { bpv: 5, crc4: 2, ebit: 1, fas: 0 });
  assert.equal((await api('e1/span/list', {})).spans.find((x: { span: number }) => x.span === 3).errors, { bpv: 0, crc4: 0, ebit: 0, fas: 0 }, 'another span\'s counters are its own');
});

test('system.conf for a real box follows the span settings: R2 as CAS with timeslot 16 for the bits, SS7 as CCS with the link; an internal clock never gives timing', async () => {
  let { text } = await api('e1/system-conf/get', {});
  assert.ok(text.includes('\nspan=3,1,0,cas,hdb3,crc4\ncas=13-27,29-43:1111\nalaw=13-27,29-43\n'), text);
  assert.ok(text.includes('\nspan=4,2,0,ccs,hdb3,crc4\nbchan=44-58,60-74\ndchan=59\nalaw=44-58,60-74\n'), text);
  const doc = (await api('config/doc/get', { kind: 'span', id: '4' })).doc;
  await api('config/doc/put', { kind: 'span', id: '4', doc: { ...doc, clock: 'internal', crc4: false, lineCode: 'ami' } });
  ({ text } = await api('e1/system-conf/get', {}));
  assert.ok(text.includes('\nspan=4,0,0,ccs,ami\n'), text);
  await api('config/doc/put', { kind: 'span', id: '4', doc });
});

test('bad SS7 span settings are refused with the field named; saved ones apply to the running link at once (a wrong link code keeps it down, the right one brings it back)', async () => {
  const bad = await admin.call('config/doc/put', { kind: 'span', id: '4', doc: { span: 4, signalling: 'ss7', ss7: { variant: 'china', opc: '10-20-300', dpc: '10-20-31' } } });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.id, 'validation_failed');
  assert.ok(bad.body.error.fields?.some((x) => x.path === 'doc.ss7.opc' && /0\.\.255/.test(x.message)), JSON.stringify(bad.body.error));
  // The same settings again leave the link alone; a link code the exchange
  // does not use fails its link test, so the link stays down.
  await api('config/doc/put', { kind: 'span', id: '4', doc: { span: 4, signalling: 'ss7', ss7: { variant: 'china', opc: '10-20-30', dpc: '10-20-31', slc: 0 }, name: 'renamed' } });
  assert.is(await sig(DCHAN), 'up');
  const down = farWait(box, (e) => e.event === 'SimSs7LinkDown', 10000);
  await api('config/doc/put', { kind: 'span', id: '4', doc: { span: 4, signalling: 'ss7', ss7: { variant: 'china', opc: '10-20-30', dpc: '10-20-31', slc: 1 } } });
  await down;
  await new Promise((r) => setTimeout(r, 3000));
  assert.is.not(await sig(DCHAN), 'up', 'a wrong link code keeps the link down');
  await api('config/doc/put', { kind: 'span', id: '4', doc: { span: 4, signalling: 'ss7', ss7: { variant: 'china', opc: '10-20-30', dpc: '10-20-31', slc: 0 } } });
  const deadline = Date.now() + 20000;
  while ((await sig(DCHAN)) !== 'up' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.is((await sig(DCHAN)), 'up');
});

test.run();
