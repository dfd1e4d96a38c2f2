// Voicemail: an unanswered extension takes a message; the message is emailed
// with the WAV attached through SMTP (a real SMTP server started here); the
// owner listens from the phone with *97, which marks it heard.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import fs from 'node:fs';
import path from 'node:path';
import { startBox, journalWait, farWait, ended, demoConfig, TUESDAY_10AM, type Box } from './harness.js';
import { assertRebuilds } from './harness.js';

let box: Box;
let smtp: SmtpSink;

test.before(async () => {
  smtp = await startSmtpSink();
  const port = smtp.port;
  const config = demoConfig();
  config.settings!.main = { ...(config.settings!.main as object), smtp: { host: '127.0.0.1', port, from: 'hotline@example.com' } };
  config.extension!['804'] = { ...(config.extension!['804'] as object), ringSec: 10, voicemail: { email: 'agent804@example.com', pin: '4321' } };
  box = await startBox(config, { at: TUESDAY_10AM });
});
test.after(async () => { await box.stop(); await smtp.close(); });

test('an unanswered extension takes a voicemail, emailed with the WAV, heard with *97', async () => {
  await box.far.sim('offhook', 5);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 5 && e.tone === 'dial');
  const rec = journalWait(box, (e) => e.event === 'VoicemailRecording', 30000);
  await box.far.sim('dial', 5, { digits: '804' });
  const journey = (await rec).journey!;
  await box.far.sim('talk', 5, { freq: 440 });
  await new Promise((r) => setTimeout(r, 250));
  const left = journalWait(box, (e) => e.event === 'VoicemailLeft' && e.journey === journey);
  const done = journalWait(box, ended(journey));
  const emailed = journalWait(box, (e) => e.event === 'VoicemailEmailed', 20000);
  await box.far.sim('dial', 5, { digits: '#' });
  await left;
  await done;
  await emailed;
  const mail = smtp.mails.find((m) => m.to.includes('agent804@example.com'));
  assert.ok(mail, 'mail delivered');
  assert.match(mail!.raw, /Content-Type: audio\/wav/i);
  assert.match(mail!.raw, /UklGR/, 'the attachment is a RIFF WAV');
  assert.match(mail!.raw, /801/, 'caller ID in the mail');
  const msgs = box.sup.store.voicemail.list('804');
  assert.is(msgs.length, 1);
  assert.is(msgs[0]!.status, 'new');
  assert.ok(msgs[0]!.emailedAt, 'delivery recorded');
  assert.is(box.sup.store.cdr.get(journey)!.disposition, 'voicemail');
  assertRebuilds(box, journey);
  const down = farWait(box, (e) => e.event === 'HookChanged' && e.chan === 5 && e.offhook === false);
  await box.far.sim('onhook', 5);
  await down;

  // 804's message lamp is lit: lifting the phone gives stutter dial tone.
  // *97 on its own phone needs no PIN; 1 plays the message, 2 goes on.
  await box.far.sim('offhook', 8);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 8 && e.tone === 'stutter');
  const listened = journalWait(box, (e) => e.event === 'VoicemailListened');
  await box.far.sim('dial', 8, { digits: '*97' });
  await listened;
  await box.far.sim('dial', 8, { digits: '1' });
  await new Promise((r) => setTimeout(r, 200));
  await box.far.sim('dial', 8, { digits: '2' });
  await new Promise((r) => setTimeout(r, 300));
  const down8 = farWait(box, (e) => e.event === 'HookChanged' && e.chan === 8 && e.offhook === false);
  await box.far.sim('onhook', 8);
  await down8;
  await new Promise((r) => setTimeout(r, 100));
  assert.is(box.sup.store.voicemail.list('804')[0]!.status, 'saved', 'heard messages are no longer new');
});


test('the owner records a greeting from the phone (*97, 9, speak, #); it replaces the default one', async () => {
  // No new message any more: the lamp is off, plain dial tone.
  await box.far.sim('offhook', 8);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 8 && e.tone === 'dial');
  const listened = journalWait(box, (e) => e.event === 'VoicemailListened');
  await box.far.sim('dial', 8, { digits: '*97' });
  await listened;
  const recording = farWait(box, (e) => e.event === 'RecordingStarted' && e.chan === 8, 30000);
  await box.far.sim('dial', 8, { digits: '9' });
  await recording;
  await box.far.sim('talk', 8, { freq: 523 });
  await new Promise((r) => setTimeout(r, 150));
  const saved = journalWait(box, (e) => e.event === 'VoicemailGreetingRecorded');
  await box.far.sim('dial', 8, { digits: '#' });
  const g = await saved;
  assert.ok((g.data.durationMs as number) >= 1000);
  const file = path.join(box.dataDir, 'voicemail', '804', 'greeting.wav');
  assert.ok(fs.statSync(file).size > 44 + 8000, 'the greeting is a WAV with audio');
  const down = farWait(box, (e) => e.event === 'HookChanged' && e.chan === 8 && e.offhook === false);
  await box.far.sim('onhook', 8);
  await down;
});

test.run();
