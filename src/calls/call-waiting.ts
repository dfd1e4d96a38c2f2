// Call waiting on an analog phone that is in a call. The new caller's session
// alerts the phone (tone plus type-II caller ID) and waits; a hook flash on
// the busy phone puts its current party on hold and lends the phone to the
// waiting call. Each further flash swaps the phone between the two calls.
// Either call ends on its own: when the lent call's caller hangs up, the phone
// goes back to the held party.
//
// The phone's leg belongs to the call that had it first; the other call only
// borrows it and never hangs it up (see CallSession.borrowed).
import type { CallContext } from './context.js';
import type { Leg } from './leg.js';

export interface WaitingCall {
  journey: string;
  // Hands the phone to the waiting call; resolves when it gives the phone back.
  lend(phone: Leg): Promise<void>;
}

export class CallWaiting {
  private waiting = new Map<number, WaitingCall>();

  offer(chan: number, call: WaitingCall): boolean {
    if (this.waiting.has(chan)) return false;
    this.waiting.set(chan, call);
    return true;
  }

  get(chan: number): WaitingCall | undefined { return this.waiting.get(chan); }

  withdraw(chan: number, call: WaitingCall): void {
    if (this.waiting.get(chan) === call) this.waiting.delete(chan);
  }
}

// A busy phone can take a waiting call when it is talking in another call.
export function canWait(ctx: CallContext, chan: number): boolean {
  const leg = ctx.ports.owner(chan);
  return !!leg && leg.talking && !leg.hungUp && !ctx.waitingCalls.get(chan);
}
