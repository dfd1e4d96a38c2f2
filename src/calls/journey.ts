// A call journey: one id across every leg of a call (transfer, park,
// voicemail, follow-me). It owns the call's CDR row and journals each step.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { Cdr, CdrOpen, Disposition } from '../store/cdr-repo.js';

export function newJourneyId(at = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}-${randomBytes(3).toString('hex')}`;
}

export class Journey {
  readonly id: string;
  ended = false;
  private startMs: number;
  private startWall: number;
  private answerMs: number | null = null;
  private recordings: number[] = [];
  private tags: string[] = [];
  private ivrPath: string[] = [];
  private legs = new Set<number>();
  disposition: Disposition = 'in_progress';

  constructor(private store: Store, init: Omit<CdrOpen, 'journey' | 'startedAt'> & { engineMs: number; id?: string }, private now: () => Date) {
    this.id = init.id ?? newJourneyId(now());
    this.startMs = init.engineMs;
    this.startWall = now().getTime();
    const { engineMs, id: _id, ...fields } = init;
    if (fields.legs) for (const l of fields.legs) this.legs.add(l);
    const startedAt = new Date(this.startWall).toISOString();
    store.cdr.open({ ...fields, journey: this.id, startedAt, startMs: engineMs });
    const { legs: _legs, ...opened } = fields;
    this.log('CallStarted', engineMs, { ...opened, startedAt });
  }

  // Re-attaches to a journey found open at boot whose call is still up in the engine.
  static adopt(store: Store, cdr: Cdr, now: () => Date): Journey {
    const j = Object.create(Journey.prototype) as Journey;
    Object.assign(j, { store, now, id: cdr.journey, startWall: Date.parse(cdr.startedAt), ended: false, startMs: cdr.startMs ?? 0, answerMs: cdr.answerMs,
      recordings: [...cdr.recordings], tags: [...cdr.tags], ivrPath: cdr.ivrPath ? cdr.ivrPath.split(' ') : [], legs: new Set(cdr.legs), disposition: 'in_progress' });
    return j;
  }

  // CDR times run on engine time from the first ring, so they agree with the
  // durations even when the sim board runs faster than real time.
  private wallAt(engineMs: number): string {
    return new Date(this.startWall + (engineMs - this.startMs)).toISOString();
  }

  log(event: string, engineMs: number | null, data: Record<string, unknown> = {}): void {
    this.store.journal.append('call', event, { journey: this.id, engineMs, data, at: this.now() });
  }

  set(patch: Partial<Omit<Cdr, 'journey'>>): void {
    if (this.ended) return;
    this.store.cdr.update(this.id, patch);
  }

  addLeg(chan: number): void { this.legs.add(chan); this.set({ legs: [...this.legs] }); }
  dropLeg(chan: number): void { this.legs.delete(chan); this.set({ legs: [...this.legs] }); }
  get legChannels(): number[] { return [...this.legs]; }

  addIvrStep(...steps: string[]): void {
    this.ivrPath.push(...steps);
    this.set({ ivrPath: this.ivrPath.join(' ') });
  }

  tag(t: string): void {
    if (this.tags.includes(t)) return;
    this.tags.push(t);
    this.set({ tags: this.tags });
    this.log('CallTagged', null, { tag: t });
  }

  addRecording(id: number): void {
    this.recordings.push(id);
    this.set({ recordings: this.recordings });
  }

  // A person (extension, agent, external party) answered.
  answered(engineMs: number, patch: Partial<Omit<Cdr, 'journey'>> = {}): void {
    // A later answer (a transfer, a second queue) changes who the call is
    // with; it is journaled too, so the CDR rebuilds from the journal alone.
    if (this.answerMs !== null) {
      this.set(patch);
      if (Object.keys(patch).length) this.log('CallAnswered', engineMs, patch as Record<string, unknown>);
      return;
    }
    this.answerMs = engineMs;
    this.disposition = 'answered';
    this.set({ ...patch, answeredAt: this.wallAt(engineMs), answerMs: engineMs, waitS: secs(engineMs - this.startMs), disposition: 'in_progress' });
    this.log('CallAnswered', engineMs, patch as Record<string, unknown>);
  }

  get isAnswered(): boolean { return this.answerMs !== null; }

  // Closes the CDR. The disposition defaults to what the call reached.
  end(engineMs: number, how: { side: string; cause: string; disposition?: Disposition }): void {
    if (this.ended) return;
    const disposition = how.disposition ?? (this.answerMs !== null ? 'answered' : this.disposition === 'in_progress' ? 'abandoned' : this.disposition);
    this.store.cdr.update(this.id, {
      endedAt: this.wallAt(engineMs),
      talkS: this.answerMs !== null ? secs(engineMs - this.answerMs) : 0,
      waitS: this.answerMs !== null ? secs(this.answerMs - this.startMs) : secs(engineMs - this.startMs),
      disposition, hangupSide: how.side, hangupCause: how.cause, legs: [],
    });
    this.ended = true;
    this.log('CallEnded', engineMs, { disposition, side: how.side, cause: how.cause });
    this.store.flush();
  }
}

function secs(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}
