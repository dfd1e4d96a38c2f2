// A call session: one journey, the caller's leg and whatever legs the call
// gathers on the way (an extension, a trunk line, a transfer target). Call
// steps are plain async functions over a session; a hang-up anywhere throws
// Hangup out of whatever step is waiting, and run() closes the call.
import type { CallContext } from './context.js';
import { Journey } from './journey.js';
import { Hangup, Leg, legKindOf } from './leg.js';
import type { Disposition } from '../store/cdr-repo.js';
import type { Logger } from '../log.js';
import type { Destination } from '../routing/destination.js';

export class CallSession {
  readonly legs = new Set<Leg>();
  // Legs lent by another call (a phone taking a waiting call): never hung up here.
  readonly borrowed = new Set<Leg>();
  log: Logger;
  lang: 'zh' | 'en';
  firstHangup: { who: string; cause: string } | null = null;
  disposition: Disposition | undefined;
  recordingMode: 'always' | 'never' | 'on-demand' | undefined;
  recording: { chan: number; path: string; id: number; paused: boolean } | null = null;
  route: string | null = null;
  // The caller was served by the IVR or an announcement.
  selfService = false;
  // Queue priority (a VIP jumps ahead) and skills the caller needs (an IVR choice can set them).
  priority = 0;
  skills: Record<string, number> = {};
  // Where the call goes once its current conversation is over (a transfer to a queue).
  next: Destination | null = null;
  // Set while two parties talk: hands the conversation from one leg to
  // another (a supervisor intercepting an agent's call), or with no new leg
  // ends the talk for `replaces` so the call goes on to `next` (a transfer
  // asked for from the panel). False if `replaces` is not in the conversation.
  // With `hold`, the conversation pauses instead: the other party hears music
  // until `hold` settles, then the two talk again (the agent's hold button).
  takeover: ((leg: Leg | null, replaces: Leg, hold?: Promise<void>) => boolean) | null = null;
  // Set while the panel holds the call: resume() ends the hold.
  held: { by: string; resume(): void } | null = null;

  // The party the call is about: the outside caller, or the phone that dialed.
  // A transfer hands the call on, so this can change.
  caller: Leg;

  constructor(readonly ctx: CallContext, readonly journey: Journey, caller: Leg, readonly callerNumber: string, readonly callerName: string) {
    this.caller = caller;
    this.log = ctx.log.child({ journey: journey.id });
    this.lang = ctx.config.settings.language;
    this.adopt(caller);
  }

  // Makes a leg part of this call: its hang-up is journaled and noted.
  adopt(leg: Leg, borrowed = false): void {
    if (borrowed) this.borrowed.add(leg);
    if (this.legs.has(leg)) return;
    this.legs.add(leg);
    this.journey.addLeg(leg.chan);
    const port = this.ctx.ports.get(leg.chan);
    if (port) port.journey = this.journey.id;
    leg.once('hangup', (h: Hangup) => {
      if (h.side === 'far' && !this.firstHangup) this.firstHangup = { who: leg === this.caller ? 'caller' : 'callee', cause: h.cause };
      this.journey.log('LegHungUp', this.ctx.engineMs(), { chan: leg.chan, side: h.side, cause: h.cause });
    });
    leg.once('released', () => { this.legs.delete(leg); this.borrowed.delete(leg); this.journey.dropLeg(leg.chan); });
  }

  // Claims a free port for this call; null if it is taken.
  claim(chan: number): Leg | null {
    const p = this.ctx.ports.get(chan);
    if (!p || !this.ctx.ports.isFree(chan)) return null;
    const kind = legKindOf(p.info.kind);
    if (!kind) return null;
    const leg = new Leg(chan, kind, this.ctx.engine, this.ctx.timers);
    if (!this.ctx.ports.claim(chan, leg)) return null;
    this.adopt(leg);
    return leg;
  }

  prompt(name: string): string { return this.ctx.prompt(name, this.lang); }

  // Answers the caller's line if nobody has yet (IVR, voicemail, tones).
  async answerCaller(): Promise<void> {
    this.caller.check();
    if (this.caller.answered) return;
    await this.ctx.engine.answer(this.caller.chan);
    this.caller.answered = true;
    this.journey.log('CallPickedUp', this.ctx.engineMs(), { chan: this.caller.chan });
  }

  async run(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      // A command refused because the caller just left is the hang-up, not a failure.
      if (!(e instanceof Hangup) && !this.caller.hungUp) {
        this.log.error('call step failed', { error: (e as Error).message, stack: (e as Error).stack });
        this.journey.log('CallFailed', this.ctx.engineMs(), { error: (e as Error).message });
        this.disposition ??= this.journey.isAnswered ? undefined : 'failed';
      }
    } finally {
      await this.finish();
    }
  }

  // Releases every leg still held and closes the CDR.
  async finish(): Promise<void> {
    // A supervisor that is stopping leaves its calls to the engine and the next start.
    if (this.journey.ended || this.ctx.stopping) return;
    await this.stopRecording();
    for (const leg of [...this.borrowed]) { this.legs.delete(leg); this.journey.dropLeg(leg.chan); leg.emit('returned'); }
    this.borrowed.clear();
    for (const leg of [...this.legs]) await releaseLeg(this.ctx, leg);
    const side = this.firstHangup?.who ?? 'system';
    const cause = this.firstHangup?.cause ?? 'normal';
    // Served without a person (IVR, announcement) and ended by the box: not abandoned.
    if (!this.disposition && !this.journey.isAnswered && side === 'system' && this.selfService) this.disposition = 'ivr';
    this.journey.end(this.ctx.engineMs(), { side, cause, disposition: this.disposition });
  }

  async stopRecording(): Promise<void> {
    if (!this.recording) return;
    const r = this.recording;
    this.recording = null;
    await this.ctx.engine.recordStop(r.chan).catch(() => {});
  }
}

// Hangs a leg up; a phone left off-hook hears busy tone until it is put down.
export async function releaseLeg(ctx: CallContext, leg: Leg): Promise<void> {
  const wasUp = !leg.hungUp;
  await leg.release();
  if (wasUp && leg.kind === 'fxs' && ctx.ports.get(leg.chan)?.offhook) await ctx.engine.tone(leg.chan, 'busy').catch(() => {});
}
