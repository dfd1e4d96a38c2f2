// Calls over the sim board's E1 span with China No.1 signalling (MFC/R2): the
// exchange calls the 400 number and the DNIS picks the route (straight to the
// service queue, day or night); a phone dials out over the E1 and the exchange
// receives the number and our ANI, asked for after the number as in China.
// The span's R2 knobs apply to the running timeslots when saved.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;

function config() {
  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  // Phones reach the E1 with 6 + number.
  c.outboundRoute!.e1 = { id: 'e1', name: 'Over the E1', patterns: ['_6.'], stripDigits: 1, trunks: ['e1'] };
  return c;
}

test.before(async () => { box = await startBox(config(), { at: TUESDAY_10AM }); f = farEnd(box); });
test.after(async () => { await box.stop(); });

test('an R2 call to the 400 number: DNIS and ANI arrive, the route by DID sends it to the queue, the agent answers; the CDR has trunk, DID and caller', async () => {
  box.sup.ctx.acd.login('2001', 'console');
  const joined = journalWait(box, (e) => e.event === 'QueueJoined', 20000);
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8, 20000);
  await box.far.sim('call', 13, { dnis: '4008001234', ani: '13912345678', category: 1 });
  const j = (await joined).journey!;
  assert.is((await joined).data.caller, '13912345678');
  await rang;
  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === j);
  await box.far.sim('answer', 8);
  await up;
  await box.far.sim('talk', 13, { freq: 1150 });
  assert.ok(await f.hears(8, 1150), 'the agent hears the caller over the E1 timeslot');
  await box.far.sim('talk', 8, { freq: 1650 });
  assert.ok(await f.hears(13, 1650), 'the caller hears the agent');
  const done = journalWait(box, ended(j));
  await box.far.sim('hangup', 13);
  await done;
  await f.hangUp(8);
  const cdr = f.cdr(j);
  assert.equal([cdr.trunk, cdr.port, cdr.did, cdr.caller, cdr.route, cdr.queue, cdr.agent, cdr.disposition], ['e1', 13, '4008001234', '13912345678', 'hotline400', 'service', '2001', 'answered']);
  box.sup.ctx.acd.logout('2001', 'console');
});

test('a phone dials out over the E1: the exchange asks for the ANI after the number and gets the trunk\'s', async () => {
  for (let ch = 13; ch <= 43; ch++) if (ch !== 28) await box.far.sim('r2', ch, { askAni: 'after-dnis' });
  const received = farWait(box, (e) => e.event === 'SimCallReceived', 20000);
  // 805 (port 9) may dial long distance.
  const journey = await f.dial(9, '602161234567');
  const got = await received;
  assert.equal([got.dnis, got.ani], ['02161234567', '4008001234']);
  const line = got.chan as number;
  await box.far.sim('answer', line);
  await box.far.sim('talk', line, { freq: 1330 });
  assert.ok(await f.hears(9, 1330), 'the phone hears the far party');
  await box.far.sim('talk', 9, { freq: 1770 });
  assert.ok(await f.hears(line, 1770), 'the far party hears the phone');
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  const cdr = f.cdr(journey);
  assert.equal([cdr.direction, cdr.trunk, cdr.callee, cdr.disposition], ['outbound', 'e1', '02161234567', 'answered']);
});

test('an outgoing R2 call to a busy number: the exchange answers B busy, the phone hears busy tone, the CDR says busy', async () => {
  for (let ch = 13; ch <= 43; ch++) if (ch !== 28) await box.far.sim('outcome', ch, { outcome: 'busy' });
  const busy = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 9 && e.tone === 'busy', 20000);
  const journey = await f.dial(9, '602187654321');
  await busy;
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  assert.is(f.cdr(journey).disposition, 'busy');
  assert.is(box.sup.store.journal.forJourney(journey).filter((e) => e.event === 'TrunkFailed').length, 1, 'one timeslot tried: busy is the number\'s, not the line\'s');
  for (let ch = 13; ch <= 43; ch++) if (ch !== 28) await box.far.sim('outcome', ch, { outcome: 'answer' });
});

test('span R2 knobs apply at once: with DTMF detection saved, the exchange dials the 400 number by DTMF and the route by DID still finds the queue; off again, MF only', async () => {
  const span = box.sup.ctx.config.doc('span', '3')!;
  const put = (r2: Record<string, unknown>) => box.sup.ctx.config.put('span', '3', { ...span, r2: { ...span.r2, ...r2 } });
  const offered = journalWait(box, (e) => e.event === 'QueueJoined', 20000);
  put({ dtmfDetection: true, doubleAnswer: true });
  await new Promise((r) => setTimeout(r, 500));         // the change is applied to every timeslot (setR2)
  await box.far.sim('r2', 15, { dtmfDialing: true });
  await box.far.sim('call', 15, { dnis: '4008001234', ani: '13912345678', category: 1 });
  const j = (await offered).journey!;
  assert.not.ok((await offered).data.caller, 'no ANI by DTMF');
  const done = journalWait(box, ended(j));
  await box.far.sim('hangup', 15);
  await done;
  assert.is(f.cdr(j).did, '4008001234', 'the DNIS came by DTMF');
  put({ dtmfDetection: false, doubleAnswer: false });
  await box.far.sim('r2', 15, { dtmfDialing: false });
});

test.run();
