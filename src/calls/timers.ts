// Timers in engine time: the engine fires them (TimerFired), so a call's
// timeouts keep pace with the sim board at any speed and with the real board.
import type { EngineClient } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';

export interface Timer { promise: Promise<void>; cancel(): void }

export class EngineTimers {
  private pending = new Map<number, () => void>();
  // A short timer can fire before its id reaches us; remember such ids briefly.
  private early = new Set<number>();

  constructor(private engine: EngineClient) {
    engine.on('event', (e: EngineEvent) => {
      if (e.event !== 'TimerFired') return;
      const t = e.timerId as number;
      const fire = this.pending.get(t);
      if (fire) { this.pending.delete(t); fire(); return; }
      this.early.add(t);
      if (this.early.size > 1000) this.early.delete(this.early.values().next().value as number);
    });
  }

  after(ms: number): Timer {
    let id = 0;
    let cancelled = false;
    let fire!: () => void;
    const promise = new Promise<void>((resolve) => { fire = resolve; });
    this.engine.timer(ms).then((t) => {
      if (cancelled) { void this.engine.cancelTimer(t).catch(() => {}); return; }
      id = t;
      if (this.early.delete(t)) { fire(); return; }
      this.pending.set(t, fire);
    }, () => { /* engine gone: the call ends through its hang-up path */ });
    return {
      promise,
      cancel: () => {
        cancelled = true;
        if (id && this.pending.delete(id)) void this.engine.cancelTimer(id).catch(() => {});
      },
    };
  }

  get size(): number { return this.pending.size; }
}
