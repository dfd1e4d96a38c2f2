// Call waiting: 802 is talking to 801 when an outside call comes for 802. The
// phone gets the call-waiting alert with the caller's number, flashes to take
// the new call, flashes back, and returns to 801 when the outside caller
// hangs up. Both calls keep their own CDRs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBox, journalWait, farWait, ended, farCall, TUESDAY_10AM, type Box } from './harness.js';
import { farEnd, sleep } from './far-end.js';
import { assertRebuilds } from './harness.js';

let box: Box;
let f: ReturnType<typeof farEnd>;
test.before(async () => { box = await startBox(undefined, { at: TUESDAY_10AM }); f = farEnd(box); });
test.after(async () => { await box.stop(); });


test('802 takes a waiting call by flash, swaps back and forth, and returns to 801 when the caller leaves', async () => {
  await box.far.sim('offhook', 5);
  await farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === 5 && e.tone === 'dial');
  const dialed = journalWait(box, (e) => e.event === 'CallDialed');
  await box.far.sim('dial', 5, { digits: '802' });
  const first = (await dialed).journey!;
  await farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 6);
  const up = journalWait(box, (e) => e.event === 'CallAnswered' && e.journey === first);
  await box.far.sim('answer', 6);
  await up;
  await box.far.sim('talk', 5, { freq: 900 });
  assert.ok(await f.hears(6, 900), '802 talks to 801');

  const ivr = journalWait(box, (e) => e.event === 'IvrStarted');
  await farCall(box, 1, '13912340000');
  const second = (await ivr).journey!;
  const alerted = farWait(box, (e) => e.event === 'SimCallWaitingAlerted' && e.chan === 6);
  const cid = farWait(box, (e) => e.event === 'SimCallerIdReceived' && e.chan === 6 && e.callWaiting === true);
  await box.far.sim('dial', 1, { digits: '1' });
  assert.is((await alerted).acked, true);
  assert.is((await cid).number, '13912340000', 'the waiting caller is shown on the phone');
  assert.ok(await f.hears(6, 900), '802 is still with 801 until it flashes');

  const taken = journalWait(box, (e) => e.event === 'CallAnswered' && e.journey === second);
  await box.far.sim('flash', 6);
  await taken;
  await box.far.sim('talk', 1, { freq: 700 });
  assert.ok(await f.hears(6, 700), '802 now talks to the outside caller');
  assert.not.ok(await f.hears(5, 700), '801 on hold does not hear the new call');

  const back = journalWait(box, (e) => e.event === 'CallWaitingSwapped' && e.journey === second && e.data.back === true);
  await box.far.sim('flash', 6);
  await back;
  await sleep(100);
  assert.ok(await f.hears(6, 900), 'flash again: back to 801');

  const again = journalWait(box, (e) => e.event === 'CallWaitingSwapped' && e.journey === first);
  await box.far.sim('flash', 6);
  await again;
  await sleep(100);
  assert.ok(await f.hears(6, 700), 'and over to the caller again');

  const secondDone = journalWait(box, ended(second));
  await box.far.sim('hangup', 1);
  await secondDone;
  await sleep(150);
  assert.ok(await f.hears(6, 900), 'the caller left: 802 is back with 801');

  const firstDone = journalWait(box, ended(first));
  await box.far.sim('onhook', 5);
  await firstDone;
  const a = box.sup.store.cdr.get(first)!;
  assertRebuilds(box, first);
  const b = box.sup.store.cdr.get(second)!;
  assertRebuilds(box, second);
  assert.is(a.disposition, 'answered');
  assert.is(b.disposition, 'answered');
  assert.is(b.extension, '802');
  assert.is(b.hangupSide, 'caller');
  await box.far.sim('onhook', 6);
});

test.run();
