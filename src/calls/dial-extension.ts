// Ringing an extension's phone: caller ID on the ring, ringback to a caller
// who is already answered, the ring timeout in engine time, and what happens
// when the phone is busy, on do-not-disturb or unanswered (forwarding, then
// voicemail, then busy tone).
import type { CallSession } from './session.js';
import { Leg } from './leg.js';
import type { Extension } from '../config/schemas.js';
import { canWait, type WaitingCall } from './call-waiting.js';

export type RingResult =
  | { outcome: 'answered'; leg: Leg }
  | { outcome: 'busy' | 'no-answer' | 'unavailable' | 'dnd' };

// Caller ID a phone can show: digits only, the name cut to 20 bytes.
export function phoneCallerId(number: string, name: string): { number: string; name: string } {
  const digits = number.replace(/[^0-9]/g, '').slice(0, 20);
  let n = name.replace(/[\u0000-\u001f\u007f]/g, '');
  while (Buffer.byteLength(n) > 20) n = n.slice(0, -1);
  return { number: digits, name: n };
}

export interface RingOptions {
  ringSec?: number;
  watch?: Leg;          // whose hang-up abandons the ring (default: the caller)
  ringbackTo?: Leg;     // who hears ringback while the phone rings (default: the caller, once answered)
}

export async function ringExtension(s: CallSession, ext: Extension, from: { number: string; name: string }, opts: RingOptions = {}): Promise<RingResult> {
  const ringSec = opts.ringSec ?? ext.ringSec;
  const watch = opts.watch ?? s.caller;
  if (ext.dnd) return { outcome: 'dnd' };
  if (ext.port === undefined) return { outcome: 'unavailable' };
  const leg = s.claim(ext.port);
  if (!leg) {
    if (ext.callWaiting && canWait(s.ctx, ext.port)) return waitOnBusyPhone(s, ext, from, ringSec, watch, opts.ringbackTo);
    return { outcome: 'busy' };
  }
  const cid = phoneCallerId(from.number, from.name);
  const since = leg.mark();
  try {
    await s.ctx.engine.ring(ext.port, { number: cid.number, name: cid.name, callerId: 'bell202' });
  } catch (e) {
    await leg.release();
    return { outcome: 'busy' };
  }
  s.journey.log('ExtensionRinging', s.ctx.engineMs(), { ext: ext.ext, chan: ext.port });
  const ringback = opts.ringbackTo ?? (s.caller.answered ? s.caller : undefined);
  if (ringback) await s.ctx.engine.tone(ringback.chan, 'ringback').catch(() => {});
  let pickedUp: ((l: Leg) => void) | undefined;
  const pickup = new Promise<Leg>((r) => { pickedUp = r; });
  s.ctx.ringing.set(ext.port, { ext: ext.ext, group: ext.pickupGroup, pickup: (l) => pickedUp!(l) });
  try {
    const answered = await Promise.race([
      leg.wait((e) => e.event === 'ChannelAnswered', ringSec * 1000, since),
      pickup,
      watch.gone(),
    ]);
    if (answered instanceof Leg) {
      // Another phone picked the call up: this one stops ringing.
      await s.ctx.engine.stopRing(ext.port).catch(() => {});
      await leg.release();
      s.adopt(answered);
      s.journey.log('CallPickedUpBy', s.ctx.engineMs(), { ext: ext.ext, chan: answered.chan });
      return { outcome: 'answered', leg: answered };
    }
    if (!answered) {
      await s.ctx.engine.stopRing(ext.port).catch(() => {});
      await leg.release();
      s.journey.log('ExtensionNoAnswer', s.ctx.engineMs(), { ext: ext.ext });
      return { outcome: 'no-answer' };
    }
    s.journey.log('ExtensionAnswered', s.ctx.engineMs(), { ext: ext.ext, chan: ext.port });
    return { outcome: 'answered', leg };
  } catch (e) {
    if (!leg.hungUp) await s.ctx.engine.stopRing(ext.port).catch(() => {});
    await leg.release();
    throw e;
  } finally {
    s.ctx.ringing.delete(ext.port);
    if (ringback && !ringback.hungUp) await s.ctx.engine.stopTone(ringback.chan).catch(() => {});
  }
}

// The phone is in another call: alert it (call-waiting tone and caller ID) and
// wait for its user to flash over to this call.
async function waitOnBusyPhone(s: CallSession, ext: Extension, from: { number: string; name: string }, ringSec: number, watch: Leg, ringbackTo?: Leg): Promise<RingResult> {
  const port = ext.port!;
  const { ctx } = s;
  let taken!: (phone: Leg) => void;
  const lent = new Promise<Leg>((r) => { taken = r; });
  const call: WaitingCall = { journey: s.journey.id, lend: (phone) => lendPhone(s, phone, () => taken(phone)) };
  if (!ctx.waitingCalls.offer(port, call)) return { outcome: 'busy' };
  const cid = phoneCallerId(from.number, from.name);
  await ctx.engine.request('callWaiting', port, { number: cid.number, name: cid.name }).catch(() => {});
  s.journey.log('CallWaitingOffered', ctx.engineMs(), { ext: ext.ext, chan: port });
  const ringback = ringbackTo ?? (s.caller.answered ? s.caller : undefined);
  if (ringback) await ctx.engine.tone(ringback.chan, 'ringback').catch(() => {});
  const timer = ctx.timers.after(ringSec * 1000);
  try {
    const phone = await Promise.race([lent, timer.promise.then(() => null), watch.gone()]);
    if (!phone) {
      s.journey.log('ExtensionNoAnswer', ctx.engineMs(), { ext: ext.ext, callWaiting: true });
      return { outcome: 'no-answer' };
    }
    s.journey.log('ExtensionAnswered', ctx.engineMs(), { ext: ext.ext, chan: port, callWaiting: true });
    return { outcome: 'answered', leg: phone };
  } finally {
    timer.cancel();
    ctx.waitingCalls.withdraw(port, call);
    if (ringback && !ringback.hungUp) await ctx.engine.stopTone(ringback.chan).catch(() => {});
  }
}

// The phone joins this call on loan; resolves when this call gives it back
// (its caller hung up, or the phone flashed back to its first call).
export function lendPhone(s: CallSession, phone: Leg, onLent: () => void): Promise<void> {
  s.adopt(phone, true);
  const back = new Promise<void>((r) => phone.once('returned', () => r()));
  // The lending call may end while the phone is here: then the phone is ours.
  phone.once('given', () => { s.borrowed.delete(phone); });
  onLent();
  return back;
}
