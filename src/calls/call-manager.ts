// The call manager: the supervisor's end of the engine. It keeps the port
// table, hands each channel's events to the leg that holds it, starts a call
// flow when an idle line rings or an idle phone is lifted, applies trunk line
// settings, and at boot settles what a previous supervisor left: calls still
// bridged in the engine are adopted, others are closed as interrupted.
import type { EngineClient } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';
import type { CallContext } from './context.js';
import { Leg, legKindOf, type LegKind } from './leg.js';
import { enqueue } from '../acd/queue-call.js';
import { goTo } from './destinations.js';
import type { Cdr } from '../store/cdr-repo.js';
import { inboundCall } from './inbound.js';
import { phoneOffhook } from './phone.js';
import { Journey } from './journey.js';
import { CallSession } from './session.js';
import { talk } from './talk.js';
import { R2Watch } from './r2-watch.js';
import { ss7LinkValues } from '../config/span-schema.js';

export class CallManager {
  private active = new Set<Promise<void>>();
  private started = false;
  private r2: R2Watch;
  // What each SS7 span's link was last configured with (a reapply is a no-op).
  private ss7Applied = new Map<number, string>();

  constructor(private ctx: CallContext) { this.r2 = new R2Watch(ctx); }

  get engine(): EngineClient { return this.ctx.engine; }

  async start(): Promise<void> {
    const { engine } = this.ctx;
    const load = () => this.ctx.ports.load(engine.channels, (c) => engine.states.get(c)?.offhook === true && engine.channels.find((x) => x.chan === c)?.kind === 'fxs',
      (c) => engine.states.get(c)?.sigState);
    load();
    // A state dump comes with every (re)connection: the engine may have
    // restarted and forgotten its SS7 links (settings the engine already has
    // are a no-op there).
    engine.on('state', () => { load(); this.ss7Applied.clear(); if (this.started) void this.applyLines(); });
    engine.on('event', (e: EngineEvent) => this.onEvent(e));
    this.ctx.config.on('changed', ({ kind }: { kind: string }) => { if (kind === 'trunk' || kind === 'span' || kind === '*') void this.applyLines(); });
    await this.applyLines();
    await this.recover();
    this.started = true;
  }

  // Trunk settings the engine needs per line: caller-ID standard, disconnect
  // methods, R2 knobs; and each SS7 span's link settings on its D-channel.
  // One pass at a time, each on the port table as it is when the pass starts
  // (a span re-laid mid-pass gets the next pass's settings, not stale ones).
  private applying: Promise<void> = Promise.resolve();
  applyLines(): Promise<void> {
    this.applying = this.applying.then(() => this.applyLinesNow()).catch((e: Error) => { this.ctx.log.warn('line settings pass failed', { error: e.message }); });
    return this.applying;
  }

  private async applyLinesNow(): Promise<void> {
    for (const sp of this.ctx.config.list('span')) {
      if (sp.signalling !== 'ss7' || !sp.ss7) continue;
      const d = this.ctx.ports.all().find((p) => p.info.kind === 'dchan' && p.info.span === sp.span);
      if (!d) { this.ctx.log.warn('SS7 settings for a span without a signalling channel', { span: sp.span }); continue; }
      const args = ss7LinkValues(sp.ss7);
      const key = JSON.stringify(args);
      if (this.ss7Applied.get(sp.span) === key) continue;
      await this.ctx.engine.request('setSs7', d.info.chan, args).then(() => this.ss7Applied.set(sp.span, key), (e: Error) => {
        this.ctx.log.warn('SS7 settings refused', { span: sp.span, error: e.message });
      });
    }
    for (const t of this.ctx.config.trunks()) {
      for (const chan of t.ports) {
        const port = this.ctx.ports.get(chan);
        if (port?.info.kind === 'e1-r2') {
          // The span's R2 settings, else the trunk's (older configurations), else China defaults.
          const sp = this.ctx.config.doc('span', String(port.info.span))?.r2;
          const r2 = sp ?? t.r2 ?? { variant: 'china', dnisDigits: 0, askAni: 'after-dnis' };
          const extra = sp ? {
            aniDigits: sp.aniDigits, autoAcceptMs: Math.min(sp.acceptAfterMs, 10000), immediateAccept: sp.immediateAccept,
            skipCategory: sp.skipCategory, doubleAnswer: sp.doubleAnswer, dtmfDialing: sp.dtmfDialing, dtmfDetection: sp.dtmfDetection,
          } : {};
          await this.ctx.engine.request('setR2', chan, { variant: r2.variant, dnisDigits: r2.dnisDigits, askAni: r2.askAni, ...extra }).catch((e: Error) => {
            this.ctx.log.warn('R2 settings refused', { chan, error: e.message });
          });
          continue;
        }
        if (this.ctx.ports.get(chan)?.info.kind !== 'fxo') continue;
        await this.ctx.engine.setLine(chan, { callerId: t.callerId, disconnect: t.disconnect }).catch((e: Error) => {
          this.ctx.log.warn('line settings refused', { chan, error: e.message });
        });
      }
    }
  }

  private onEvent(e: EngineEvent): void {
    if (e.event === 'RecordingFinished') {
      this.ctx.store.recordings.finish(e.path as string, (e.durationMs as number) ?? 0);
      return;
    }
    if (e.chan === undefined) return;
    const port = this.ctx.ports.get(e.chan);
    if (!port) return;
    if (port.info.kind === 'fxs' && e.event === 'HookChanged') port.offhook = e.offhook === true;
    if (port.info.kind === 'e1-r2' || port.info.kind === 'e1') this.r2.onEvent(port, e);
    // A phone answering its ring is off-hook too (the engine reports it as the answer).
    if (port.info.kind === 'fxs' && e.event === 'ChannelAnswered' && e.by === 'phone') port.offhook = true;
    if (port.leg) { port.leg.onEvent(e); return; }
    if (!this.started) return;
    if (port.info.kind === 'fxo' && (e.event === 'RingStarted' || e.event === 'CallOffered')) {
      this.spawn(port.info.chan, 'fxo', (leg) => inboundCall(this.ctx, leg, e));
    } else if ((port.info.kind === 'e1-r2' || port.info.kind === 'e1') && e.event === 'CallOffered') {
      this.spawn(port.info.chan, 'e1', (leg) => inboundCall(this.ctx, leg, e));
    } else if (port.info.kind === 'fxs' && e.event === 'HookChanged' && e.offhook === true) {
      this.spawn(port.info.chan, 'fxs', (leg) => phoneOffhook(this.ctx, leg));
    }
  }

  private spawn(chan: number, kind: LegKind, flow: (leg: Leg) => Promise<void>): void {
    const leg = new Leg(chan, kind, this.ctx.engine, this.ctx.timers);
    if (!this.ctx.ports.claim(chan, leg)) return;
    const p = flow(leg).catch((err: Error) => this.ctx.log.error('call flow failed', { chan, error: err.message, stack: err.stack }))
      .finally(() => { this.active.delete(p); if (!leg.handedOver && !leg.released) void leg.release(); });
    this.active.add(p);
  }

  // Calls in progress (for tests and shutdown).
  get activeCalls(): number { return this.active.size; }

  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  // Open CDR rows from before this start: a call whose two legs are still
  // bridged in the engine goes on under this supervisor; any other is closed
  // as interrupted, and its recordings are marked so.
  private async recover(): Promise<void> {
    const { store, engine } = this.ctx;
    for (const cdr of store.cdr.openRows()) {
      const [a, b] = cdr.legs;
      const sa = a !== undefined ? engine.states.get(a) : undefined;
      const bridged = sa && b !== undefined && sa.bridgedTo === b && sa.state === 'up';
      if (bridged && !this.ctx.ports.owner(a!) && !this.ctx.ports.owner(b!)) {
        this.adopt(cdr.journey, a!, b!);
        continue;
      }
      if (this.waitingInQueue(cdr)) continue;
      const at = this.ctx.now();
      store.cdr.update(cdr.journey, { disposition: 'interrupted', endedAt: at.toISOString(), hangupSide: 'system', hangupCause: 'supervisor-restart', legs: [] });
      store.journal.append('call', 'CallInterrupted', { journey: cdr.journey, data: { legs: cdr.legs }, at });
      for (const chan of cdr.legs) {
        const st = engine.states.get(chan);
        if (st && st.state !== 'idle') await engine.hangup(chan).catch(() => {});
      }
    }
    // A phone lifted while no supervisor ran is still waiting to dial.
    for (const p of this.ctx.ports.all()) {
      const st = engine.states.get(p.info.chan);
      if (p.info.kind === 'fxs' && !p.leg && st && (st.state === 'dialtone' || st.state === 'dialing')) {
        this.spawn(p.info.chan, 'fxs', (leg) => phoneOffhook(this.ctx, leg));
      }
    }
    for (const r of store.recordings.unfinished()) {
      const live = [...engine.states.values()].some((s) => s.recording > 0 && s.chan === r.channel);
      if (!live) store.recordings.finish(r.path, r.durationMs ?? 0, 'interrupted');
    }
    store.flush();
  }

  // Callers waiting in a queue when the previous supervisor stopped: their
  // line is up (hearing music), the journal's last queue event leaves them
  // waiting. They take their place again once the ACD is running.
  private resumable: Array<{ journey: string; chan: number; queue: string; joinedMs: number; priority: number; skills: Record<string, number> }> = [];

  private waitingInQueue(cdr: Cdr): boolean {
    const [chan] = cdr.legs;
    if (cdr.legs.length !== 1 || chan === undefined || this.ctx.engine.states.get(chan)?.state !== 'up') return false;
    const q = this.ctx.store.journal.forJourney(cdr.journey).filter((e) => e.kind === 'queue' && e.event !== 'QueueAnnounced' && e.event !== 'QueueOfferMissed' && e.event !== 'QueueOffered');
    const last = q.at(-1);
    const joined = q.filter((e) => e.event === 'QueueJoined').at(-1);
    if (!last || !joined || (last.event !== 'QueueJoined' && last.event !== 'QueueResumed') || joined.engineMs === null) return false;
    const d = joined.data as { queue: string; priority?: number; skills?: Record<string, number> };
    this.resumable.push({ journey: cdr.journey, chan, queue: d.queue, joinedMs: joined.engineMs, priority: d.priority ?? 0, skills: d.skills ?? {} });
    return true;
  }

  // After the ACD has started: the waiting callers back into their queues.
  resumeQueued(): void {
    for (const r of this.resumable.splice(0)) {
      const cdr = this.ctx.store.cdr.get(r.journey);
      const kind = legKindOf(this.ctx.ports.get(r.chan)?.info.kind ?? '');
      if (!cdr || !kind) continue;
      const leg = new Leg(r.chan, kind, this.ctx.engine, this.ctx.timers);
      if (!this.ctx.ports.claim(r.chan, leg)) continue;
      leg.answered = true;
      const journey = Journey.adopt(this.ctx.store, cdr, this.ctx.now);
      const s = new CallSession(this.ctx, journey, leg, cdr.caller, cdr.callerName);
      s.priority = r.priority;
      s.skills = r.skills;
      const p = s.run(async () => {
        const then = await enqueue(s, r.queue, { joinedMs: r.joinedMs });
        if (then) await goTo(s, then);
      }).finally(() => this.active.delete(p));
      this.active.add(p);
    }
  }

  private adopt(journeyId: string, a: number, b: number): void {
    const cdr = this.ctx.store.cdr.get(journeyId)!;
    const kindOf = (c: number) => (this.ctx.ports.get(c)?.info.kind ?? 'fxs') as 'fxo' | 'fxs';
    const legA = new Leg(a, kindOf(a), this.ctx.engine, this.ctx.timers);
    const legB = new Leg(b, kindOf(b), this.ctx.engine, this.ctx.timers);
    if (!this.ctx.ports.claim(a, legA) || !this.ctx.ports.claim(b, legB)) return;
    legA.answered = legB.answered = true;
    const journey = Journey.adopt(this.ctx.store, cdr, this.ctx.now);
    journey.log('CallAdopted', this.ctx.engineMs(), { legs: [a, b] });
    const s = new CallSession(this.ctx, journey, legA, cdr.caller, cdr.callerName);
    const st = this.ctx.engine.states.get(a);
    if (st?.recording) s.recording = { chan: a, path: '', id: st.recording, paused: false };
    const p = s.run(() => talk(s, legA, legB, { bridged: true })).finally(() => this.active.delete(p));
    this.active.add(p);
  }
}
