// Today's queue and agent figures, kept as the journal is written: seeded at
// start from today's part of the journal (through the reports' loader and
// fold), then every appended queue or agent entry is counted by the same fold.
// "Today" is the local day in the box's time zone; at midnight the counts
// start again (logins and pauses still open carry over). Emits 'changed'
// ({ queues, agents }: the ids whose numbers moved) at most once per tick, so
// the API can push instead of poll.
import { EventEmitter } from 'node:events';
import type { Store } from '../store/store.js';
import type { CallContext } from '../calls/context.js';
import type { AgentRuntime } from './acd.js';
import type { AgentState } from './events.js';
import { AcdFold, Attendance, answeredWithin, emptyCounters, type Interval } from '../reports/acd-fold.js';
import { dayBucket, loadFromRollup, queueFigures, agentFigures } from '../reports/acd-report.js';
import { isValidTimeZone } from '../routing/calendar.js';

export interface LiveStatsOptions {
  tz?: string;
  now?: () => Date;
  serviceLevelSec?: (queue: string) => number | undefined;
}

export interface LiveQueueStats {
  offered: number; answered: number; abandoned: number; abandonRate: number | null; serviceLevel: number | null;
  asaSec: number | null; ahtSec: number | null; longestWaitSec: number;
}
export interface LiveAgentStats { calls: number; talkSec: number; loginSec: number; pauseSec: number; pauseSecByReason: Record<string, number> }

// The box's zone: TZ when it names one, else the reports' default.
export function boxTimeZone(): string {
  const tz = process.env.TZ;
  return tz && isValidTimeZone(tz) ? tz : 'Asia/Shanghai';
}

const byStore = new WeakMap<Store, LiveStats>();

export class LiveStats extends EventEmitter {
  private readonly tz: string;
  private readonly now: () => Date;
  private fold!: AcdFold;
  private readonly attendance: Attendance;
  private unsubscribe: (() => void) | undefined;
  private midnight: NodeJS.Timeout | undefined;
  private changed: { queues: Set<string>; agents: Set<string> } | null = null;
  failures = 0;
  lastFailure: Error | undefined;

  // One per store, started on first use (the supervisor's acdStatus, the API).
  static for(store: Store, opts: LiveStatsOptions = {}): LiveStats {
    let s = byStore.get(store);
    if (!s) { s = new LiveStats(store, opts).start(); byStore.set(store, s); }
    return s;
  }

  constructor(private store: Store, private opts: LiveStatsOptions = {}) {
    super();
    this.tz = opts.tz ?? boxTimeZone();
    this.now = opts.now ?? (() => new Date());
    this.attendance = new Attendance({ closed: (iv) => this.fold.addInterval(iv, this.fold.to) });
  }

  start(): this {
    if (this.unsubscribe) return this;
    const now = this.now().getTime();
    this.fold = new AcdFold(dayBucket(this.tz, now));
    const open: Interval[] = [];
    loadFromRollup(this.store.db, this.fold, now, (iv) => open.push(iv));
    for (const iv of open.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'login' ? -1 : 1))) this.attendance.adopt(iv);
    // A fault here must not fail the journal write of a call.
    this.unsubscribe = this.store.journal.subscribe((e) => { try { this.entry(e); } catch (err) { this.failures++; this.lastFailure = err as Error; } });
    this.scheduleMidnight();
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.midnight);
    if (byStore.get(this.store) === this) byStore.delete(this.store);
  }

  get day(): { from: string; to: string; tz: string } {
    return { from: new Date(this.fold.from).toISOString(), to: new Date(this.fold.to).toISOString(), tz: this.tz };
  }

  // waitingSince: joinedMs (engine time) of callers waiting now, with the
  // engine's time now, for the longest current wait.
  queue(id: string, waitingSince: readonly number[] = [], engineNowMs = 0): LiveQueueStats {
    this.rollIfPast(this.now().getTime());
    const c = this.fold.counters[0]!.get(`queue\0${id}`) ?? emptyCounters();
    const f = queueFigures(c, answeredWithin(c, this.opts.serviceLevelSec?.(id) ?? 20));
    const first = waitingSince.length ? Math.min(...waitingSince) : engineNowMs;
    return {
      offered: f.offered, answered: f.answered, abandoned: f.abandoned, abandonRate: f.abandonRate, serviceLevel: f.serviceLevel,
      asaSec: f.asaSec, ahtSec: f.ahtSec, longestWaitSec: Math.max(0, Math.round((engineNowMs - first) / 100) / 10),
    };
  }

  agent(id: string): LiveAgentStats {
    const now = this.now().getTime();
    this.rollIfPast(now);
    const { from, to } = this.fold;
    let loginMs = this.fold.loginMs[0]!.get(id) ?? 0;
    const pause = new Map(this.fold.pauseMs[0]!.get(id) ?? []);
    // Open login and pause run until now.
    const st = this.attendance.state(id);
    const running = (since: string) => Math.max(0, Math.min(now, to) - Math.max(Date.parse(since), from));
    if (st) {
      loginMs += running(st.loggedInAt);
      if (st.pause) pause.set(st.pause.reason, (pause.get(st.pause.reason) ?? 0) + running(st.pause.since));
    }
    const f = agentFigures(this.fold.counters[0]!.get(`agent\0${id}`) ?? emptyCounters(), loginMs, pause);
    return { calls: f.calls, talkSec: f.talkSec, loginSec: f.loginSec, pauseSec: f.pauseSec, pauseSecByReason: f.pauseSecByReason };
  }

  private entry(e: { at: string; kind: string; event: string; data: Record<string, unknown> }): void {
    if (e.kind !== 'queue' && e.kind !== 'agent') return;
    this.rollIfPast(Date.parse(e.at));
    const changed = (this.changed ??= this.flushSoon());
    if (e.kind === 'agent') {
      const who = this.attendance.apply(e.event, e.data, e.at);
      if (who !== undefined) changed.agents.add(who);
    }
    this.fold.count(e, (dim, id) => { (dim === 'queue' ? changed.queues : changed.agents).add(id); });
  }

  private flushSoon(): { queues: Set<string>; agents: Set<string> } {
    const c = { queues: new Set<string>(), agents: new Set<string>() };
    queueMicrotask(() => {
      this.changed = null;
      if (c.queues.size || c.agents.size) this.emit('changed', { queues: [...c.queues], agents: [...c.agents] });
    });
    return c;
  }

  // A new local day: counts start from zero; open logins and pauses go on.
  private rollIfPast(ms: number): void {
    if (!(ms >= this.fold.to)) return;
    this.fold = new AcdFold(dayBucket(this.tz, ms));
    this.emit('changed', { queues: [], agents: [], day: this.day });
  }

  private scheduleMidnight(): void {
    clearTimeout(this.midnight);
    const ms = Math.min(2 ** 31 - 1, Math.max(1000, this.fold.to - this.now().getTime() + 1));
    this.midnight = setTimeout(() => { this.rollIfPast(this.now().getTime()); this.scheduleMidnight(); }, ms).unref();
  }
}

export interface AcdStatus {
  queues: Array<{ id: string; waiting: number; loggedIn: number; agentsByState: Partial<Record<AgentState, number>> } & LiveQueueStats>;
  agents: Array<{ id: string; name: string; user: string | null; ext: string; state: AgentState; reason: string | null; sinceSec: number | null; party: AgentRuntime['party'] } & LiveAgentStats>;
}

// The box's live figures, on the box's clock and its queues' service levels.
export function liveStatsOf(ctx: CallContext): LiveStats {
  return LiveStats.for(ctx.store, { now: ctx.now, serviceLevelSec: (q) => ctx.acd.queue(q)?.serviceLevelSec });
}

// Supervisor.acdStatus(): today's figures with the ACD's state now.
export function acdStatus(ctx: CallContext): AcdStatus {
  const acd = ctx.acd;
  const live = liveStatsOf(ctx);
  const engineNow = ctx.engineMs();
  const queues = ctx.config.list('queue').map((q) => {
    const members = acd.loggedIn(q.id);
    const agentsByState: Partial<Record<AgentState, number>> = {};
    for (const a of members) agentsByState[a.state] = (agentsByState[a.state] ?? 0) + 1;
    return { id: q.id, waiting: acd.router.waitingCount(q.id), loggedIn: members.length, agentsByState, ...live.queue(q.id, acd.router.waitingSince(q.id), engineNow) };
  });
  const agents = [...acd.agents.values()].map((a) => ({
    id: a.id, name: acd.agentConfig(a.id)?.name ?? '', user: acd.agentConfig(a.id)?.user ?? null, ext: a.ext, state: a.state, reason: a.reason, party: a.party,
    sinceSec: a.state === 'logged-out' && a.sinceMs === 0 ? null : Math.max(0, Math.round((engineNow - a.sinceMs) / 100) / 10),
    ...live.agent(a.id),
  }));
  return { queues, agents };
}
