// Feature codes dialed from analog phones, on real calls: *60 blocks the last
// outside caller, *50 forces day or night on the time conditions, *77 NN #
// records a custom prompt that an announcement can then play; and dialing an
// extension directly from the IVR's main menu.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import { promptExists } from '../../src/prompts/library.js';
import { projectRoot } from '../../src/native/addon.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  box = await startBox(undefined, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

// An outside caller reaches 802 through the IVR (key 1) and talks; then both hang up.
async function talkTo802(from: string, line = 1): Promise<string> {
  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  const journey = await f.callIn(line, from);
  await ivr;
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  await box.far.sim('dial', line, { digits: '1' });
  await rang;
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 6);
  await up;
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', line);
  await done;
  await f.hangUp(6);
  return journey;
}

test('*60 on 802 blocks the last outside caller it talked to: their next call is blocked, others still get in', async () => {
  await talkTo802('13966660001');
  await f.lift(6);
  const added = journalWait(box, (e) => e.event === 'CallerBlocked');
  await box.far.sim('dial', 6, { digits: '*60' });
  const a = await added;
  assert.is(a.data.number, '13966660001');
  assert.is(a.data.ext, '802');
  await f.hangUp(6);
  const entry = box.sup.config.screening().find((e) => e.match.value === '13966660001');
  assert.ok(entry, 'a block entry for that number');
  assert.is(entry!.list, 'block');
  assert.is(entry!.match.type, 'exact');

  const busy = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 2 && e.tone === 'busy', 20000);
  const journey = await f.callIn(2, '13966660001');
  const blocked = await f.on(journey, 'CallBlocked');
  assert.is(blocked.data.entry, entry!.id);
  await busy;
  await f.on(journey, 'CallEnded', () => true, 20000);
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'blocked');
  assert.not.ok(f.events(journey).includes('IvrStarted'));

  const other = await f.callIn(3, '13966660009');
  await f.on(other, 'IvrStarted');
  const done = journalWait(box, ended(other));
  await box.far.sim('hangup', 3);
  await done;
  await f.settled();
});

test('*60 after a caller whose number has a + (caller ID keeps + * #) blocks that number too', async () => {
  // The sim exchange sends digits only; a real line may carry a +.
  box.sup.ctx.lastCaller.set('802', '+85291234567');
  await f.lift(6);
  const added = journalWait(box, (e) => e.event === 'CallerBlocked', 5000);
  await box.far.sim('dial', 6, { digits: '*60' });
  const a = await added;
  assert.is(a.data.number, '+85291234567');
  await f.hangUp(6);
  const entry = box.sup.config.screening().find((e) => e.id === a.data.entry);
  assert.ok(entry, 'the entry is saved');
  assert.equal(entry!.match, { type: 'exact', value: '+85291234567' });
  await f.settled();
});

test('*50 forces night in working hours (the next call gets the closed message, not the IVR); *50 again returns to the schedule', async () => {
  await f.lift(5);
  const toggled = journalWait(box, (e) => e.event === 'DayNightToggled');
  await box.far.sim('dial', 5, { digits: '*50' });
  const t = await toggled;
  assert.is(t.data.override, true);
  assert.equal(t.data.states, ['office:night']);
  await f.hangUp(5);
  assert.is(box.sup.config.doc('timeCondition', 'office')!.override.mode, 'night');

  const j1 = await f.callIn(1, '13977770001');
  const chosen = await f.on(j1, 'RouteChosen');
  assert.equal(chosen.data.destination, { type: 'announcement', prompt: 'builtin:closed', then: { type: 'voicemail', box: '8000' } });
  // Hang up once the box has answered: a caller leaving in that instant gets
  // the exchange's dial tone on the line, which nothing takes for a hang-up.
  await f.on(j1, 'CallPickedUp');
  const d1 = journalWait(box, ended(j1));
  await box.far.sim('hangup', 1);
  await d1;
  assert.not.ok(f.events(j1).includes('IvrStarted'));

  await f.lift(5);
  const back = journalWait(box, (e) => e.event === 'DayNightToggled');
  await box.far.sim('dial', 5, { digits: '*50' });
  const b = await back;
  assert.is(b.data.override, false);
  assert.equal(b.data.states, ['office:work']);
  await f.hangUp(5);
  assert.is(box.sup.config.doc('timeCondition', 'office')!.override.mode, 'auto');

  const j2 = await f.callIn(1, '13977770002');
  await f.on(j2, 'IvrStarted');
  const d2 = journalWait(box, ended(j2));
  await box.far.sim('hangup', 1);
  await d2;
  await f.settled();
});

test('*50 at night forces day: the next call gets the IVR', async () => {
  box.sup.setClock(new Date('2026-11-24T22:00:00+08:00'));
  try {
    await f.lift(5);
    const toggled = journalWait(box, (e) => e.event === 'DayNightToggled');
    await box.far.sim('dial', 5, { digits: '*50' });
    assert.equal((await toggled).data.states, ['office:work']);
    await f.hangUp(5);
    const j = await f.callIn(1, '13977770003');
    await f.on(j, 'IvrStarted');
    const d = journalWait(box, ended(j));
    await box.far.sim('hangup', 1);
    await d;
    await f.lift(5);
    const back = journalWait(box, (e) => e.event === 'DayNightToggled');
    await box.far.sim('dial', 5, { digits: '*50' });
    assert.equal((await back).data.states, ['office:night']);
    await f.hangUp(5);
  } finally {
    box.sup.setClock(new Date(TUESDAY_10AM));
  }
  await f.settled();
});

test('*77 42 # records custom:phone-42 from 803; it is in the prompt library and an announcement plays it to a caller', async () => {
  await f.lift(7);
  const recording = farWait(box, (e) => e.event === 'RecordingStarted' && e.chan === 7);
  await box.far.sim('dial', 7, { digits: '*7742#' });
  await recording;
  await box.far.sim('talk', 7, { freq: 1020 });
  await sleep(250);                 // ~5 s of engine time
  await box.far.sim('talk', 7, { freq: 0 });
  const recorded = journalWait(box, (e) => e.event === 'PromptRecorded' || e.event === 'PromptRecordFailed', 20000);
  await box.far.sim('dial', 7, { digits: '#' });
  const r = await recorded;
  assert.is(r.event, 'PromptRecorded', JSON.stringify(r.data));
  assert.is(r.data.prompt, 'custom:phone-42');
  assert.is(r.data.ext, '803');
  assert.ok((r.data.durationMs as number) >= 3000, `prompt of ${r.data.durationMs} ms`);
  // 803 hears its recording played back.
  await farWait(box, (e) => e.event === 'PlaybackStarted' && e.chan === 7);
  await sleep(40);
  assert.ok(await f.hears(7, 1020), 'the phone hears its recording');
  // Hanging up during the playback leaves the prompt saved.
  await f.hangUp(7);
  await sleep(100);
  assert.equal(box.sup.store.journal.query({ event: 'PromptRecordFailed' }).map((e) => e.data), [], 'no failure journaled');
  assert.ok(promptExists('custom:phone-42', 'zh', { projectRoot: projectRoot(), dataDir: box.dataDir }), 'the prompt is in the library');

  // The prompt can be used: an announcement on the main number plays it.
  const route = box.sup.config.doc('inboundRoute', 'main')!;
  box.sup.config.put('inboundRoute', 'main', { id: 'main', name: 'Main number', destination: { type: 'announcement', prompt: 'custom:phone-42', then: { type: 'hangup' } } });
  try {
    const playing = farWait(box, (e) => e.event === 'PlaybackStarted' && e.chan === 1);
    const j = await f.callIn(1, '13988880001');
    await playing;
    await sleep(40);
    assert.ok(await f.hears(1, 1020), 'the caller hears the recorded prompt');
    await f.on(j, 'CallEnded', () => true, 20000);
    assert.equal(f.entries(j, 'DestinationEntered')[0]!.data.destination, { type: 'announcement', prompt: 'custom:phone-42', then: { type: 'hangup' } });
  } finally {
    box.sup.config.put('inboundRoute', 'main', route);
  }
  await box.far.sim('hangup', 1).catch(() => {});
  await f.settled();
});

test('IVR direct dial: a caller dials 803 from the main menu and reaches it', async () => {
  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  const journey = await f.callIn(1, '13988880002');
  await ivr;
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7);
  await f.press(1, '803');
  await rang;
  const exit = f.entries(journey, 'IvrExited')[0]!;
  assert.equal(exit.data.to, { type: 'extension', ext: '803' });
  assert.equal(exit.data.path, ['main', '803']);
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 7);
  await up;
  await box.far.sim('talk', 1, { freq: 770 });
  assert.ok(await f.hears(7, 770), '803 hears the caller');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = f.cdr(journey);
  assert.is(cdr.extension, '803');
  assert.is(cdr.ivrPath, 'main 803');
  assert.is(cdr.disposition, 'answered');
  await f.hangUp(7);
  await f.settled();
});

test.run();
