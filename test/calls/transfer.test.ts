// Hook-flash transfers from an analog phone: a blind transfer (flash, dial,
// hang up while the target rings) and a three-way call (flash, dial, the
// target answers, flash again), checked by what each far end hears, the
// journal and the CDR.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  const config = demoConfig();
  // Outside calls ring 802 straight away: the IVR is tested elsewhere.
  config.inboundRoute!.main = { id: 'main', name: 'Main number', destination: { type: 'extension', ext: '802' } };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

// An outside caller on line 1 talking to 802; resolves with the journey.
async function callerTalkingTo802(from: string): Promise<string> {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  const journey = await f.callIn(1, from);
  await rang;
  // Flash once they are bridged: a flash before that is not listened for.
  const bridged = f.on(journey, 'PartiesBridged');
  await box.far.sim('answer', 6);
  await bridged;
  return journey;
}

test('blind transfer: 802 flashes, dials 804 and hangs up while it rings; the caller talks to 804', async () => {
  const journey = await callerTalkingTo802('13911110001');
  const dial = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  const held = f.on(journey, 'CallHeld');
  await box.far.sim('flash', 6);
  await dial;
  assert.is((await held).data.chan, 1, 'the caller is put on hold');
  const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await box.far.sim('dial', 6, { digits: '804' });
  await rang804;
  // 804 shows who transferred while 802 is still on the line.
  await f.hangUp(6);
  // 804 rings on for the caller, now showing the caller's number.
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 8 && e.number === '13911110001');
  await cid;
  const moved = f.on(journey, 'CallTransferred');
  await box.far.sim('answer', 8);
  const t = await moved;
  assert.is(t.data.kind, 'blind');
  assert.is(t.data.to, '804');
  assert.is(t.data.chan, 8);
  await box.far.sim('talk', 1, { freq: 600 });
  await box.far.sim('talk', 8, { freq: 1400 });
  assert.ok(await f.hears(8, 600), '804 hears the caller');
  assert.ok(await f.hears(1, 1400), 'the caller hears 804');
  assert.not.ok(await f.hears(1, 2000), 'nothing else on the line');

  // 802 is free again: it can make a call of its own while the caller talks to 804.
  const own = await f.dial(6, '801');
  assert.is.not(own, journey);
  await farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 5);
  const ownEnd = journalWait(box, ended(own));
  await f.hangUp(6);
  await ownEnd;

  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = f.cdr(journey);
  assert.is(cdr.extension, '804');
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'caller');
  assert.equal(cdr.legs, []);
  assert.ok(f.events(journey).includes('TransferStarted'));
  assert.not.ok(f.events(journey).includes('CallFailed'));
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 8 && e.tone === 'busy');
  await f.hangUp(8);
  await f.settled();
});

test('attended transfer: once 802 hangs up after consulting 804, its phone is free for a new call', async () => {
  const journey = await callerTalkingTo802('13911110005');
  await box.far.sim('flash', 6);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await box.far.sim('dial', 6, { digits: '804' });
  await rang804;
  await box.far.sim('answer', 8);
  await f.on(journey, 'ConsultationStarted');
  const moved = f.on(journey, 'CallTransferred');
  await f.hangUp(6);
  assert.is((await moved).data.kind, 'attended');
  const own = await f.dial(6, '801');
  await farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 5);
  const ownEnd = journalWait(box, ended(own));
  await f.hangUp(6);
  await ownEnd;
  await box.far.sim('talk', 1, { freq: 620 });
  assert.ok(await f.hears(8, 620), 'the caller still talks to 804');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  assert.is(f.cdr(journey).extension, '804');
  await f.hangUp(8);
  await f.settled();
});

test('blind transfer to a phone that does not answer: the caller leaves 804 a voicemail instead of being cut off', async () => {
  box.sup.config.put('extension', '804', { ...box.sup.config.extension('804')!, ringSec: 5 });
  try {
    const journey = await callerTalkingTo802('13911110002');
    await box.far.sim('flash', 6);
    await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
    const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
    await box.far.sim('dial', 6, { digits: '804' });
    await rang804;
    const recording = f.on(journey, 'VoicemailRecording', () => true, 20000);
    await f.hangUp(6);
    assert.is((await recording).data.box, '804');
    const failed = f.entries(journey, 'TransferFailed')[0]!;
    assert.is(failed.data.outcome, 'no-answer');
    await box.far.sim('talk', 1, { freq: 450 });
    await sleep(150);
    const done = journalWait(box, ended(journey));
    await box.far.sim('hangup', 1);
    await done;
    const cdr = f.cdr(journey);
    assert.is(cdr.disposition, 'voicemail');
    assert.is(cdr.extension, '802', 'the extension that took the call');
    assert.ok(cdr.tags.includes('voicemail'));
    const msgs = box.sup.store.voicemail.list('804');
    assert.is(msgs.length, 1);
    assert.is(msgs[0]!.caller, '13911110002');
  } finally {
    box.sup.config.put('extension', '804', { ...box.sup.config.extension('804')!, ringSec: 25 });
  }
  await f.settled();
});

test('three-way call: 802 flashes, dials 804, 804 answers, 802 flashes again; all three hear each other', async () => {
  const journey = await callerTalkingTo802('13911110003');
  await box.far.sim('flash', 6);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await box.far.sim('dial', 6, { digits: '804' });
  await rang804;
  const consult = f.on(journey, 'ConsultationStarted');
  await box.far.sim('answer', 8);
  await consult;
  // Consulting: 802 and 804 hear each other, the held caller hears neither.
  await box.far.sim('talk', 1, { freq: 500 });
  await box.far.sim('talk', 6, { freq: 900 });
  await box.far.sim('talk', 8, { freq: 1300 });
  assert.ok(await f.hears(8, 900), '804 hears 802 while consulting');
  assert.not.ok(await f.hears(8, 500), 'the held caller is not heard by 804');
  assert.not.ok(await f.hears(1, 900), 'the held caller does not hear the consultation');

  const conf = f.on(journey, 'ConferenceStarted');
  await box.far.sim('flash', 6);
  const c = await conf;
  assert.equal([...(c.data.chans as number[])].sort(), [1, 6, 8]);
  for (const [who, freq, what] of [[1, 900, 'the caller hears 802'], [1, 1300, 'the caller hears 804'], [6, 500, '802 hears the caller'],
    [6, 1300, '802 hears 804'], [8, 500, '804 hears the caller'], [8, 900, '804 hears 802']] as const) {
    assert.ok(await f.hears(who, freq), what);
  }

  // 802 leaves: the caller and 804 go on talking.
  await f.hangUp(6);
  await sleep(100);
  assert.ok(await f.hears(8, 500), '804 still hears the caller after 802 left');
  assert.ok(await f.hears(1, 1300), 'the caller still hears 804 after 802 left');
  assert.not.ok(f.events(journey).includes('CallEnded'), 'the call goes on with two parties');

  // 804 leaves: the conference is over and the caller is released.
  const done = journalWait(box, ended(journey));
  const released = farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === 1);
  await f.hangUp(8);
  const end = await done;
  await released;
  assert.is(end.data.disposition, 'answered');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'callee', '804 ended the call by leaving last but one');
  assert.is(cdr.hangupCause, 'onhook');
  assert.equal(cdr.legs, []);
  assert.not.ok(f.events(journey).includes('CallFailed'), `journal: ${f.events(journey).join(', ')}`);
  const conferenceLeft = box.sup.engine.states;
  for (const chan of [1, 6, 8]) assert.is(conferenceLeft.get(chan)?.state, 'idle', `channel ${chan} is idle`);
  await f.settled();
});

test('three-way call: the outside caller leaves first, 802 and 804 go on talking; when 804 hangs up 802 hears busy tone', async () => {
  const journey = await callerTalkingTo802('13911110004');
  await box.far.sim('flash', 6);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  const rang804 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await box.far.sim('dial', 6, { digits: '804' });
  await rang804;
  await box.far.sim('answer', 8);
  await f.on(journey, 'ConsultationStarted');
  const conf = f.on(journey, 'ConferenceStarted');
  await box.far.sim('flash', 6);
  await conf;
  const gone = f.on(journey, 'LegHungUp', (e) => e.data.chan === 1);
  await box.far.sim('hangup', 1);
  await gone;
  await box.far.sim('talk', 6, { freq: 950 });
  await box.far.sim('talk', 8, { freq: 1450 });
  assert.ok(await f.hears(8, 950), '804 hears 802 after the caller left');
  assert.ok(await f.hears(6, 1450), '802 hears 804 after the caller left');
  assert.not.ok(f.events(journey).includes('CallEnded'));
  const done = journalWait(box, ended(journey));
  const busy = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'busy');
  await f.hangUp(8);
  await done;
  await busy;
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'callee');
  await f.hangUp(6);
  await f.settled();
});

test.run();
