// Which call holds each engine channel, and what the phone on an FXS port is
// doing. A port is claimed by one leg at a time.
import type { ChannelInfo } from '../telephony/protocol.js';
import type { Leg } from './leg.js';

export interface Port {
  info: ChannelInfo;
  leg: Leg | null;
  offhook: boolean;        // FXS: the phone's hook switch
  // R2: who blocks the circuit (CircuitBlocked/Unblocked); a blocked one is never hunted.
  blocked: 'near' | 'far' | null;
  // The journey that last held the port: an R2 call's trace arrives after the line is idle.
  journey: string | null;
}

export class PortTable {
  private ports = new Map<number, Port>();

  load(channels: ChannelInfo[], offhook: (chan: number) => boolean, sigState: (chan: number) => string | undefined = () => undefined): void {
    for (const c of channels) {
      const prev = this.ports.get(c.chan);
      const sig = sigState(c.chan);
      const blocked = sig === 'blocked-local' ? 'near' : sig === 'blocked-remote' ? 'far' : null;
      this.ports.set(c.chan, { info: c, leg: prev?.leg ?? null, offhook: offhook(c.chan), blocked, journey: prev?.journey ?? null });
    }
  }

  get(chan: number): Port | undefined { return this.ports.get(chan); }

  all(): Port[] { return [...this.ports.values()]; }

  isFree(chan: number): boolean {
    const p = this.ports.get(chan);
    return !!p && !p.leg && !p.offhook && p.info.kind !== 'dchan' && p.info.kind !== 'none';
  }

  claim(chan: number, leg: Leg): boolean {
    const p = this.ports.get(chan);
    if (!p || p.leg) return false;
    p.leg = leg;
    // The line is free for the next call as soon as this one's far end is gone,
    // even while the call it belonged to is still winding down.
    const free = () => { if (p.leg === leg) p.leg = null; };
    leg.once('released', free);
    leg.once('hangup', free);
    return true;
  }

  // Gives a port to another leg object (a transfer hands a line over).
  owner(chan: number): Leg | null { return this.ports.get(chan)?.leg ?? null; }
}
