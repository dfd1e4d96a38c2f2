// Time conditions, screening and IVR fall-backs on real calls: lunch on a
// workday, a shifted Saturday workday, a blacklisted and a VIP caller, and a
// caller who never presses the right key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { startBox, journalWait, farWait, ended, farCall, type Box } from './harness.js';
import { assertRebuilds } from './harness.js';

let box: Box;
test.before(async () => { box = await startBox(); });
test.after(async () => { await box.stop(); });

const events = (journey: string) => box.sup.store.journal.forJourney(journey).map((e) => e.event);

async function call(from: string, chan = 1): Promise<string> {
  const ring = journalWait(box, (e) => e.event === 'CallRinging');
  await farCall(box, chan, from);
  return (await ring).journey!;
}

test('12:30 on a workday: the lunch announcement, then a voicemail for the service desk', async () => {
  box.sup.setClock(new Date('2026-11-24T12:30:00+08:00'));
  const journey = await call('13700001111');
  await journalWait(box, (e) => e.event === 'VoicemailRecording' && e.journey === journey, 30000);
  await box.far.sim('talk', 1, { freq: 500 });
  await new Promise((r) => setTimeout(r, 200));    // ~4 s of message
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  const cdr = box.sup.store.cdr.get(journey)!;
  assertRebuilds(box, journey);
  assert.is(cdr.disposition, 'voicemail');
  const trace = box.sup.store.journal.forJourney(journey).find((e) => e.event === 'RouteChosen')!;
  assert.match(String((trace.data.trace as string[])[1]), /lunch/);
  const msgs = box.sup.store.voicemail.list('8000');
  assert.is(msgs.length, 1);
  assert.is(msgs[0]!.caller, '13700001111');
  assert.ok(msgs[0]!.durationMs >= 2000, `message of ${msgs[0]!.durationMs} ms`);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(fs.statSync(msgs[0]!.path).size > 44 + 2 * 8000 * 2, 'the message is a WAV with audio');
});

test('a shifted Saturday workday (调休) at 10:00 gets the work-hours IVR; a plain Saturday does not', async () => {
  box.sup.setClock(new Date('2026-10-10T10:00:00+08:00'));
  const j1 = await call('13700002222', 2);
  await journalWait(box, (e) => e.event === 'IvrStarted' && e.journey === j1);
  const d1 = journalWait(box, ended(j1));
  await box.far.sim('hangup', 2);
  await d1;
  box.sup.setClock(new Date('2026-10-17T10:00:00+08:00'));
  const j2 = await call('13700002222', 3);
  await journalWait(box, (e) => e.event === 'VoicemailRecording' && e.journey === j2, 30000);
  const d2 = journalWait(box, ended(j2));
  await box.far.sim('hangup', 3);
  await d2;
  assert.not.ok(events(j2).includes('IvrStarted'), 'no IVR on a weekend');
});

test('a blacklisted prefix hears busy and the journal says which entry and why', async () => {
  box.sup.setClock(new Date('2026-11-24T10:00:00+08:00'));
  const heard = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 4 && e.tone === 'busy', 20000);
  const journey = await call('17012345678', 4);
  const blocked = await journalWait(box, (e) => e.event === 'CallBlocked' && e.journey === journey);
  assert.is(blocked.data.entry, 'spam-170');
  assert.is(blocked.data.why, 'prefix 170');
  await heard;
  const done = journalWait(box, ended(journey), 20000);
  await done;
  const cdr = box.sup.store.cdr.get(journey)!;
  assertRebuilds(box, journey);
  assert.is(cdr.disposition, 'blocked');
  assert.ok(cdr.tags.includes('blocked'));
  assert.not.ok(events(journey).includes('IvrStarted'));
});

test('a VIP skips the IVR and rings their account manager', async () => {
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 9);
  const vip = journalWait(box, (e) => e.event === 'VipRecognized');
  const journey = await call('13800138000', 3);
  await rang;
  assert.is((await vip).journey, journey);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 3);
  await done;
  assert.not.ok(events(journey).includes('IvrStarted'), 'no IVR for a VIP');
  assert.ok(box.sup.store.cdr.get(journey)!.tags.includes('vip'));
});

test('IVR: a wrong key and silence use up the retries, then the operator rings', async () => {
  const journey = await call('13700003333', 2);
  await journalWait(box, (e) => e.event === 'IvrStarted' && e.journey === journey);
  await box.far.sim('dial', 2, { digits: '7' });       // no such key, no extension 7
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 5, 60000);
  await rang;
  const exit = box.sup.store.journal.forJourney(journey).find((e) => e.event === 'IvrExited')!;
  if (process.env.DEBUG_JOURNAL) console.log(box.sup.store.journal.forJourney(journey));
  assert.equal(exit.data.path, ['main', '7', 'invalid', 'timeout', 'timeout', 'exhausted']);
  assert.equal(exit.data.to, { type: 'operator' });
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 2);
  await done;
  assert.is(box.sup.store.cdr.get(journey)!.ivrPath, 'main 7 invalid timeout timeout exhausted');
});

test.run();
