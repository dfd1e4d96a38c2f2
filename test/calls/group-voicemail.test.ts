// A group mailbox on real calls: the demo's 8000 (members 802 803 804) takes a
// caller's message at lunch; every member phone gets stutter dial tone (the
// message lamp), the box's address gets the message by email with the WAV,
// and a member listens with *98 8000 # (no PIN from a member phone), which
// puts every member's lamp out. A phone outside the group needs the PIN.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import fs from 'node:fs';
import { startBox, journalWait, farWait, demoConfig, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
let smtp: SmtpSink;
const MEMBERS: [string, number][] = [['802', 6], ['803', 7], ['804', 8]];

test.before(async () => {
  smtp = await startSmtpSink();
  const port = smtp.port;
  const config = demoConfig();
  config.settings!.main = { ...(config.settings!.main as object), smtp: { host: '127.0.0.1', port, from: 'hotline@example.com' } };
  config.mailbox!['8000'] = { ...(config.mailbox!['8000'] as object), pin: '2580', emails: ['desk@example.com', 'lead@example.com'] };
  // Lunch on a workday: the main number's announcement, then box 8000.
  box = await startBox(config, { at: '2026-11-24T12:30:00+08:00' });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); await smtp.close(); });

// What a phone hears when lifted: 'stutter' (a message waits) or 'dial'.
async function lamp(chan: number): Promise<string> {
  const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === chan && (e.tone === 'dial' || e.tone === 'stutter'), 5000);
  await box.far.sim('offhook', chan);
  const t = String((await tone).tone);
  await f.hangUp(chan);
  return t;
}

test('a caller leaves a message in group box 8000: every member\'s lamp is lit, and it is emailed to the box\'s addresses', async () => {
  for (const [ext, chan] of MEMBERS) assert.is(await lamp(chan), 'dial', `${ext}: no message yet`);
  // Both addresses' delivery results (sent or failed), whatever their order.
  const emailed = new Promise<void>((resolve, reject) => {
    const seen = new Set<string>();
    const timer = setTimeout(() => { off(); reject(new Error(`two delivery results expected within 20 s; got ${[...seen].join(', ') || 'none'}`)); }, 20000);
    const off = box.sup.store.journal.subscribe((e) => {
      if (e.event === 'VoicemailEmailed' || e.event === 'VoicemailEmailFailed') seen.add(`${e.event} ${String(e.data.to)}`);
      if (seen.size === 2) { clearTimeout(timer); off(); resolve(); }
    });
  });
  const journey = await f.callIn(1, '13755550001');
  await f.on(journey, 'VoicemailRecording', (e) => e.data.box === '8000', 30000);
  await box.far.sim('talk', 1, { freq: 440 });
  await sleep(150);                                   // ~3 s of message
  await box.far.sim('talk', 1, { freq: 0 });
  const left = f.on(journey, 'VoicemailLeft');
  const done = f.on(journey, 'CallEnded', () => true, 20000);
  await box.far.sim('dial', 1, { digits: '#' });
  const l = await left;
  assert.is(l.data.box, '8000');
  await done;                                         // the box says goodbye and hangs up
  assert.is(f.cdr(journey).disposition, 'voicemail');

  const msgs = box.sup.store.voicemail.list('8000');
  assert.is(msgs.length, 1);
  assert.is(msgs[0]!.status, 'new');
  assert.is(msgs[0]!.caller, '13755550001');
  assert.ok(fs.statSync(msgs[0]!.path).size > 44 + 2 * 8000 * 2, 'the message is a WAV with audio');

  for (const [ext, chan] of MEMBERS) assert.is(await lamp(chan), 'stutter', `${ext} (a member) has the lamp lit`);
  assert.is(await lamp(9), 'dial', '805 (not a member) has no lamp');

  await emailed;
  assert.equal(box.sup.store.journal.query({ event: 'VoicemailEmailFailed' }).map((e) => e.data), [], 'no delivery failed');
  for (const to of ['desk@example.com', 'lead@example.com']) {
    const mail = smtp.mails.find((m) => m.to.includes(to));
    assert.ok(mail, `mail delivered to ${to}`);
    assert.match(mail!.raw, /Box: 8000\r?\n/, 'the box is named');
    assert.match(mail!.raw, /From: <13755550001>/, 'caller ID in the mail');
    assert.match(mail!.raw, /filename=voicemail-8000-/, 'the attachment is the box\'s message');
    assert.match(mail!.raw, /Content-Type: audio\/wav/i);
    assert.match(mail!.raw, /UklGR/, 'the attachment is a RIFF WAV');
  }
  assert.ok(box.sup.store.voicemail.list('8000')[0]!.emailedAt, 'delivery recorded on the message');
  await f.settled();
});

test('a phone outside the group must give the box PIN with *98 8000 #; a wrong PIN is refused', async () => {
  await f.lift(9);
  const rejected = journalWait(box, (e) => e.event === 'VoicemailPinRejected' && e.data.box === '8000', 30000);
  const asked = farWait(box, (e) => e.event === 'PlaybackStarted' && e.chan === 9);
  await box.far.sim('dial', 9, { digits: '*988000#' });
  await asked;
  await f.press(9, '1111#');
  await rejected;
  const listened = journalWait(box, (e) => e.event === 'VoicemailListened' && e.data.box === '8000', 30000);
  await f.press(9, '2580#');
  await listened;
  await f.hangUp(9);
  await sleep(100);
  assert.is(box.sup.store.voicemail.list('8000')[0]!.status, 'new', 'hanging up at the menu leaves the message new');
  await f.settled();
});

test('803 (a member) listens with *98 8000 # without a PIN; the message is saved and every member\'s lamp goes out', async () => {
  const lit = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 7 && e.tone === 'stutter');
  await box.far.sim('offhook', 7);
  await lit;
  const listened = journalWait(box, (e) => e.event === 'VoicemailListened' && e.data.box === '8000', 30000);
  await box.far.sim('dial', 7, { digits: '*988000#' });
  const l = await listened;
  assert.not.ok(f.events(l.journey!).includes('VoicemailPinRejected'));
  // 1 plays the message: 803 hears the caller's 440 Hz.
  await f.press(7, '1');
  assert.ok(await f.hears(7, 440), '803 hears the message');
  await f.press(7, '2');                              // save, next (none): goodbye
  const ended = f.on(l.journey!, 'CallEnded', () => true, 20000);
  await sleep(200);
  await f.hangUp(7);
  await ended;
  assert.is(box.sup.store.voicemail.list('8000')[0]!.status, 'saved');
  for (const [ext, chan] of MEMBERS) assert.is(await lamp(chan), 'dial', `${ext}: the lamp is out`);
  await f.settled();
});

test.run();
