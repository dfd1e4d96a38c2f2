// The far end of the `calls` bench: callers on the simulated exchange, driven
// through `sim.*` verbs on their own engine connection, on engine time. Every
// latency is read from engine events (their `time` is the engine clock), which
// every client receives, so the measurement is the same whoever answers.
import { EngineClient } from '../src/telephony/engine-client.js';
import type { EngineEvent } from '../src/telephony/protocol.js';
import { loadAddon } from '../src/native/addon.js';
import { seededRandom, uniform, poissonGapMs } from './stats.js';

// ---- engine time on the far end ----

// The engine's clock as the far end can know it: the latest event time, moved
// on by wall time × speed between events (capped, so a stalled engine is not
// overtaken), and refreshed by `stats` when the engine is quiet.
export class EngineClock {
  private t = 0;
  private wall = performance.now();
  private timers: { due: number; fire: () => void }[] = [];
  private tick: NodeJS.Timeout;
  private poll: NodeJS.Timeout;
  private onEvent = (e: EngineEvent): void => this.see(e.time);

  constructor(private client: EngineClient, private speed: number) {
    client.on('event', this.onEvent);
    this.tick = setInterval(() => this.fireDue(), 1);
    this.poll = setInterval(() => { void client.stats().then((r) => this.see(Number(r.time)), () => {}); }, 50);
  }

  async sync(): Promise<void> {
    this.see(Number((await this.client.stats()).time));
  }

  private see(time: number): void {
    if (time >= this.t) { this.t = time; this.wall = performance.now(); }
  }

  now(): number {
    return this.t + Math.min(100 * this.speed, (performance.now() - this.wall) * this.speed);
  }

  // Resolves once engine time reaches `due`.
  at(due: number): Promise<void> {
    return new Promise((fire) => {
      if (due <= this.now()) { fire(); return; }
      // A few hundred timers at most are pending (a few per live call): a sorted insert is enough.
      let i = this.timers.length;
      while (i > 0 && this.timers[i - 1]!.due > due) i--;
      this.timers.splice(i, 0, { due, fire });
    });
  }

  private fireDue(): void {
    const now = this.now();
    let n = 0;
    while (n < this.timers.length && this.timers[n]!.due <= now) n++;
    if (!n) return;
    for (const t of this.timers.splice(0, n)) t.fire();
  }

  close(): void {
    this.client.off('event', this.onEvent);
    clearInterval(this.tick);
    clearInterval(this.poll);
  }
}

// ---- what the callers do ----

export type PlanKind = 'hangup' | 'announce' | 'voicemail' | 'abandon';

// One caller's behaviour, all times in engine ms from the first greeting audio.
export interface CallPlan {
  kind: PlanKind;
  listenMs: number;          // listens to the greeting this long before acting
  skipGreetingMs?: number;   // voicemail: presses # this long into the mailbox greeting (absent: hears all of it)
  talkMs?: number;           // voicemail: speaks this long after the beep
  hashAfterTalk?: boolean;   // voicemail: ends with # (then hears "saved, goodbye") rather than hanging up
  holdMs?: number;           // announce: hangs up this long into the announcement; voicemail with #: into the goodbye
}

// Prompt lengths of the bench config (out/prompts/zh): main-menu greeting 9.0 s,
// mailbox greeting 8.9 s, beep 0.4 s, "closed" 5.6 s.
const MAILBOX_GREETING_MS = 8900;

export function makePlan(rand: () => number): CallPlan {
  const r = rand();
  const listenMs = uniform(rand, 300, 2500);
  if (r < 0.4) return { kind: 'hangup', listenMs };
  if (r < 0.65) return { kind: 'announce', listenMs, holdMs: rand() < 0.8 ? uniform(rand, 500, 2500) : 8000 };
  if (r < 0.9) {
    return {
      kind: 'voicemail', listenMs,
      skipGreetingMs: rand() < 0.8 ? uniform(rand, 600, 1200) : undefined,
      talkMs: uniform(rand, 1500, 3000),
      hashAfterTalk: rand() < 0.25,
      holdMs: uniform(rand, 500, 2000),
    };
  }
  return { kind: 'abandon', listenMs: uniform(rand, 500, 3000) };
}

export interface Schedule { atMs: number; caller: string; plan: CallPlan }

// Poisson arrivals at `rate` calls/s over `durationMs`; the same seed gives the
// same callers and plans, so the baseline replays the start of the main load.
export function makeSchedule(seed: number, rate: number, durationMs: number): Schedule[] {
  const rand = seededRandom(seed);
  const out: Schedule[] = [];
  for (let t = poissonGapMs(rand, rate), i = 0; t < durationMs; t += poissonGapMs(rand, rate), i++) {
    out.push({ atMs: t, caller: `139${String(10000000 + i).slice(-8)}`, plan: makePlan(rand) });
  }
  return out;
}

// ---- one call ----

export interface CallRecord {
  caller: string;
  kind: PlanKind;
  chan?: number;
  placedAt?: number;
  ringAt?: number;          // RingStarted, ring 1
  offeredAt?: number;       // CallOffered (caller ID decoded): the box knows the call
  offeredRing?: number;     // the ring count at the offer (1 when caller ID came after ring 1)
  offeredNumber?: string | null;
  answeredAt?: number;      // ChannelAnswered by the near end
  greetingAt?: number;      // first PlaybackStarted after the offer: first IVR audio
  hungUpAt?: number;        // ChannelHungUp
  hungUpBy?: string;        // near | far
  offeredWall?: number;     // far-end receive time of CallOffered (performance.now())
  greetingWall?: number;
  outcome: 'pending' | 'done' | 'no-line' | 'not-placed' | 'no-greeting' | 'stuck';
  error?: string;
}

interface Waiter { match: (e: EngineEvent) => boolean; resolve: (e: EngineEvent | null) => void }

class FarCall {
  readonly rec: CallRecord;
  released = false;            // the exchange let go of the line (SimLineReleased / SimCallAbandoned)
  private waiters = new Set<Waiter>();
  private goneResolve!: () => void;
  readonly gone = new Promise<void>((r) => { this.goneResolve = r; });
  private releasedResolve!: () => void;
  readonly lineFree = new Promise<void>((r) => { this.releasedResolve = r; });

  constructor(s: Schedule) {
    this.rec = { caller: s.caller, kind: s.plan.kind, outcome: 'pending' };
  }

  onEvent(e: EngineEvent): void {
    const r = this.rec;
    switch (e.event) {
      case 'RingStarted': if (r.ringAt === undefined) r.ringAt = e.time; break;
      case 'CallOffered':
        if (r.offeredAt === undefined) {
          r.offeredAt = e.time; r.offeredWall = performance.now();
          r.offeredRing = Number(e.rings); r.offeredNumber = typeof e.number === 'string' ? e.number : null;
        }
        break;
      case 'ChannelAnswered': if (r.answeredAt === undefined && e.by === 'near') r.answeredAt = e.time; break;
      case 'PlaybackStarted':
        if (r.greetingAt === undefined && r.offeredAt !== undefined) { r.greetingAt = e.time; r.greetingWall = performance.now(); }
        break;
      case 'ChannelHungUp':
      case 'CallCancelled':
        if (r.hungUpAt === undefined) { r.hungUpAt = e.time; r.hungUpBy = String(e.side ?? 'far'); this.goneResolve(); }
        break;
      case 'SimLineReleased':
      case 'SimCallAbandoned':
        this.released = true;
        this.releasedResolve();
        break;
    }
    for (const w of [...this.waiters]) if (w.match(e)) { this.waiters.delete(w); w.resolve(e); }
  }

  wait(match: (e: EngineEvent) => boolean, clock: EngineClock, timeoutMs: number): Promise<EngineEvent | null> {
    return new Promise((resolve) => {
      const w: Waiter = { match, resolve };
      this.waiters.add(w);
      void clock.at(clock.now() + timeoutMs).then(() => { if (this.waiters.delete(w)) resolve(null); });
    });
  }
}

// ---- the load ----

export interface LoadResult {
  records: CallRecord[];
  placed: number;
  engineStartMs: number;
  arrivalsEndMs: number;
  engineEndMs: number;
  loadWallMs: number;         // from the first arrival to the last call released
  concurrency: { upMean: number; upMax: number; linesMean: number; linesMax: number };
  farEndErrors: Record<string, number>;
  // Near-end media started on a line after its call was cleared (ChannelHungUp)
  // and before the next ring: a command that raced the hang-up.
  afterHangup: Record<string, number>;
  afterHangupExamples: { chan: number; event: string; msAfterHangup: number; plan?: PlanKind; hungUpBy?: string }[];
  commandsFailed: Record<string, number>;
}

const MEDIA_STARTS = new Set(['PlaybackStarted', 'RecordingStarted', 'ToneStarted', 'BridgeCreated', 'ChannelAnswered']);

// Watches every line for media the near end starts on a cleared channel.
class LateCommandWatch {
  readonly counts: Record<string, number> = {};
  readonly examples: { chan: number; event: string; msAfterHangup: number; plan?: PlanKind; hungUpBy?: string }[] = [];
  readonly failed: Record<string, number> = {};
  private clearedAt = new Map<number, number>();
  private opNames = new Map(Object.entries(loadAddon().ops).map(([name, n]) => [n, name]));

  constructor(private callOn: (chan: number) => CallRecord | undefined) {}

  onEvent(e: EngineEvent): void {
    if (e.event === 'CommandFailed') {
      const k = `${this.opNames.get(Number(e.op)) ?? String(e.op)}: ${String(e.code)}`;
      this.failed[k] = (this.failed[k] ?? 0) + 1;
      return;
    }
    if (e.chan === undefined) return;
    if (e.event === 'ChannelHungUp' || e.event === 'CallCancelled') { this.clearedAt.set(e.chan, e.time); return; }
    if (e.event === 'RingStarted') { this.clearedAt.delete(e.chan); return; }
    const at = this.clearedAt.get(e.chan);
    if (at === undefined || !MEDIA_STARTS.has(e.event)) return;
    this.counts[e.event] = (this.counts[e.event] ?? 0) + 1;
    const rec = this.callOn(e.chan);
    if (this.examples.length < 10) this.examples.push({ chan: e.chan, event: e.event, msAfterHangup: e.time - at, plan: rec?.kind, hungUpBy: rec?.hungUpBy });
  }
}

// hangUpAtEnd: once every call has arrived and heard its greeting (or 15 s
// passed), callers still on the line hang up, so the phase ends without
// waiting out their scripts (for a short phase that only measures set-up).
export async function runLoad(client: EngineClient, opts: { speed: number; schedule: Schedule[]; log: (m: string) => void; hangUpAtEnd?: boolean }): Promise<LoadResult> {
  const clock = new EngineClock(client, opts.speed);
  await clock.sync();
  const lines = client.channels.filter((c) => c.kind === 'fxo').map((c) => c.chan);
  const free: number[] = [...lines];          // FIFO, so every line gets used
  const byChan = new Map<number, FarCall>();
  const errors: Record<string, number> = {};
  const noteError = (what: string, e: unknown): void => {
    const key = `${what}: ${((e as Error).message ?? String(e)).replace(/\d+/g, 'N')}`;
    errors[key] = (errors[key] ?? 0) + 1;
  };
  const late = new LateCommandWatch((chan) => byChan.get(chan)?.rec);
  const onEvent = (e: EngineEvent): void => {
    late.onEvent(e);
    if (e.chan !== undefined) byChan.get(e.chan)?.onEvent(e);
  };
  client.on('event', onEvent);

  const start = clock.now();
  const wall0 = performance.now();
  const samples = { up: 0, lines: 0, n: 0, upMax: 0, linesMax: 0 };
  const records: CallRecord[] = [];
  const running: Promise<void>[] = [];

  const sim = (verb: string, chan: number, args: Record<string, unknown> = {}): Promise<unknown> =>
    client.sim(verb, chan, args).catch((e: Error) => { noteError(`sim.${verb}`, e); });

  async function script(call: FarCall, chan: number, plan: CallPlan): Promise<void> {
    const r = call.rec;
    // The greeting: caller ID comes ~1.5 s after the first ring, so 15 s is generous.
    const greet = await call.wait((e) => e.event === 'PlaybackStarted' && r.offeredAt !== undefined, clock, 15000);
    if (!greet) {
      r.outcome = 'no-greeting';
      if (r.hungUpAt === undefined) await sim('hangup', chan);
      return;
    }
    const t0 = greet.time;
    // Sleeps until engine time t; false if the near end hung up meanwhile.
    const until = async (t: number): Promise<boolean> => {
      await Promise.race([clock.at(t), call.gone]);
      return r.hungUpAt === undefined;
    };
    const dial = (digits: string) => sim('dial', chan, { digits });
    const hangup = () => sim('hangup', chan);
    let t = t0 + plan.listenMs;
    if (!(await until(t))) return;
    switch (plan.kind) {
      case 'abandon':
        await hangup();
        return;
      case 'hangup':
        await dial('1');
        // The IVR hangs up; a caller left waiting goes after 5 s.
        if (await until(t + 5000)) await hangup();
        return;
      case 'announce':
        await dial('3');
        if (await until(t + 200 + plan.holdMs!)) await hangup();
        return;
      case 'voicemail': {
        await dial('2');
        t += 200;
        if (plan.skipGreetingMs !== undefined) {
          t += plan.skipGreetingMs;
          if (!(await until(t))) return;
          await dial('#');
        } else {
          t += MAILBOX_GREETING_MS;
        }
        t += 700;                                // the beep, then speak
        if (!(await until(t))) return;
        await sim('talk', chan, { freq: 600, levelDbm0: -16 });
        t += plan.talkMs!;
        if (!(await until(t))) return;
        await sim('talk', chan, { freq: 0 });
        if (plan.hashAfterTalk) {
          await dial('#');
          t += 200 + plan.holdMs!;
          if (!(await until(t))) return;
        }
        await hangup();
        return;
      }
    }
  }

  async function place(s: Schedule): Promise<void> {
    const call = new FarCall(s);
    records.push(call.rec);
    let chan: number | undefined;
    for (let tries = 0; tries < 3 && chan === undefined; tries++) {
      const c = free.shift();
      if (c === undefined) break;
      byChan.set(c, call);
      try {
        await client.sim('call', c, { from: s.caller, callerId: 'bell202' });
        chan = c;
      } catch (e) {
        byChan.delete(c);
        noteError('sim.call', e);
        free.push(c);
      }
    }
    if (chan === undefined) { call.rec.outcome = free.length ? 'not-placed' : 'no-line'; return; }
    call.rec.chan = chan;
    call.rec.placedAt = clock.now();
    try {
      await script(call, chan, s.plan);
      // Both ends let go: the engine clears the channel, the exchange releases
      // the line (it needs our loop open for a second).
      const done = await Promise.race([
        Promise.all([call.gone, call.lineFree]).then(() => true),
        clock.at(clock.now() + 15000).then(() => false),
      ]);
      if (!done) call.rec.outcome = 'stuck';
      else if (call.rec.outcome === 'pending') call.rec.outcome = 'done';
    } catch (e) {
      call.rec.error = (e as Error).message;
      call.rec.outcome = 'stuck';
    } finally {
      if (byChan.get(chan) === call) byChan.delete(chan);
      if (call.rec.outcome !== 'stuck') free.push(chan);
    }
  }

  let nextLog = start + 60000;
  for (const s of opts.schedule) {
    await clock.at(start + s.atMs);
    // Poisson arrivals see time averages (PASTA): sampling here gives the mean load.
    let up = 0;
    for (const c of byChan.values()) if (c.rec.answeredAt !== undefined && c.rec.hungUpAt === undefined) up++;
    samples.up += up; samples.lines += byChan.size; samples.n++;
    samples.upMax = Math.max(samples.upMax, up); samples.linesMax = Math.max(samples.linesMax, byChan.size);
    running.push(place(s));
    if (clock.now() >= nextLog) {
      opts.log(`  ${Math.round((clock.now() - start) / 1000)} s engine time, ${records.length} calls placed, ${up} up, ${byChan.size} lines busy`);
      nextLog += 60000;
    }
  }
  const arrivalsEnd = clock.now();
  if (opts.hangUpAtEnd) {
    const greeted = () => [...byChan.values()].every((c) => c.rec.greetingAt !== undefined || c.rec.hungUpAt !== undefined);
    while (!greeted() && clock.now() < arrivalsEnd + 15000) await clock.at(clock.now() + 100);
    for (const [chan, c] of byChan) if (c.rec.hungUpAt === undefined) void sim('hangup', chan);
  }
  await Promise.all(running);
  const end = clock.now();
  client.off('event', onEvent);
  clock.close();
  const placed = records.filter((r) => r.chan !== undefined).length;
  return {
    records, placed,
    engineStartMs: start, arrivalsEndMs: arrivalsEnd, engineEndMs: end,
    loadWallMs: performance.now() - wall0,
    concurrency: {
      upMean: Math.round(samples.up / Math.max(1, samples.n) * 10) / 10, upMax: samples.upMax,
      linesMean: Math.round(samples.lines / Math.max(1, samples.n) * 10) / 10, linesMax: samples.linesMax,
    },
    farEndErrors: errors,
    afterHangup: late.counts,
    afterHangupExamples: late.examples,
    commandsFailed: late.failed,
  };
}
