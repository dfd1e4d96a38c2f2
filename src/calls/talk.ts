// Two parties talking. The phones among them can use in-call features: *8
// starts or stops an on-demand recording, *9 pauses it, and a hook flash
// starts a transfer (see transfer.ts). Returns when the call is over.
import type { CallSession } from './session.js';
import type { EngineEvent } from '../telephony/protocol.js';
import { toggleRecording, togglePause } from './recording.js';
import { flashTransfer } from './transfer.js';
import { featureCode } from './feature-codes.js';
import { hold, unhold } from './transfer.js';
import type { WaitingCall } from './call-waiting.js';
import { lendPhone } from './dial-extension.js';
import { Hangup, Leg } from './leg.js';

export async function talk(s: CallSession, a: Leg, b: Leg, opts: { bridged?: boolean } = {}): Promise<void> {
  let pair: [Leg, Leg] | null = [a, b];
  let bridged = opts.bridged ?? false;
  while (pair) {
    const [x, y]: [Leg, Leg] = pair;
    // A flash while the bridge is being set up counts too.
    const since = Math.min(x.mark(), y.mark());
    if (!bridged) {
      await s.ctx.engine.bridge(x.chan, y.chan);
      s.journey.log('PartiesBridged', s.ctx.engineMs(), { chans: [x.chan, y.chan] });
    }
    bridged = false;
    const early: Leg | undefined = [x, y].find((l) => l.kind === 'fxs' && l.seen((e: EngineEvent) => e.event === 'HookFlashed', since));
    const got: Leg | Takeover = early ?? await untilFlash(s, x, y);
    await s.ctx.engine.unbridge(x.chan).catch(() => {});
    if (!(got instanceof Leg)) {
      const keep: Leg = got.replaces === x ? y : x;
      if (got.hold) {
        // Held from the panel: the other party hears music until resumed;
        // either side hanging up meanwhile ends the call as usual.
        await hold(s, keep);
        try {
          await Promise.race([got.hold, keep.gone(), got.replaces.gone()]);
        } finally { s.held = null; }
        await unhold(s, keep);
        pair = [x, y];
        continue;
      }
      if (!got.leg) {
        // The replaced leg hands the call on (s.next says where) and leaves.
        if (s.caller === got.replaces) s.caller = keep;
        await got.replaces.release();
        return;
      }
      // Someone took the call over: the leg replaced leaves, the new one talks.
      s.adopt(got.leg);
      s.journey.log('CallTakenOver', s.ctx.engineMs(), { from: got.replaces.chan, to: got.leg.chan });
      await got.replaces.release();
      pair = [keep, got.leg];
      continue;
    }
    const flasher: Leg = got;
    const other: Leg = flasher === x ? y : x;
    if (s.borrowed.has(flasher)) { pair = await giveBack(s, flasher, other); continue; }
    const waiting = flasher.kind === 'fxs' ? s.ctx.waitingCalls.get(flasher.chan) : undefined;
    pair = waiting ? await lendTo(s, flasher, other, waiting) : await flashTransfer(s, flasher, other);
  }
}

// Waits while two legs talk: handles digit features, returns the phone that
// flashed or a takeover, or throws Hangup when either side leaves.
interface Takeover { leg: Leg | null; replaces: Leg; hold?: Promise<void> }

function untilFlash(s: CallSession, x: Leg, y: Leg): Promise<Leg | Takeover> {
  return new Promise<Leg | Takeover>((resolve, reject) => {
    const typed = new Map<Leg, { digits: string; at: number }>();
    const listeners: [Leg, (e: EngineEvent) => void][] = [];
    x.talking = y.talking = true;
    const takeover = (leg: Leg | null, replaces: Leg, hold?: Promise<void>) => {
      if (replaces !== x && replaces !== y) return false;
      done();
      resolve({ leg, replaces, ...(hold ? { hold } : {}) });
      return true;
    };
    s.takeover = takeover;
    const done = () => {
      x.talking = y.talking = false;
      if (s.takeover === takeover) s.takeover = null;
      for (const [l, f] of listeners) l.off('event', f);
    };
    for (const leg of [x, y]) {
      if (leg.kind !== 'fxs') continue;
      leg.clearDigits();
      const f = (e: EngineEvent) => {
        if (e.event === 'HookFlashed') { done(); resolve(leg); return; }
        if (e.event !== 'DtmfReceived' && e.event !== 'PulseDigitReceived') return;
        leg.clearDigits();
        // Feature digits must come within 2 s of each other.
        const prev = typed.get(leg);
        const digits = (prev && e.time - prev.at < 2000 ? prev.digits : '') + String(e.digit);
        typed.set(leg, { digits: digits.slice(-4), at: e.time });
        const code = featureCode(s.ctx.config.settings, digits, ['record', 'recordPause']);
        if (code === 'record') { typed.delete(leg); void toggleRecording(s, s.caller === leg ? leg : (leg === x ? y : x)).catch(() => {}); }
        if (code === 'recordPause') { typed.delete(leg); void togglePause(s).catch(() => {}); }
      };
      leg.on('event', f);
      listeners.push([leg, f]);
    }
    Promise.race([x.gone(), y.gone()]).catch((err) => { done(); reject(err); });
  });
}

// The phone flashed to take a waiting call: its party here waits on hold until
// the other call gives the phone back.
async function lendTo(s: CallSession, phone: Leg, held: Leg, waiting: WaitingCall): Promise<[Leg, Leg]> {
  await hold(s, held);
  s.journey.log('CallWaitingSwapped', s.ctx.engineMs(), { phone: phone.chan, to: waiting.journey });
  try {
    await Promise.race([waiting.lend(phone), held.gone()]);
  } catch (e) {
    // Our party left while the phone was away: the other call keeps the phone.
    if (e instanceof Hangup && e.chan === held.chan) { s.legs.delete(phone); phone.emit('given'); }
    throw e;
  }
  await unhold(s, held);
  return [held, phone];
}

// A borrowed phone flashed: hold our caller, hand the phone back, and wait
// for it to flash over again.
async function giveBack(s: CallSession, phone: Leg, caller: Leg): Promise<[Leg, Leg]> {
  await hold(s, caller);
  let taken!: () => void;
  const again = new Promise<void>((r) => { taken = r; });
  const call: WaitingCall = { journey: s.journey.id, lend: (p) => lendPhone(s, p, taken) };
  s.ctx.waitingCalls.offer(phone.chan, call);
  s.borrowed.delete(phone);
  s.legs.delete(phone);
  s.journey.log('CallWaitingSwapped', s.ctx.engineMs(), { phone: phone.chan, back: true });
  phone.emit('returned');
  try {
    await Promise.race([again, caller.gone(), phone.gone()]);
  } finally {
    s.ctx.waitingCalls.withdraw(phone.chan, call);
  }
  await unhold(s, caller);
  return [caller, phone];
}
