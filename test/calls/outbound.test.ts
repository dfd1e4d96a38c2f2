// Calls out through the trunk from analog phones: class of service for
// international numbers, emergency numbers from a phone that may only call
// internally (with and without the access code), and failover to the next
// line when the first gives no dial tone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  box = await startBox(undefined, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

// Any trunk line seized by the box while `body` runs.
async function seizures(body: () => Promise<void>): Promise<number[]> {
  const seized: number[] = [];
  const watch = (e: { event: string; chan?: number }) => { if (e.event === 'SimLineSeized') seized.push(e.chan!); };
  box.far.on('event', watch);
  try { await body(); } finally { box.far.off('event', watch); }
  return seized;
}

// A phone dials a number that goes out; the exchange answers, the call is
// checked both ways and the phone hangs up. Returns the journey and the line.
async function goesOut(phone: number, dialed: string, expect: string): Promise<{ journey: string; line: number }> {
  const got = farWait(box, (e) => e.event === 'SimDigitsReceived', 20000);
  const journey = await f.dial(phone, dialed);
  const digits = await got;
  assert.is(digits.number, expect, `the exchange got ${String(digits.number)}`);
  const line = digits.chan as number;
  await box.far.sim('answer', line);
  await box.far.sim('talk', line, { freq: 1330 });
  assert.ok(await f.hears(phone, 1330), 'the phone hears the far party');
  const done = journalWait(box, ended(journey));
  await f.hangUp(phone);
  await done;
  return { journey, line };
}

test('802 (cos local) dialing 9 + an international number is refused with congestion; no line is seized', async () => {
  let journey = '';
  const seized = await seizures(async () => {
    const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'congestion', 20000);
    journey = await f.dial(6, '90012125550100');
    const r = await f.on(journey, 'OutboundRefused');
    assert.is(r.data.reason, 'forbidden');
    assert.match(String(r.data.message), /international/);
    await tone;
    const done = journalWait(box, ended(journey));
    await f.hangUp(6);
    await done;
  });
  assert.equal(seized, []);
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'failed');
  assert.is(cdr.direction, 'outbound');
  await f.settled();
});

test('805 (cos international) dials the same number: it goes out without the 9', async () => {
  const { journey } = await goesOut(9, '90012125550100', '0012125550100');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.route, 'city');
  assert.is(cdr.callee, '0012125550100');
  assert.is(cdr.extension, '805');
  await f.settled();
});

test('807 (cos internal) dials 9 110: the emergency call goes out', async () => {
  const { journey } = await goesOut(11, '9110', '110');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.callee, '110');
  assert.not.ok(f.events(journey).includes('OutboundRefused'));
  await f.settled();
});

test('807 (cos internal) dials 110 without the access code: it still goes out, unchanged', async () => {
  const { journey } = await goesOut(11, '110', '110');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.callee, '110');
  await f.settled();
});

test('trunk failover: line 1 gives no dial tone, the call goes out on line 2 and TrunkFailed is journaled', async () => {
  // The exchange's dial tone on line 1 arrives 40 dB down: no dial tone to detect.
  await box.far.sim('impair', 1, { levelDb: -40 });
  try {
    const got = farWait(box, (e) => e.event === 'SimDigitsReceived', 20000);
    const journey = await f.dial(5, '983215566');
    const failed = await f.on(journey, 'TrunkFailed');
    assert.equal(failed.data, { trunk: 'pstn', chan: 1, reason: 'no-dialtone' });
    const digits = await got;
    assert.is(digits.chan, 2);
    assert.is(digits.number, '83215566');
    await box.far.sim('answer', 2);
    await box.far.sim('talk', 2, { freq: 1210 });
    assert.ok(await f.hears(5, 1210), '801 talks over line 2');
    const done = journalWait(box, ended(journey));
    await f.hangUp(5);
    await done;
    const cdr = f.cdr(journey);
    assert.is(cdr.port, 2);
    assert.is(cdr.trunk, 'pstn');
    assert.is(cdr.disposition, 'answered');
    const seized = f.entries(journey, 'TrunkSeized').map((e) => e.data.chan);
    assert.equal(seized, [1, 2]);
  } finally {
    await box.far.sim('impair', 1, {});
  }
  await sleep(100);
  await f.settled();
});

test.run();
