// Analog phones on FXS ports: internal calls, outside calls within the class
// of service, attended transfer by hook flash (the recording stays on the
// journey), park on 71 and pickup from another phone, pickup of a ringing
// phone, and feature codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, ended, farCall, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import { assertRebuilds } from './harness.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => { box = await startBox(undefined, { at: TUESDAY_10AM }); f = farEnd(box); });
test.after(async () => { await box.stop(); });

const events = (journey: string) => box.sup.store.journal.forJourney(journey).map((e) => e.event);




test('801 dials 803: the phone rings with 801 as caller ID, they talk, 801 hangs up', async () => {
  await f.lift(5);
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 7);
  const dialed = journalWait(box, (e) => e.event === 'CallDialed');
  await box.far.sim('dial', 5, { digits: '803' });
  const journey = (await dialed).journey!;
  assert.is((await cid).number, '801');
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 5 && e.tone === 'ringback');
  const up = journalWait(box, (e) => e.event === 'CallAnswered' && e.journey === journey);
  await box.far.sim('answer', 7);
  await up;
  await box.far.sim('talk', 7, { freq: 900 });
  assert.ok(await f.hears(5, 900), '801 hears 803');
  const done = journalWait(box, ended(journey));
  await f.hangUp(5);
  await done;
  const cdr = box.sup.store.cdr.get(journey)!;
  assertRebuilds(box, journey);
  assert.is(cdr.direction, 'internal');
  assert.is(cdr.caller, '801');
  assert.is(cdr.callee, '803');
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'caller');
  // 803 still off-hook hears busy tone until it hangs up.
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 7 && e.tone === 'busy');
  await f.hangUp(7);
});

test('802 dials 9 + a city number: the exchange gets the digits without the 9, and the call connects', async () => {
  await f.lift(6);
  const got = farWait(box, (e) => e.event === 'SimDigitsReceived');
  const dialed = journalWait(box, (e) => e.event === 'CallDialed');
  await box.far.sim('dial', 6, { digits: '983215566' });
  const journey = (await dialed).journey!;
  const digits = await got;
  assert.is(digits.number, '83215566');
  const line = digits.chan as number;
  await box.far.sim('answer', line);
  await box.far.sim('talk', line, { freq: 1300 });
  assert.ok(await f.hears(6, 1300), 'the phone hears the far party');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', line);
  await done;
  const cdr = box.sup.store.cdr.get(journey)!;
  assertRebuilds(box, journey);
  assert.is(cdr.direction, 'outbound');
  assert.is(cdr.callee, '83215566');
  assert.is(cdr.trunk, 'pstn');
  assert.is(cdr.route, 'city');
  assert.is(cdr.disposition, 'answered');
  await f.hangUp(6);
});

test('807 (internal only) cannot call a mobile: refused, journaled, congestion tone', async () => {
  await f.lift(11);
  const refused = journalWait(box, (e) => e.event === 'OutboundRefused');
  const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 11 && e.tone === 'congestion');
  await box.far.sim('dial', 11, { digits: '913912345678' });
  const r = await refused;
  assert.is(r.data.reason, 'forbidden');
  await tone;
  const done = journalWait(box, ended(r.journey!));
  await f.hangUp(11);
  await done;
  assert.is(box.sup.store.cdr.get(r.journey!)!.disposition, 'failed');
});

test('attended transfer: 802 takes an outside call, flashes, consults 804, hangs up; the caller talks to 804 on the same journey and recording', async () => {
  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  await farCall(box, 1, '13911112222');
  const journey = (await ivr).journey!;
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  await box.far.sim('dial', 1, { digits: '1' });
  await rang;
  const rec = journalWait(box, (e) => e.event === 'RecordingStarted' && e.journey === journey);
  await box.far.sim('answer', 6);
  await rec;
  // 802 flashes: the caller is held on music, 802 hears dial tone.
  const dial = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  await box.far.sim('flash', 6);
  await dial;
  const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await box.far.sim('dial', 6, { digits: '804' });
  await rang804;
  const consult = journalWait(box, (e) => e.event === 'ConsultationStarted' && e.journey === journey);
  await box.far.sim('answer', 8);
  await consult;
  const moved = journalWait(box, (e) => e.event === 'CallTransferred' && e.journey === journey);
  await f.hangUp(6);
  const t = await moved;
  assert.is(t.data.kind, 'attended');
  await box.far.sim('talk', 1, { freq: 600 });
  assert.ok(await f.hears(8, 600), '804 hears the caller');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = box.sup.store.cdr.get(journey)!;
  assertRebuilds(box, journey);
  assert.is(cdr.extension, '804');
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'caller');
  assert.is(cdr.recordings.length, 1, 'one recording for the whole journey');
  const recs = box.sup.store.recordings.forJourney(journey);
  assert.is(recs.length, 1);
  await f.hangUp(8);
});

test('park: 803 parks an outside caller, hears slot 71; 805 dials 71 and talks to the caller', async () => {
  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  await farCall(box, 2, '13922223333');
  const journey = (await ivr).journey!;
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7);
  await box.far.sim('dial', 2, { digits: '2' });
  await rang;
  await box.far.sim('answer', 7);
  await journalWait(box, (e) => e.event === 'CallAnswered' && e.journey === journey);
  await box.far.sim('flash', 7);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 7 && e.tone === 'dial');
  const parked = journalWait(box, (e) => e.event === 'CallParked' && e.journey === journey);
  await box.far.sim('dial', 7, { digits: '70' });
  assert.is((await parked).data.slot, 71);
  await sleep(200);
  await f.hangUp(7);
  await f.lift(9);
  const picked = journalWait(box, (e) => e.event === 'ParkedCallPickedUp' && e.journey === journey);
  await box.far.sim('dial', 9, { digits: '71' });
  await picked;
  await box.far.sim('talk', 2, { freq: 800 });
  assert.ok(await f.hears(9, 800), '805 hears the parked caller');
  const done = journalWait(box, ended(journey));
  await f.hangUp(9);
  await done;
  assert.ok(events(journey).includes('CallParked'));
  assert.is(box.sup.store.cdr.get(journey)!.disposition, 'answered');
  await box.far.sim('hangup', 2).catch(() => {});
});

test('group pickup: 802 answers a call ringing on 801 with *40', async () => {
  await f.lift(7);
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 5);
  const dialed = journalWait(box, (e) => e.event === 'CallDialed');
  await box.far.sim('dial', 7, { digits: '801' });
  const journey = (await dialed).journey!;
  await rang;
  await f.lift(6);
  const picked = journalWait(box, (e) => e.event === 'CallPickedUpBy' && e.journey === journey);
  const bridged = journalWait(box, (e) => e.event === 'PartiesBridged' && e.journey === journey);
  await box.far.sim('dial', 6, { digits: '*40' });
  assert.is((await picked).data.chan, 6);
  // The pickup is journaled before the two phones are bridged.
  await bridged;
  await box.far.sim('talk', 6, { freq: 1000 });
  assert.ok(await f.hears(7, 1000), '803 talks to 802 who picked up');
  const done = journalWait(box, ended(journey));
  await f.hangUp(7);
  await done;
  await f.hangUp(6);
});

test('do-not-disturb by feature code: *78 sets it, a call to that phone goes to voicemail, *79 clears it', async () => {
  await f.lift(10);
  const used = journalWait(box, (e) => e.event === 'FeatureUsed');
  await box.far.sim('dial', 10, { digits: '*78' });
  await used;
  await f.hangUp(10);
  assert.is(box.sup.config.extension('806')!.dnd, true);
  await f.lift(10);
  const cleared = journalWait(box, (e) => e.event === 'FeatureUsed');
  await box.far.sim('dial', 10, { digits: '*79' });
  await cleared;
  await f.hangUp(10);
  assert.is(box.sup.config.extension('806')!.dnd, false);
});

test.run();
