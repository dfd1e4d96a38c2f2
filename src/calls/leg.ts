// One engine channel taking part in a call. It receives that channel's events
// from the call manager, buffers digits, and turns "wait for X" into promises
// that reject with Hangup as soon as the far end goes away, so call tasks can
// be written as plain sequential code.
import { EventEmitter } from 'node:events';
import type { EngineClient } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';
import type { EngineTimers } from './timers.js';

export class Hangup extends Error {
  constructor(readonly chan: number, readonly side: string, override readonly cause: string) {
    super(`channel ${chan} hung up (${side}, ${cause})`);
    this.name = 'Hangup';
  }
}

interface Waiter { match: (e: EngineEvent) => boolean; resolve: (e: EngineEvent) => void; reject: (err: Error) => void }

export type LegKind = 'fxo' | 'fxs' | 'e1';

// The leg kind of an engine channel kind (E1 timeslots of any signalling are 'e1').
export function legKindOf(channelKind: string): LegKind | null {
  if (channelKind === 'fxo' || channelKind === 'fxs') return channelKind;
  return channelKind.startsWith('e1') ? 'e1' : null;
}

export class Leg extends EventEmitter {
  hungUp: Hangup | null = null;
  released = false;
  // Set when a call session (or a parked call) took this leg over from the
  // flow that created it, which must then not release it.
  handedOver = false;
  // In a two-party conversation (talk.ts), where a hook flash means something.
  talking = false;
  answered = false;
  private digitBuf: string[] = [];
  // Recent events, so a step that sent a command can still see an event that
  // arrived while it was awaiting the command's result (see mark()).
  private recent: EngineEvent[] = [];
  private waiters = new Set<Waiter>();

  // A line facing the exchange (an FXO line or an E1 timeslot), not a phone.
  get trunk(): boolean { return this.kind === 'fxo' || this.kind === 'e1'; }

  constructor(readonly chan: number, readonly kind: LegKind, private engine: EngineClient, private timers: EngineTimers) {
    super();
    this.setMaxListeners(50);
  }

  onEvent(e: EngineEvent): void {
    if (e.event === 'DtmfReceived' || e.event === 'PulseDigitReceived') this.digitBuf.push(e.digit as string);
    if (e.event === 'ChannelAnswered') this.answered = true;
    if (e.seq > 0) {   // engine events only; the call layer's own pokes carry seq 0
      this.recent.push(e);
      if (this.recent.length > 64) this.recent.shift();
    }
    for (const w of [...this.waiters]) if (w.match(e)) { this.waiters.delete(w); w.resolve(e); }
    this.emit('event', e);
    // A caller who gives up before we answer an exchange line shows as
    // CallCancelled; a phone put down while dialing only as HookChanged.
    const gone = e.event === 'ChannelHungUp' || e.event === 'CallCancelled' || (e.event === 'HookChanged' && e.offhook === false);
    if (gone && !this.hungUp) {
      this.hungUp = e.event === 'ChannelHungUp' ? new Hangup(this.chan, e.side as string, e.cause as string)
        : new Hangup(this.chan, 'far', e.event === 'CallCancelled' ? 'cancelled' : 'onhook');
      for (const w of [...this.waiters]) { this.waiters.delete(w); w.reject(this.hungUp); }
      this.emit('hangup', this.hungUp);
    }
  }

  // Resolves never; rejects with Hangup when this leg goes away. Racing a
  // wait on another leg against it lets a step notice either side leaving.
  gone(): Promise<never> {
    this.goneP ??= new Promise<never>((_, reject) => {
      if (this.hungUp) { reject(this.hungUp); return; }
      this.once('hangup', reject);
      this.once('released', () => reject(this.hungUp ?? new Hangup(this.chan, 'near', 'normal')));
    });
    this.goneP.catch(() => {});
    return this.goneP;
  }
  private goneP: Promise<never> | undefined;

  // Throws Hangup if the channel is already gone.
  check(): void {
    if (this.hungUp) throw this.hungUp;
  }

  // The position to pass to wait() as `since` before sending a command whose
  // outcome is an event.
  mark(): number {
    return this.recent.at(-1)?.seq ?? 0;
  }

  // Whether a matching event arrived after `since`.
  seen(match: (e: EngineEvent) => boolean, since: number): boolean {
    return this.recent.some((e) => e.seq > since && match(e));
  }

  // Waits for an event (one already received after `since` counts); resolves
  // null after timeoutMs of engine time.
  async wait(match: (e: EngineEvent) => boolean, timeoutMs?: number, since?: number): Promise<EngineEvent | null> {
    if (since !== undefined) {
      const seen = this.recent.find((e) => e.seq > since && match(e));
      if (seen) return seen;
    }
    this.check();
    let w!: Waiter;
    const ev = new Promise<EngineEvent>((resolve, reject) => { w = { match, resolve, reject }; this.waiters.add(w); });
    if (timeoutMs === undefined) return ev;
    const t = this.timers.after(timeoutMs);
    try {
      return await Promise.race([ev, t.promise.then(() => null)]);
    } finally {
      t.cancel();
      this.waiters.delete(w);
    }
  }

  takeDigits(): string {
    const s = this.digitBuf.join('');
    this.digitBuf = [];
    return s;
  }

  clearDigits(): void { this.digitBuf = []; }

  // The next digit (buffered first), or null after timeoutMs.
  async nextDigit(timeoutMs: number): Promise<string | null> {
    this.check();
    const d = this.digitBuf.shift();
    if (d !== undefined) return d;
    const e = await this.wait((x) => x.event === 'DtmfReceived' || x.event === 'PulseDigitReceived', timeoutMs);
    if (!e) return null;
    this.digitBuf.shift();
    return e.digit as string;
  }

  // Collects up to max digits; stops at the terminator, a first-digit timeout
  // or an inter-digit timeout.
  async collect(opts: { max: number; firstMs: number; interMs: number; terminator?: string }): Promise<string> {
    let s = '';
    while (s.length < opts.max) {
      const d = await this.nextDigit(s ? opts.interMs : opts.firstMs);
      if (d === null) break;
      if (opts.terminator && d === opts.terminator) break;
      s += d;
    }
    return s;
  }

  // Plays prompts to the end; with interruptible, a digit stops the playback
  // (the digit stays buffered). Resolves with why it ended.
  async play(files: string[], opts: { interruptible?: boolean; loop?: boolean } = {}): Promise<'done' | 'digit'> {
    this.check();
    if (opts.interruptible && this.digitBuf.length) return 'digit';
    const since = this.mark();
    const id = await this.engine.play(this.chan, files, { loop: opts.loop });
    if (opts.loop) return 'done';
    const e = await this.wait((x) => x.event === 'PlaybackFinished' && x.playbackId === id
      || (!!opts.interruptible && (x.event === 'DtmfReceived' || x.event === 'PulseDigitReceived')), undefined, since);
    if (e && e.event !== 'PlaybackFinished') {
      await this.engine.stopPlay(this.chan).catch(() => {});
      return 'digit';
    }
    return 'done';
  }

  async pause(ms: number): Promise<void> {
    this.check();
    await this.wait(() => false, ms);
  }

  // Ends this leg's part in the call (idempotent; errors from a channel the
  // engine already cleared are expected and ignored).
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    for (const w of [...this.waiters]) { this.waiters.delete(w); w.reject(this.hungUp ?? new Hangup(this.chan, 'near', 'normal')); }
    if (!this.hungUp) await this.engine.hangup(this.chan).catch(() => {});
    this.emit('released');
  }
}
