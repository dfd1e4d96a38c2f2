// Hook-flash features of an analog phone in a call. The phone flashes: the
// other party is held on music, the phone hears dial tone and dials
//   - nothing (or flashes again): back to the held party;
//   - the park code (70): the held party is parked and the slot announced;
//   - an extension: it rings; hanging up now is a blind transfer; once it
//     answers, hanging up is an attended transfer, a flash makes a three-way
//     call, and if it does not answer a flash returns to the held party.
// Returns the next pair to bridge, or null when this call is done.
import type { CallSession } from './session.js';
import { Hangup, type Leg } from './leg.js';
import { ringExtension } from './dial-extension.js';
import { codeOf } from './feature-codes.js';
import { leaveVoicemail, mailbox } from './voicemail.js';
import type { Extension } from '../config/schemas.js';

export async function hold(s: CallSession, leg: Leg): Promise<void> {
  await s.ctx.engine.play(leg.chan, [s.ctx.prompt('moh:default')], { loop: true }).catch(() => {});
  s.journey.log('CallHeld', s.ctx.engineMs(), { chan: leg.chan });
}

export async function unhold(s: CallSession, leg: Leg): Promise<void> {
  await s.ctx.engine.stopPlay(leg.chan).catch(() => {});
  s.journey.log('CallResumed', s.ctx.engineMs(), { chan: leg.chan });
}

// Digits from a phone until the number is complete, it flashes, or it pauses.
async function dialFromPhone(s: CallSession, x: Leg, held: Leg): Promise<{ digits: string; flashed: boolean }> {
  x.clearDigits();
  let since = x.mark();
  await s.ctx.engine.tone(x.chan, 'dial');
  let digits = '';
  const settings = s.ctx.config.settings;
  for (;;) {
    const e = await Promise.race([
      x.wait((ev) => ev.event === 'HookFlashed' || ev.event === 'DtmfReceived' || ev.event === 'PulseDigitReceived', digits ? settings.interDigitMs : 10000, since),
      held.gone(),
    ]);
    if (!e) return { digits, flashed: false };
    since = e.seq;
    if (e.event === 'HookFlashed') return { digits, flashed: true };
    if (!digits) await s.ctx.engine.stopTone(x.chan).catch(() => {});
    x.clearDigits();
    digits += String(e.digit);
    if (digits === codeOf(settings, 'park')) return { digits, flashed: false };
    if (s.ctx.config.extension(digits) && !s.ctx.config.extensions().some((x2) => x2.ext !== digits && x2.ext.startsWith(digits))) return { digits, flashed: false };
    if (s.ctx.config.list('queue').some((q) => q.number === digits)) return { digits, flashed: false };
  }
}

export async function flashTransfer(s: CallSession, x: Leg, y: Leg): Promise<[Leg, Leg] | null> {
  await hold(s, y);
  let dialed: { digits: string; flashed: boolean };
  try {
    dialed = await dialFromPhone(s, x, y);
  } catch (e) {
    // The phone hung up before finishing a number: the held party is not dropped.
    const ext = x.kind === 'fxs' ? s.ctx.config.extensionByPort(x.chan) : undefined;
    if (!(e instanceof Hangup) || e.chan !== x.chan || !ext) throw e;
    if (s.firstHangup) s.firstHangup = null;
    if (s.caller === x) s.caller = y;
    await x.release();
    await unhold(s, y);
    return recall(s, y, ext);
  }
  const { digits, flashed } = dialed;
  if (!digits || (flashed && !digits)) {
    await s.ctx.engine.stopTone(x.chan).catch(() => {});
    await unhold(s, y);
    return [x, y];
  }
  if (digits === codeOf(s.ctx.config.settings, 'park')) return park(s, x, y);
  const queue = s.ctx.config.list('queue').find((q) => q.number === digits);
  if (queue) return toQueue(s, x, y, queue.id);
  const ext = s.ctx.config.extension(digits);
  const xExt = x.kind === 'fxs' ? s.ctx.config.extensionByPort(x.chan) : undefined;
  if (!ext) {
    await s.ctx.engine.tone(x.chan, 'congestion').catch(() => {});
    await waitFlashOrHangup(s, x, y);
    await s.ctx.engine.stopTone(x.chan).catch(() => {});
    await unhold(s, y);
    return [x, y];
  }
  s.journey.log('TransferStarted', s.ctx.engineMs(), { by: x.chan, to: ext.ext });
  let r;
  try {
    r = await ringExtension(s, ext, { number: xExt?.ext ?? '', name: xExt?.name ?? '' }, { watch: x, ringbackTo: x });
  } catch (e) {
    if (!(e instanceof Hangup) || e.chan !== x.chan) throw e;
    // The transferring phone hung up while the target rang: a blind transfer.
    return blind(s, x, y, ext.ext);
  }
  if (r.outcome !== 'answered') {
    await s.ctx.engine.tone(x.chan, 'busy').catch(() => {});
    await waitFlashOrHangup(s, x, y);
    await s.ctx.engine.stopTone(x.chan).catch(() => {});
    await unhold(s, y);
    return [x, y];
  }
  const z = r.leg;
  await s.ctx.engine.bridge(x.chan, z.chan);
  s.journey.log('ConsultationStarted', s.ctx.engineMs(), { chans: [x.chan, z.chan] });
  try {
    const ev = await Promise.race([x.wait((e) => e.event === 'HookFlashed'), z.gone(), y.gone()]);
    if (ev) {
      // A flash while consulting: everyone into one conference.
      await s.ctx.engine.unbridge(x.chan).catch(() => {});
      await unhold(s, y);
      await threeWay(s, [x, y, z]);
      return null;
    }
  } catch (e) {
    if (!(e instanceof Hangup)) throw e;
    if (e.chan === x.chan) {
      await unhold(s, y);
      await completeTransfer(s, x, y, z, 'attended', ext.ext);
      return [y, z];
    }
    if (e.chan === z.chan) {
      await unhold(s, y);
      return [x, y];
    }
    throw e;
  }
  return null;
}

// A queue's number dialed after a flash: the held party goes to that queue
// (a blind transfer) once this phone's part is done.
async function toQueue(s: CallSession, x: Leg, y: Leg, queue: string): Promise<null> {
  await s.ctx.engine.stopTone(x.chan).catch(() => {});
  s.journey.log('TransferredToQueue', s.ctx.engineMs(), { from: x.chan, queue });
  s.next = { type: 'queue', queue };
  if (s.caller === x) s.caller = y;
  if (s.firstHangup && x.hungUp) s.firstHangup = null;
  await unhold(s, y);
  await x.release();
  return null;
}

async function completeTransfer(s: CallSession, x: Leg, y: Leg, z: Leg, kind: 'blind' | 'attended', ext: string): Promise<void> {
  s.journey.log('CallTransferred', s.ctx.engineMs(), { kind, from: x.chan, to: ext, chan: z.chan });
  s.journey.set({ extension: ext });
  // The phone that handed the call on hung up: that is not the call ending,
  // and its port is free for its next call.
  if (s.firstHangup && x.hungUp) s.firstHangup = null;
  if (s.caller === x) s.caller = y;
  await x.release();
}

async function blind(s: CallSession, x: Leg, y: Leg, extNo: string): Promise<[Leg, Leg] | null> {
  const ext = s.ctx.config.extension(extNo)!;
  await s.ctx.engine.stopPlay(y.chan).catch(() => {});
  if (s.firstHangup && x.hungUp) s.firstHangup = null;
  if (s.caller === x) s.caller = y;
  // The phone that transferred hung up: its port is free for its next call.
  await x.release();
  const from = s.callerNumber ? { number: s.callerNumber, name: s.callerName } : { number: '', name: '' };
  const r = await ringExtension(s, ext, from, { watch: y, ringbackTo: y });
  if (r.outcome !== 'answered') {
    s.journey.log('TransferFailed', s.ctx.engineMs(), { to: extNo, outcome: r.outcome });
    // Nobody is left to take the caller back: the target's voicemail, if any.
    if (mailbox(s.ctx, extNo)) await leaveVoicemail(s, extNo);
    return null;
  }
  s.journey.log('CallTransferred', s.ctx.engineMs(), { kind: 'blind', from: x.chan, to: extNo, chan: r.leg.chan });
  s.journey.set({ extension: extNo });
  return [y, r.leg];
}

async function waitFlashOrHangup(s: CallSession, x: Leg, y: Leg): Promise<void> {
  await Promise.race([x.wait((e) => e.event === 'HookFlashed'), y.gone()]);
}

async function threeWay(s: CallSession, legs: Leg[]): Promise<void> {
  let conf = 1;
  while (conferencesInUse.has(conf) && conf < 63) conf++;
  conferencesInUse.add(conf);
  try {
  for (const l of legs) await s.ctx.engine.confJoin(l.chan, conf);
  s.journey.log('ConferenceStarted', s.ctx.engineMs(), { conference: conf, chans: legs.map((l) => l.chan) });
  // The conference lasts while two or more remain; whoever leaves last but
  // one ends the call.
  let left = [...legs];
  let last = { who: 'caller', cause: 'normal' };
  while (left.length > 1) {
    try {
      await Promise.race(left.map((l) => l.gone()));
    } catch (e) {
      if (!(e instanceof Hangup)) throw e;
      const gone = left.find((l) => l.chan === e.chan);
      left = left.filter((l) => l !== gone);
      if (gone) await gone.release();
      last = { who: gone === s.caller ? 'caller' : 'callee', cause: e.cause };
      if (s.firstHangup) s.firstHangup = null;
    }
  }
  for (const l of left) await s.ctx.engine.confLeave(l.chan).catch(() => {});
  s.firstHangup = last;
  } finally {
    conferencesInUse.delete(conf);
  }
}

// Engine conference numbers held by three-way calls on this supervisor.
const conferencesInUse = new Set<number>();

async function park(s: CallSession, x: Leg, y: Leg): Promise<[Leg, Leg] | null> {
  const parked = s.ctx.parking.park(s.journey.id, y);
  if (!parked) {
    const { first, count } = s.ctx.config.settings.park;
    s.journey.log('ParkRefused', s.ctx.engineMs(), { why: 'park lot full', first, count });
    await s.ctx.engine.tone(x.chan, 'congestion').catch(() => {});
    await waitFlashOrHangup(s, x, y);
    await unhold(s, y);
    return [x, y];
  }
  const parker = s.ctx.config.extensionByPort(x.chan);
  s.journey.log('CallParked', s.ctx.engineMs(), { slot: parked.slot, by: parker?.ext ?? x.chan });
  s.journey.tag('parked');
  // Tell the parker the slot, then let them go.
  await x.play([s.ctx.prompt('parked_at', s.lang), ...String(parked.slot).split('').map((d) => s.ctx.prompt(`digit_${d}`, s.lang))]).catch(() => {});
  if (s.caller === x) s.caller = y;
  await x.release();
  if (s.firstHangup) s.firstHangup = null;
  const timeout = s.ctx.timers.after(s.ctx.config.settings.park.timeoutSec * 1000);
  try {
    const picker = await Promise.race([parked.picked, timeout.promise.then(() => null), y.gone()]);
    if (picker) {
      await unhold(s, y);
      s.adopt(picker);
      s.journey.log('ParkedCallPickedUp', s.ctx.engineMs(), { slot: parked.slot, chan: picker.chan });
      return [y, picker];
    }
  } finally {
    timeout.cancel();
    s.ctx.parking.leave(parked.slot);
  }
  // Nobody came: ring the parker back.
  s.journey.log('ParkTimedOut', s.ctx.engineMs(), { slot: parked.slot });
  if (!parker) return null;
  await unhold(s, y);
  return recall(s, y, parker);
}

// The held party goes back to the extension that left it (a park that timed
// out, a transfer abandoned half-dialed): its phone rings; unanswered, the
// caller can leave that extension a message.
async function recall(s: CallSession, y: Leg, ext: Extension): Promise<[Leg, Leg] | null> {
  s.journey.log('CallRecalled', s.ctx.engineMs(), { ext: ext.ext });
  const r = await ringExtension(s, ext, { number: s.callerNumber, name: s.callerName }, { watch: y, ringbackTo: y });
  if (r.outcome === 'answered') return [y, r.leg];
  if (mailbox(s.ctx, ext.ext)) await leaveVoicemail(s, ext.ext);
  return null;
}
