// Screening on real calls, beyond the busy tone the routing tests cover: each
// block action (congestion, hang-up, the operator's voicemail, an
// announcement), callers whose number is withheld in each way a line can say
// so, and which entry wins when several match. Every block is journaled with
// its entry, why and action, and the CDR says blocked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, demoConfig, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import type { JournalEntry } from '../../src/store/journal.js';

let box: Box;
let f: ReturnType<typeof farEnd>;

const block = (id: string, type: string, value: string, action: string, more: Record<string, unknown> = {}) =>
  [id, { id, list: 'block', match: { type, value }, action, ...more }] as const;
const vip = (id: string, type: string, value: string) =>
  [id, { id, list: 'vip', match: { type, value }, destination: { type: 'extension', ext: '805' } }] as const;

test.before(async () => {
  const config = demoConfig();
  config.screening = {
    ...config.screening,
    ...Object.fromEntries([
      block('cong-171', 'prefix', '171', 'congestion'),
      block('hang-172', 'exact', '17200000000', 'hangup'),
      block('vm-173', 'pattern', '_173XXXXXXXX', 'voicemail'),
      block('ann-174', 'prefix', '174', 'announcement', { prompt: 'builtin:not_in_service' }),
      block('anon', 'anonymous', '', 'congestion'),
      // Precedence: a wide block, a narrower VIP prefix, a block pattern inside
      // it, a VIP number inside that; and a wide VIP prefix with a narrower block.
      block('blk-135', 'prefix', '135', 'congestion'),
      vip('vip-1350', 'prefix', '1350'),
      block('blk-pat', 'pattern', '_13500XXXXXX', 'hangup'),
      vip('vip-exact', 'exact', '13500001111'),
      vip('vip-136', 'prefix', '136'),
      block('blk-1360', 'prefix', '1360', 'busy'),
    ]),
  };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

// The call's CallBlocked entry, checked to name the entry, why and action.
function blocked(journey: string, entry: string, why: string, action: string): Omit<JournalEntry, 'id'> {
  const b = f.entries(journey, 'CallBlocked');
  assert.is(b.length, 1, `one CallBlocked for ${journey}; journal: ${f.events(journey).join(', ')}`);
  assert.equal(b[0]!.data, { entry, why, action });
  return b[0]!;
}

function assertBlockedCdr(journey: string, side: string): void {
  const cdr = f.cdr(journey);
  assert.is(cdr.disposition, 'blocked', `disposition of ${journey}`);
  assert.ok(cdr.tags.includes('blocked'), `tags ${cdr.tags.join(',')}`);
  assert.is(cdr.hangupSide, side);
  assert.not.ok(f.events(journey).includes('IvrStarted'), 'a blocked caller never reaches the IVR');
  assert.not.ok(f.events(journey).includes('ExtensionRinging'), 'no phone rings for a blocked caller');
}

test('action congestion: the caller hears congestion tone, then the box hangs up', async () => {
  const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 1 && e.tone === 'congestion', 20000);
  const released = farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === 1, 20000);
  const journey = await f.callIn(1, '17112345678');
  const done = f.on(journey, 'CallEnded', () => true, 20000);
  await tone;
  await released;
  await done;
  blocked(journey, 'cong-171', 'prefix 171', 'congestion');
  assertBlockedCdr(journey, 'system');
  await f.settled();
});

test('action hangup: the box answers (an exchange line cannot refuse) and hangs up at once, no tone, no prompt', async () => {
  const heard: string[] = [];
  const watch = (e: { event: string; chan?: number; tone?: unknown }) => { if (e.chan === 2 && (e.event === 'SimToneHeard' || e.event === 'PlaybackStarted')) heard.push(`${e.event}:${String(e.tone ?? '')}`); };
  box.far.on('event', watch);
  try {
    const answered = farWait(box, (e) => e.event === 'SimLineAnswered' && e.chan === 2 && e.by === 'near', 20000);
    const released = farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === 2, 20000);
    const journey = await f.callIn(2, '17200000000');
    const ended = f.on(journey, 'CallEnded', () => true, 20000);
    await answered;
    await released;
    await ended;
    blocked(journey, 'hang-172', 'number 17200000000', 'hangup');
    assertBlockedCdr(journey, 'system');
    assert.equal(heard, [], 'nothing played to the caller before the hang-up');
    // A number next to the blocked one gets in.
    const other = await f.callIn(2, '17200000001');
    await f.on(other, 'IvrStarted');
    const done = journalWait(box, (e) => e.event === 'CallEnded' && e.journey === other);
    await box.far.sim('hangup', 2);
    await done;
  } finally {
    box.far.off('event', watch);
  }
  await f.settled();
});

test('action voicemail: the blocked caller is sent to the operator\'s box (801); hanging up after the message keeps it blocked', async () => {
  const journey = await f.callIn(3, '17312345678');
  const rec = await f.on(journey, 'VoicemailRecording', () => true, 30000);
  assert.is(rec.data.box, '801', 'the operator\'s mailbox');
  await box.far.sim('talk', 3, { freq: 600 });
  await sleep(150);                              // ~3 s of message
  const left = f.on(journey, 'VoicemailLeft');
  const done = f.on(journey, 'CallEnded');
  await box.far.sim('hangup', 3);
  await left;
  await done;
  blocked(journey, 'vm-173', 'pattern _173XXXXXXXX', 'voicemail');
  assertBlockedCdr(journey, 'caller');
  const msgs = box.sup.store.voicemail.list('801');
  assert.is(msgs.length, 1, 'one message in 801');
  assert.is(msgs[0]!.caller, '17312345678');
  assert.ok(msgs[0]!.durationMs >= 2000, `message of ${msgs[0]!.durationMs} ms`);
  await f.settled();
});

test('action announcement: the caller hears the entry\'s prompt, then the box hangs up', async () => {
  const playing = farWait(box, (e) => e.event === 'PlaybackStarted' && e.chan === 4, 20000);
  const released = farWait(box, (e) => e.event === 'SimLineReleased' && e.chan === 4, 30000);
  const journey = await f.callIn(4, '17412345678');
  const done = f.on(journey, 'CallEnded', () => true, 30000);
  await playing;
  await sleep(20);
  const l = farWait(box, (e) => e.event === 'SimAudioMeasured' && e.chan === 4);
  await box.far.sim('listen', 4, { freq: 1000, ms: 300 });
  assert.ok(((await l).totalDbm0 as number) > -40, 'the caller hears the prompt (audio on the line)');
  await released;
  await done;
  blocked(journey, 'ann-174', 'prefix 174', 'announcement');
  assert.equal(f.entries(journey, 'DestinationEntered').map((e) => e.data.destination), [{ type: 'announcement', prompt: 'builtin:not_in_service' }]);
  assertBlockedCdr(journey, 'system');
  await f.settled();
});

test('withheld callers (no number sent, "unavailable", "private" by DTMF, no caller ID at all) get the anonymous rule', async () => {
  const ways: [string, Record<string, unknown>, string | null][] = [
    ['', { callerId: 'bell202' }, 'unavailable'],     // MDMF with the absence field
    ['P', { callerId: 'bell202' }, null],             // an exchange that puts P in the number field
    ['', { callerId: 'dtmf' }, 'private'],            // DTMF B10C
    ['', { callerId: 'none' }, null],                 // nothing between the rings
  ];
  for (const [from, opts, absence] of ways) {
    const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 1 && e.tone === 'congestion', 20000);
    const ident = journalWait(box, (e) => e.event === 'CallerIdentified');
    const journey = await f.callIn(1, from, opts);
    const done = f.on(journey, 'CallEnded', () => true, 20000);
    const id = await ident;
    assert.is(id.data.number, '', `no number (${JSON.stringify(opts)} from "${from}")`);
    assert.is(id.data.absence, absence, `absence marker (${JSON.stringify(opts)})`);
    await tone;
    await done;
    blocked(journey, 'anon', 'caller ID withheld', 'congestion');
    assertBlockedCdr(journey, 'system');
    assert.is(box.sup.store.cdr.get(journey)!.caller, '');
  }
  await f.settled();
});

test('precedence: exact VIP > block pattern > longer VIP prefix > wide block prefix; a narrower block prefix beats a wide VIP prefix', async () => {
  // VIP number inside a blocked pattern inside a VIP prefix inside a blocked prefix.
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 9, 20000);
  const j1 = await f.callIn(1, '13500001111');
  await rang;
  assert.equal(f.entries(j1, 'VipRecognized')[0]?.data.entry, 'vip-exact');
  const d1 = f.on(j1, 'CallEnded');
  await box.far.sim('hangup', 1);
  await d1;
  assert.not.ok(f.events(j1).includes('CallBlocked'));

  const j2 = await f.callIn(2, '13500002222');
  await f.on(j2, 'CallEnded', () => true, 20000);
  blocked(j2, 'blk-pat', 'pattern _13500XXXXXX', 'hangup');

  const rang3 = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 9, 20000);
  const j3 = await f.callIn(3, '13501234567');
  await rang3;
  assert.equal(f.entries(j3, 'VipRecognized')[0]?.data, { entry: 'vip-1350', why: 'prefix 1350', priority: 10 });
  const d3 = f.on(j3, 'CallEnded');
  await box.far.sim('hangup', 3);
  await d3;

  const j4 = await f.callIn(4, '13512345678');
  await f.on(j4, 'CallEnded', () => true, 20000);
  blocked(j4, 'blk-135', 'prefix 135', 'congestion');

  // The longest prefix wins: a block on 1360 inside a VIP prefix 136.
  const busy = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 1 && e.tone === 'busy', 20000);
  const j5 = await f.callIn(1, '13600001111');
  await f.on(j5, 'CallEnded', () => true, 20000);
  await busy;
  blocked(j5, 'blk-1360', 'prefix 1360', 'busy');
  assert.not.ok(f.events(j5).includes('VipRecognized'));
  for (const j of [j2, j4, j5]) assertBlockedCdr(j, 'system');
  await f.settled();
});

test.run();
