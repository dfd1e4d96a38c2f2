// A held caller is never dropped by the phone that held them: a transfer
// abandoned half-dialed rings that phone back, and a parked call nobody picks
// up rings the parker, then goes to the parker's voicemail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, ended, farCall, demoConfig, assertRebuilds, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => {
  const config = demoConfig();
  config.settings!.main = { ...(config.settings!.main as object), park: { timeoutSec: 10 } };
  config.extension!['803'] = { ...(config.extension!['803'] as object), ringSec: 6 };
  box = await startBox(config, { at: TUESDAY_10AM });
  f = farEnd(box);
});
test.after(async () => { await box.stop(); });

async function answeredCall(line: number, from: string, key: string, phone: number): Promise<string> {
  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  await farCall(box, line, from);
  const journey = (await ivr).journey!;
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === phone);
  await box.far.sim('dial', line, { digits: key });
  await rang;
  const bridged = journalWait(box, (e) => e.event === 'PartiesBridged' && e.journey === journey);
  await box.far.sim('answer', phone);
  await bridged;
  return journey;
}

test('802 flashes, dials one digit and hangs up: its phone rings again and the caller is still there', async () => {
  const journey = await answeredCall(1, '13911110001', '1', 6);
  await box.far.sim('flash', 6);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 6 && e.tone === 'dial');
  await box.far.sim('dial', 6, { digits: '8' });
  const recalled = journalWait(box, (e) => e.event === 'CallRecalled' && e.journey === journey);
  await f.hangUp(6);
  assert.is((await recalled).data.ext, '802');
  await farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  const back = journalWait(box, (e) => e.event === 'PartiesBridged' && e.journey === journey);
  await box.far.sim('answer', 6);
  await back;
  await box.far.sim('talk', 1, { freq: 700 });
  assert.ok(await f.hears(6, 700), '802 talks to the caller again');
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  assert.is(box.sup.store.cdr.get(journey)!.disposition, 'answered');
  assertRebuilds(box, journey);
  await f.hangUp(6);
});

test('a parked call nobody picks up rings the parker, then takes a message for the parker', async () => {
  const journey = await answeredCall(2, '13911110002', '2', 7);
  await box.far.sim('flash', 7);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 7 && e.tone === 'dial');
  const parked = journalWait(box, (e) => e.event === 'CallParked' && e.journey === journey);
  await box.far.sim('dial', 7, { digits: '70' });
  await parked;
  await sleep(150);
  await f.hangUp(7);
  const timedOut = journalWait(box, (e) => e.event === 'ParkTimedOut' && e.journey === journey, 20000);
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 7, 20000);
  await timedOut;
  await rang;
  const vm = journalWait(box, (e) => e.event === 'VoicemailRecording' && e.journey === journey, 30000);
  assert.is((await vm).data.box, '803');
  await box.far.sim('talk', 2, { freq: 500 });
  await sleep(150);
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 2);
  await done;
  assert.is(box.sup.store.voicemail.list('803').length, 1);
  assertRebuilds(box, journey);
});

test.run();
