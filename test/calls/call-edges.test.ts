// Calls that do not go the happy way: hostile caller ID, a caller who gives up
// while the extension rings, and a second call to a phone already in a call.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, demoConfig, journalWait, farWait, ended, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  const config = demoConfig();
  config.inboundRoute!.main = { id: 'main', name: 'Main number', destination: { type: 'extension', ext: '802' } };
  config.extension!['802'] = { ...(config.extension!['802'] as object), callWaiting: false };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

test('hostile caller ID name (markup, quotes, control characters) over FSK: cleaned for the CDR and the phone, the call goes on', async () => {
  const name = '<script>"\'\u0007\u001b;--';        // the 20 bytes a caller-ID name can hold
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 6);
  const journey = await f.callIn(1, '13912345678', { name });
  const id = await f.on(journey, 'CallerIdentified');
  const shown = await cid;
  const clean = id.data.name as string;
  assert.is(clean, '<script>"\';--', 'control characters removed, the rest kept as text');
  assert.is(id.data.number, '13912345678');
  assert.is(shown.number, '13912345678');
  assert.is(shown.name, clean, 'the phone shows the cleaned name');
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 6);
  await up;
  await box.far.sim('talk', 1, { freq: 880 });
  assert.ok(await f.hears(6, 880), 'the call works');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = f.cdr(journey);
  assert.is(cdr.caller, '13912345678');
  assert.is(cdr.callerName, clean);
  assert.is(cdr.disposition, 'answered');
  await f.hangUp(6);
  await f.settled();
});

test('a line that delivers a number with letters and markup: digits only in the CDR and on the phone, the raw number journaled', async () => {
  // FSK caller ID carries any bytes: the exchange sends them, the engine's
  // decoder reads them off the line like a real one would.
  const rawNumber = '139ab<12>34"x';
  const rawName = '\u007f<img src=x>';
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 6);
  const journey = await f.callIn(1, rawNumber, { name: rawName });
  const id = await f.on(journey, 'CallerIdentified');
  assert.is(id.data.number, '1391234');
  assert.is(id.data.raw, rawNumber, 'the journal keeps what the line sent');
  const name = id.data.name as string;
  assert.is(name, '<img src=x>', 'control characters dropped; markup kept as text for pages to escape');
  const shown = await cid;
  assert.is(shown.number, '1391234', 'the phone shows digits only');
  const up = f.on(journey, 'CallAnswered');
  await box.far.sim('answer', 6);
  await up;
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = f.cdr(journey);
  assert.is(cdr.caller, '1391234');
  assert.is(cdr.callerName, name);
  assert.is(cdr.disposition, 'answered');
  await f.hangUp(6);
  await f.settled();
});

test('a caller who hangs up while 802 rings: abandoned, and the phone stops ringing', async () => {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  const journey = await f.callIn(1, '13900000001');
  await rang;
  const done = journalWait(box, ended(journey), 20000);
  await box.far.sim('hangup', 1);
  const end = await done;
  assert.is(end.data.disposition, 'abandoned');
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'abandoned');
  assert.is(cdr.hangupSide, 'caller');
  assert.is(cdr.answeredAt, null);
  assert.is(f.entries(journey, 'ExtensionRinging')[0]?.data.ext, '802');
  assert.is(box.sup.engine.states.get(6)?.state, 'idle', 'the phone is no longer rung');
  assert.is(box.sup.ctx.ringing.size, 0);
  // No ring after the end.
  let rings = 0;
  const watch = (e: { event: string; chan?: number }) => { if (e.event === 'SimPhoneRang' && e.chan === 6) rings++; };
  box.far.on('event', watch);
  await sleep(400);                 // 8 s of engine time: two ring cycles
  box.far.off('event', watch);
  assert.is(rings, 0, 'the phone stopped ringing');
  await f.settled();
});

test('a caller who hangs up in the IVR while 802 rings: abandoned too', async () => {
  const route = box.sup.config.doc('inboundRoute', 'main')!;
  box.sup.config.put('inboundRoute', 'main', { id: 'main', name: 'Main number', destination: { type: 'ivr', menu: 'main' } });
  try {
    const journey = await f.callIn(1, '13900000002');
    await f.on(journey, 'IvrStarted');
    const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
    await box.far.sim('dial', 1, { digits: '1' });
    await rang;
    const done = journalWait(box, ended(journey));
    await box.far.sim('hangup', 1);
    const end = await done;
    assert.is(end.data.disposition, 'abandoned');
    assert.is(box.sup.engine.states.get(6)?.state, 'idle', 'the phone is no longer rung');
  } finally {
    box.sup.config.put('inboundRoute', 'main', route);
  }
  await f.settled();
});

test('802 on a call (call waiting off): a second caller goes to its voicemail, the first call goes on', async () => {
  // 801 calls 802 and they talk.
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  const first = await f.dial(5, '802');
  await rang;
  await box.far.sim('answer', 6);
  await f.on(first, 'CallAnswered');

  const journey = await f.callIn(1, '13900000003');
  const rec = await f.on(journey, 'VoicemailRecording', () => true, 20000);
  assert.is(rec.data.box, '802');
  assert.not.ok(f.events(journey).includes('ExtensionRinging'), '802 was not rung');
  await box.far.sim('talk', 1, { freq: 420 });
  await sleep(150);
  const left = f.on(journey, 'VoicemailLeft');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await left;
  await done;
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'voicemail');
  assert.ok(cdr.tags.includes('voicemail'));
  assert.is(box.sup.store.voicemail.list('802').length, 1);

  await box.far.sim('talk', 5, { freq: 960 });
  assert.ok(await f.hears(6, 960), 'the first call is unaffected');
  const d1 = journalWait(box, ended(first));
  await f.hangUp(5);
  await d1;
  await f.hangUp(6);
  await f.settled();
});

test.run();
