// Call forwarding: unconditional to another extension and to an outside
// number through the trunk (with the route's strip and prepend), on busy, on
// no answer, follow-me to mobiles, and forwarding set and cleared from the
// phone with *72 number # and *73 within the phone's class of service.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import type { Extension } from '../../src/config/schemas.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  const config = demoConfig();
  config.inboundRoute!.main = { id: 'main', name: 'Main number', destination: { type: 'extension', ext: '802' } };
  // 6 + number: out through a carrier prefix (the access code stripped, 17909 put in front).
  config.outboundRoute!.carrier = { id: 'carrier', name: 'IP carrier', patterns: ['_6.'], stripDigits: 1, prepend: '17909', trunks: ['pstn'] };
  // The exchange reverses polarity when the far party answers, so an unanswered mobile is seen as such.
  config.trunk!.pstn = { ...(config.trunk!.pstn as object), answerSupervision: 'polarity' };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

function setExt(ext: string, patch: Partial<Extension>): void {
  const cur = box.sup.config.extension(ext)!;
  box.sup.config.put('extension', ext, { ...cur, ...patch });
}
const reset802 = () => setExt('802', { forward: {}, followMe: { enabled: false, numbers: [], ringSec: 20 }, ringSec: 25 });

async function endCall(journey: string, line: number): Promise<void> {
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', line);
  await done;
}

test('forward unconditional to 804: 802 never rings, 804 does and takes the call', async () => {
  setExt('802', { forward: { always: '804' } });
  let rang802 = false;
  const watch = (e: { event: string; chan?: number }) => { if (e.event === 'SimPhoneRang' && e.chan === 6) rang802 = true; };
  box.far.on('event', watch);
  try {
    const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
    const journey = await f.callIn(1, '13955550001');
    await rang;
    const fwd = f.entries(journey, 'CallForwarded')[0]!;
    assert.equal(fwd.data, { from: '802', to: '804', why: 'always' });
    const up = f.on(journey, 'CallAnswered');
    await box.far.sim('answer', 8);
    await up;
    await box.far.sim('talk', 1, { freq: 700 });
    assert.ok(await f.hears(8, 700), '804 hears the caller');
    await endCall(journey, 1);
    assert.not.ok(rang802, '802 did not ring');
    const cdr = f.cdr(journey);
    assert.is(cdr.extension, '804');
    assert.is(cdr.disposition, 'answered');
    await f.hangUp(8);
  } finally {
    box.far.off('event', watch);
    reset802();
  }
  await f.settled();
});

test('forward unconditional to an outside number: the exchange gets it with the access code stripped and the carrier prefix added', async () => {
  setExt('802', { forward: { always: '613800138000' } });
  try {
    const got = farWait(box, (e) => e.event === 'SimDigitsReceived');
    const journey = await f.callIn(1, '13955550002');
    const digits = await got;
    assert.is(digits.number, '1790913800138000');
    const line = digits.chan as number;
    assert.is.not(line, 1);
    const up = f.on(journey, 'CallAnswered');
    await box.far.sim('answer', line, { polarity: true });
    await up;
    await box.far.sim('talk', 1, { freq: 650 });
    await box.far.sim('talk', line, { freq: 1250 });
    assert.ok(await f.hears(line, 650), 'the mobile hears the caller');
    assert.ok(await f.hears(1, 1250), 'the caller hears the mobile');
    const released = farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === 1);
    await endCall(journey, line);
    await released;
    const cdr = f.cdr(journey);
    assert.is(cdr.disposition, 'answered');
    assert.is(cdr.extension, '802', 'the CDR names the extension the call was for');
    assert.is(cdr.callee, '613800138000');
    assert.is(cdr.trunk, 'pstn');
    assert.ok(f.events(journey).includes('TrunkSeized'));
    assert.equal(f.entries(journey, 'CallForwarded')[0]!.data, { from: '802', to: '613800138000', why: 'always' });
  } finally {
    reset802();
  }
  await f.settled();
});

test('forward on busy: 802 off-hook, the caller rings 804', async () => {
  setExt('802', { forward: { busy: '804' } });
  try {
    await f.lift(6);
    const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
    const journey = await f.callIn(1, '13955550003');
    await rang;
    assert.equal(f.entries(journey, 'CallForwarded')[0]!.data, { from: '802', to: '804', why: 'busy' });
    await box.far.sim('answer', 8);
    await f.on(journey, 'CallAnswered');
    await endCall(journey, 1);
    assert.is(f.cdr(journey).extension, '804');
    await f.hangUp(8);
    await f.hangUp(6);
  } finally {
    reset802();
  }
  await f.settled();
});

test('forward on no answer: 802 rings 5 s, stops, and 805 rings', async () => {
  setExt('802', { ringSec: 5, forward: { noAnswer: '805' } });
  try {
    const rang802 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
    const rang805 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 9, 20000);
    const journey = await f.callIn(1, '13955550004');
    await rang802;
    await rang805;
    const evs = f.events(journey);
    assert.ok(evs.indexOf('ExtensionNoAnswer') < evs.indexOf('CallForwarded'), evs.join(', '));
    assert.equal(f.entries(journey, 'CallForwarded')[0]!.data, { from: '802', to: '805', why: 'noAnswer' });
    assert.is(box.sup.engine.states.get(6)?.state, 'idle', '802 stopped ringing');
    await box.far.sim('answer', 9);
    await f.on(journey, 'CallAnswered');
    await endCall(journey, 1);
    const cdr = f.cdr(journey);
    assert.is(cdr.extension, '805');
    assert.is(cdr.disposition, 'answered');
    await f.hangUp(9);
  } finally {
    reset802();
  }
  await f.settled();
});

test('follow-me: 802 unanswered, the first mobile unanswered, the second mobile answers', async () => {
  setExt('802', { ringSec: 5, followMe: { enabled: true, numbers: ['613900001111', '613900002222'], ringSec: 5 } });
  try {
    const first = farWait(box, (e) => e.event === 'SimDigitsReceived' && e.number === '1790913900001111', 20000);
    const second = farWait(box, (e) => e.event === 'SimDigitsReceived' && e.number === '1790913900002222', 30000);
    const journey = await f.callIn(1, '13955550005');
    const d1 = await first;
    // Nobody answers the first mobile: after its 5 s the line is let go.
    await farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === d1.chan, 20000);
    const d2 = await second;
    const up = f.on(journey, 'CallAnswered');
    await box.far.sim('answer', d2.chan as number, { polarity: true });
    await up;
    await box.far.sim('talk', d2.chan as number, { freq: 1150 });
    assert.ok(await f.hears(1, 1150), 'the caller talks to the second mobile');
    const tried = f.entries(journey, 'FollowMeTrying').map((e) => e.data.number);
    assert.equal(tried, ['613900001111', '613900002222']);
    assert.is(f.entries(journey, 'OutboundFailed')[0]?.data.outcome, 'no-answer');
    await endCall(journey, 1);
    const cdr = f.cdr(journey);
    assert.is(cdr.disposition, 'answered');
    assert.is(cdr.callee, '613900002222');
  } finally {
    reset802();
  }
  await f.settled();
});

test('*72 804 # forwards 803 from its own phone, *73 clears it', async () => {
  await f.lift(7);
  const set = journalWait(box, (e) => e.event === 'FeatureUsed' && e.data.ext === '803');
  await box.far.sim('dial', 7, { digits: '*72804#' });
  assert.equal((await set).data, { ext: '803', feature: 'forwardOn', forward: 'always', to: '804' });
  await f.hangUp(7);
  assert.is(box.sup.config.extension('803')!.forward.always, '804');

  // 801 calls 803: 804 rings.
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  const j1 = await f.dial(5, '803');
  await rang;
  assert.ok(f.events(j1).includes('CallForwarded'));
  const e1 = journalWait(box, ended(j1));
  await f.hangUp(5);
  await e1;

  await f.lift(7);
  const cleared = journalWait(box, (e) => e.event === 'FeatureUsed' && e.data.ext === '803');
  await box.far.sim('dial', 7, { digits: '*73' });
  assert.equal((await cleared).data, { ext: '803', feature: 'forwardOff', forward: 'always', to: null });
  await f.hangUp(7);
  assert.is(box.sup.config.extension('803')!.forward.always, undefined);

  const rang803 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7);
  const j2 = await f.dial(5, '803');
  await rang803;
  assert.not.ok(f.events(j2).includes('CallForwarded'));
  const e2 = journalWait(box, ended(j2));
  await f.hangUp(5);
  await e2;
  await f.settled();
});

test('*72 to an outside number goes through the route; a phone cannot forward where it may not dial', async () => {
  // 803 (local) forwards to a mobile: allowed.
  await f.lift(7);
  const set = journalWait(box, (e) => (e.event === 'FeatureUsed' || e.event === 'FeatureRefused') && e.data.ext === '803');
  await box.far.sim('dial', 7, { digits: '*72613911112222#' });
  assert.is((await set).event, 'FeatureUsed');
  await f.hangUp(7);
  assert.is(box.sup.config.extension('803')!.forward.always, '613911112222');
  setExt('803', { forward: {} });

  // 807 (internal only) tries to forward itself abroad: refused, nothing saved.
  await f.lift(11);
  const refused = journalWait(box, (e) => (e.event === 'FeatureUsed' || e.event === 'FeatureRefused') && e.data.ext === '807');
  await box.far.sim('dial', 11, { digits: '*7260012125550100#' });
  const r = await refused;
  assert.is(r.event, 'FeatureRefused');
  assert.is(r.data.reason, 'forbidden');
  await f.hangUp(11);
  assert.is(box.sup.config.extension('807')!.forward.always, undefined);

  // Even when such a forward is in the configuration, calling 807 does not dial abroad.
  setExt('807', { forward: { always: '60012125550100' } });
  let dialedOut = false;
  const watch = (e: { event: string }) => { if (e.event === 'SimDigitsReceived' || e.event === 'SimLineSeized') dialedOut = true; };
  box.far.on('event', watch);
  try {
    const j = await f.dial(5, '807');
    const no = await f.on(j, 'OutboundRefused');
    assert.is(no.data.reason, 'forbidden');
    await sleep(200);
    assert.not.ok(dialedOut, 'no trunk line was seized');
    const e = journalWait(box, ended(j));
    await f.hangUp(5);
    await e;
  } finally {
    box.far.off('event', watch);
    setExt('807', { forward: {} });
  }
  await f.settled();
});

test('with answer supervision, an outside number that never answers is a no_answer in the CDR, not a failure', async () => {
  const got = farWait(box, (e) => e.event === 'SimDigitsReceived');
  const journey = await f.dial(6, '983215566');
  await got;
  // Nobody answers for the 60 s the box waits; the phone then hears congestion.
  const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'congestion', 20000);
  const end = await f.on(journey, 'CallEnded', () => true, 20000);
  await tone;
  assert.is(end.data.disposition, 'no_answer');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'no_answer');
  assert.is(cdr.answeredAt, null);
  await f.hangUp(6);
  await f.settled();
});

test.run();
