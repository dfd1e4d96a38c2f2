// Phone features on real calls: do-not-disturb sends an internal call to the
// phone's voicemail, directed pickup (**803#) takes a call ringing elsewhere,
// a hook flash holds the other party on music and a second flash resumes, and
// park announces its slot, uses the next slot for the next call and refuses
// cleanly when the lot (two slots here) is full.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, demoConfig, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  const config = demoConfig();
  config.settings!.main = { ...(config.settings!.main as object), park: { first: 71, count: 2, timeoutSec: 900 } };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

// The loudest of a few short listens on a channel, in dBm0 (whatever is heard,
// music included; a silent line measures far below -60).
async function level(chan: number): Promise<number> {
  let best = -200;
  for (let i = 0; i < 3; i++) {
    const w = farWait(box, (e) => e.event === 'SimAudioMeasured' && e.chan === chan);
    await box.far.sim('listen', chan, { freq: 440, ms: 400 });
    best = Math.max(best, (await w).totalDbm0 as number);
  }
  return best;
}

// `from` (on port fromChan) calls `to` (on toChan) and it answers.
async function internalCall(fromChan: number, to: string, toChan: number): Promise<string> {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === toChan);
  const journey = await f.dial(fromChan, to);
  await rang;
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', toChan);
  await up;
  return journey;
}

// Every phone of a call put down, the call ended.
async function hangUpAll(journey: string, chans: number[]): Promise<void> {
  const done = f.on(journey, 'CallEnded');
  for (const c of chans) await f.hangUp(c);
  await done;
}

test('DND on 806 (*78): 801\'s call to it never rings the phone and goes to 806\'s voicemail; *79 lets calls ring again', async () => {
  await f.lift(10);
  const on = journalWait(box, (e) => e.event === 'FeatureUsed' && e.data.ext === '806');
  await box.far.sim('dial', 10, { digits: '*78' });
  assert.is((await on).data.dnd, true);
  await f.hangUp(10);

  const rings: number[] = [];
  const watch = (e: { event: string; chan?: number }) => { if (e.event === 'SimPhoneRang' && e.chan === 10) rings.push(1); };
  box.far.on('event', watch);
  let journey: string;
  try {
    const rec = journalWait(box, (e) => e.event === 'VoicemailRecording', 30000);
    journey = await f.dial(5, '806');
    assert.is((await rec).data.box, '806');
    assert.is((await rec).journey, journey);
    await box.far.sim('talk', 5, { freq: 500 });
    await sleep(120);
    const left = f.on(journey, 'VoicemailLeft');
    const done = f.on(journey, 'CallEnded');
    await box.far.sim('dial', 5, { digits: '#' });
    await left;
    await done;
  } finally {
    box.far.off('event', watch);
  }
  assert.equal(rings, [], 'the DND phone never rang');
  assert.not.ok(f.events(journey).includes('ExtensionRinging'));
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'voicemail');
  assert.is(cdr.extension, '806');
  const msgs = box.sup.store.voicemail.list('806');
  assert.is(msgs.length, 1);
  assert.is(msgs[0]!.caller, '801');
  await f.hangUp(5);

  // 806 has a new message now: its phone gives stutter dial tone.
  const stutter = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 10 && e.tone === 'stutter');
  await box.far.sim('offhook', 10);
  await stutter;
  const off = journalWait(box, (e) => e.event === 'FeatureUsed' && e.data.ext === '806');
  await box.far.sim('dial', 10, { digits: '*79' });
  assert.is((await off).data.dnd, false);
  await f.hangUp(10);
  const j2 = await internalCall(5, '806', 10);
  await hangUpAll(j2, [5, 10]);
  await f.settled();
});

test('directed pickup: 805 (not in 803\'s pickup group) dials **803# and takes the call ringing at 803', async () => {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7);
  const journey = await f.dial(5, '803');
  await rang;
  await f.lift(9);
  const picked = f.on(journey, 'CallPickedUpBy');
  const bridged = f.on(journey, 'PartiesBridged');
  const used = journalWait(box, (e) => e.event === 'CallPickup');
  await box.far.sim('dial', 9, { digits: '**803#' });
  assert.equal((await picked).data, { ext: '803', chan: 9 });
  assert.equal((await used).data, { ext: '805', feature: 'directedPickup', ringing: '803', how: 'directedPickup' });
  await bridged;
  assert.not.ok(box.sup.ctx.ringing.has(7), '803 no longer rings');
  await box.far.sim('talk', 9, { freq: 1100 });
  assert.ok(await f.hears(5, 1100), '801 talks to 805');
  await hangUpAll(journey, [5, 9]);
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.direction, 'internal');
  await f.settled();
});

test('a directed pickup of a phone that is not ringing is refused; the caller keeps ringing 803', async () => {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7);
  const journey = await f.dial(5, '803');
  await rang;
  await f.lift(9);
  const before = box.sup.store.journal.query({ event: 'CallPickup' }).length;
  await box.far.sim('dial', 9, { digits: '**804#' });
  await sleep(200);
  assert.is(box.sup.store.journal.query({ event: 'CallPickup' }).length, before, 'no pickup for a phone that does not ring');
  assert.ok(box.sup.ctx.ringing.has(7), '803 still rings');
  await f.hangUp(9);
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 7);
  await up;
  await hangUpAll(journey, [5, 7]);
  await f.settled();
});

test('hold: a flash puts the other party on music, a second flash brings it back', async () => {
  const journey = await internalCall(5, '803', 7);
  assert.ok(await level(7) < -55, 'silence on the line before the hold');
  const held = f.on(journey, 'CallHeld');
  // The holder gets dial tone (the engine's event: its phone may still be
  // hearing the dial tone it had before the call, so nothing new is "heard").
  // Left alone, the hold ends after 10 s of engine time: the checks below take less.
  const dial = farWait(box, (e) => e.event === 'ToneStarted' && e.chan === 5 && e.tone === 'dial');
  await box.far.sim('flash', 5);
  assert.equal((await held).data, { chan: 7 });
  await dial;
  await sleep(60);                                    // past the music's fade-in
  const music = await level(7);
  assert.ok(music > -45, `803 hears music on hold (${music.toFixed(1)} dBm0)`);
  // The holder does not hear 803 meanwhile.
  await box.far.sim('talk', 7, { freq: 1300 });
  assert.not.ok(await f.hears(5, 1300), '801 does not hear the held party');
  await box.far.sim('talk', 7, { freq: 0 });
  const resumed = f.on(journey, 'CallResumed');
  await box.far.sim('flash', 5);
  assert.equal((await resumed).data, { chan: 7 });
  await sleep(40);
  const after = await level(7);
  assert.ok(after < -55, `the music stops on resume (${after.toFixed(1)} dBm0)`);
  await box.far.sim('talk', 5, { freq: 700 });
  assert.ok(await f.hears(7, 700), '803 talks to 801 again');
  await box.far.sim('talk', 5, { freq: 0 });
  await hangUpAll(journey, [5, 7]);
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'answered');
  assert.is(cdr.hangupSide, 'caller');
  await f.settled();
});

test('park: the slot is announced to the parker; the next call parks on the next slot; a full lot is refused with congestion and the call goes on', async () => {
  // Which files the box plays on each channel (the announcement must say the slot).
  const played: { chan: number; files: string[] }[] = [];
  const engine = box.sup.ctx.engine;
  const play = engine.play.bind(engine);
  engine.play = (chan, files, opts) => { played.push({ chan, files }); return play(chan, files, opts); };
  try {
    const slots: number[] = [];
    // 801 calls 804, 804 parks 801; then 802 calls 805, 805 parks 802.
    for (const [from, fromChan, to, toChan] of [['801', 5, '804', 8], ['802', 6, '805', 9]] as const) {
      const journey = await internalCall(fromChan, to, toChan);
      const dial = farWait(box, (e) => e.event === 'ToneStarted' && e.chan === toChan && e.tone === 'dial');
      await box.far.sim('flash', toChan);
      await dial;
      const parked = f.on(journey, 'CallParked');
      const announced = farWait(box, (e) => e.event === 'PlaybackStarted' && e.chan === toChan);
      const over = farWait(box, (e) => e.event === 'PlaybackFinished' && e.chan === toChan, 20000);
      await box.far.sim('dial', toChan, { digits: '70' });
      const p = await parked;
      assert.is(p.data.by, to);
      slots.push(p.data.slot as number);
      await announced;
      assert.ok(await level(toChan) > -45, `${to} hears the announcement`);
      await over;
      const files = played.filter((x) => x.chan === toChan).at(-1)!.files.map((x) => x.split('/').slice(-1)[0]);
      const digits = String(p.data.slot).split('').map((d) => `digit_${d}.wav`);
      assert.equal(files, ['parked_at.wav', ...digits], `the announcement names slot ${p.data.slot}`);
      await f.hangUp(toChan);
      assert.ok(await level(fromChan) > -45, `${from} waits on music in the slot`);
    }
    assert.equal(slots, [71, 72]);
    assert.equal(box.sup.ctx.parking.list().map((x) => x.slot), [71, 72]);

    // The lot is full: 806 tries to park 803 and hears congestion; a flash brings 803 back.
    const j3 = await internalCall(7, '806', 10);
    const dial = farWait(box, (e) => e.event === 'ToneStarted' && e.chan === 10 && e.tone === 'dial');
    await box.far.sim('flash', 10);
    await dial;
    const congestion = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 10 && e.tone === 'congestion');
    const refused = f.on(j3, 'ParkRefused');
    await box.far.sim('dial', 10, { digits: '70' });
    await congestion;
    assert.equal((await refused).data, { why: 'park lot full', first: 71, count: 2 });
    assert.not.ok(f.events(j3).includes('CallParked'));
    const resumed = f.on(j3, 'CallResumed');
    await box.far.sim('flash', 10);
    await resumed;
    await box.far.sim('talk', 10, { freq: 1200 });
    assert.ok(await f.hears(7, 1200), '803 is back with 806');
    await box.far.sim('talk', 10, { freq: 0 });
    await hangUpAll(j3, [7, 10]);

    // Both parked calls are still there: 807 takes 71 and 808 takes 72.
    for (const [slot, chan, parkedChan] of [[71, 11, 5], [72, 12, 6]] as const) {
      const journey = box.sup.ctx.parking.list().find((x) => x.slot === slot)!.journey;
      await f.lift(chan);
      const picked = f.on(journey, 'ParkedCallPickedUp');
      await box.far.sim('dial', chan, { digits: String(slot) });
      assert.is((await picked).data.slot, slot);
      await box.far.sim('talk', parkedChan, { freq: 800 });
      assert.ok(await f.hears(chan, 800), `the phone that dialed ${slot} talks to the parked party`);
      await box.far.sim('talk', parkedChan, { freq: 0 });
      await hangUpAll(journey, [chan, parkedChan]);
      const cdr = f.cdr(journey);
      assert.ok(cdr.tags.includes('parked'));
      assert.is(cdr.disposition, 'answered');
    }
    assert.equal(box.sup.ctx.parking.list(), []);
  } finally {
    delete (engine as { play?: unknown }).play;     // back to the class's method
  }
  await f.settled();
});

test.run();
