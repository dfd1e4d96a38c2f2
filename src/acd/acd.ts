// The ACD: agents' states, the routing engine, and the callers waiting in
// queues. It is event-driven: anything that can change who may take a call
// (an agent ready, a phone put down, a caller joining, wrap-up ending) marks
// the router and schedules one dispatch; nothing polls.
import type { CallContext } from '../calls/context.js';
import type { CallSession } from '../calls/session.js';
import type { Destination } from '../routing/destination.js';
import type { Leg } from '../calls/leg.js';
import type { Queue, Agent } from './schemas.js';
import { secs, type AgentState, type QueueEvents, type AgentEvents } from './events.js';
import { Router, type Offer } from './router.js';
import type { Timer } from '../calls/timers.js';
import { EventEmitter } from 'node:events';
import { Customers } from '../crm/customers.js';

export interface AgentRuntime {
  id: string;
  state: AgentState;
  sinceMs: number;
  reason: string | null;
  missed: number;
  // The phone the agent works at: its configured extension, or the one it
  // logged in from.
  ext: string;
  // Engine time until which the agent gets no offer (just missed one).
  restUntilMs: number;
  wrapTimer: Timer | null;
  restTimer: Timer | null;
  pauseTimer: Timer | null;
  // The journey and channels of the call the agent is in, for supervision.
  call: { journey: string; agentChan: number; callerChan: number } | null;
  // Who the agent's phone is ringing with or talking to (the panel's screen pop).
  party: { journey: string; caller: string; callerName: string; queue: string; phase: 'ringing' | 'talking'; held?: boolean } | null;
  // A pause asked for during a call or an offer: taken when it ends.
  pausePending: boolean;
  wrapQueue: string | null;
}

// Something waiting for an agent: a caller on the line, or a callback place.
export interface Waiter {
  queue: string;
  offer(o: Offer): void;
}

export class Acd extends EventEmitter {
  readonly router: Router;
  readonly agents = new Map<string, AgentRuntime>();
  readonly waiters = new Map<string, Waiter>();
  private dispatchQueued = false;
  private queueIds = new Set<string>();
  // Wakes the router when a waiting caller's skill requirement widens.
  private widenTimer: { at: number; timer: Timer } | null = null;
  // Calls a supervisor ended or took over (the agent's part counts as ended by them).
  readonly supervisedEnd = new Set<string>();
  // Each agent's call in progress: its session and the agent's leg.
  readonly live = new Map<string, { session: CallSession; leg: Leg }>();

  constructor(private ctx: CallContext, opts: { random?: () => number } = {}) {
    super();
    this.setMaxListeners(200);
    this.router = new Router(opts);
  }

  start(): void {
    this.load();
    this.ctx.config.on('changed', ({ kind }: { kind: string }) => { if (kind === 'queue' || kind === 'agent' || kind === 'extension' || kind === '*') this.load(); });
    // A phone lifted or put down changes whether its agent can take a call.
    this.ctx.engine.on('event', (e: { event: string; chan?: number }) => {
      if (e.chan === undefined || (e.event !== 'HookChanged' && e.event !== 'ChannelHungUp')) return;
      setImmediate(() => { for (const a of this.agents.values()) if (this.portOf(a) === e.chan) this.refresh(a.id); });
    });
    this.restore();
  }

  // The call context the ACD works in (for flows started from the API).
  ctxOf(): CallContext { return this.ctx; }

  queue(id: string): Queue | undefined { return this.ctx.config.doc('queue', id); }
  agentConfig(id: string): Agent | undefined { return this.ctx.config.doc('agent', id); }

  // Configuration into the router; runtime state of agents stays.
  private load(): void {
    const queues = this.ctx.config.list('queue');
    const agents = this.ctx.config.list('agent');
    const seenQ = new Set(queues.map((q) => q.id));
    const seenA = new Set(agents.map((a) => a.id));
    for (const a of agents) this.router.setAgent({ id: a.id, skills: a.skills, weight: a.weight });
    for (const q of queues) this.router.setQueue({ id: q.id, strategy: q.strategy, weight: q.weight, skills: q.skills, skillWidenSec: q.skillWidenSec, members: q.members });
    for (const id of this.queueIds) if (!seenQ.has(id)) this.router.removeQueue(id);
    this.queueIds = seenQ;
    for (const [id] of this.agents) if (!seenA.has(id)) { this.agents.delete(id); this.router.removeAgent(id); }
    for (const a of agents) if (!this.agents.has(a.id)) this.agents.set(a.id, blankAgent(a));
    for (const a of this.agents.values()) this.refresh(a.id, false);
    this.kick();
  }

  // Agents logged in before a supervisor restart stay logged in: their last
  // agent event says so.
  private restore(): void {
    const rows = this.ctx.store.stmt(`SELECT data, event FROM journal WHERE id IN (SELECT MAX(id) FROM journal WHERE kind = 'agent'
      AND event IN ('AgentLoggedIn', 'AgentLoggedOut', 'AgentPaused', 'AgentResumed') GROUP BY json_extract(data, '$.agent'))`).all() as { data: string; event: string }[];
    for (const r of rows) {
      const d = JSON.parse(r.data) as { agent: string; ext?: string; reason?: string };
      const a = this.agents.get(d.agent);
      if (!a || r.event === 'AgentLoggedOut') continue;
      a.state = r.event === 'AgentPaused' ? 'paused' : 'ready';
      a.reason = r.event === 'AgentPaused' ? d.reason ?? null : null;
      if (r.event === 'AgentLoggedIn' && d.ext) a.ext = d.ext;
      else {
        const login = this.ctx.store.stmt(`SELECT data FROM journal WHERE kind = 'agent' AND event = 'AgentLoggedIn' AND json_extract(data, '$.agent') = ? ORDER BY id DESC LIMIT 1`).get(a.id) as { data: string } | undefined;
        const ext = login ? (JSON.parse(login.data) as { ext?: string }).ext : undefined;
        if (ext) a.ext = ext;
      }
      a.sinceMs = this.ctx.engineMs();
      this.refresh(a.id, false);
    }
    // An agent set to log in by itself does so the first time the box sees it.
    const known = new Set(rows.map((r) => (JSON.parse(r.data) as { agent: string }).agent));
    for (const cfg of this.ctx.config.list('agent')) if (cfg.autoLogin && !known.has(cfg.id)) this.login(cfg.id, 'config');
    this.kick();
  }

  // ---- agent states ----

  private journal<K extends keyof AgentEvents>(event: K, data: AgentEvents[K]): void {
    this.ctx.store.journal.append('agent', event, { engineMs: this.ctx.engineMs(), data: data as unknown as Record<string, unknown>, at: this.ctx.now() });
  }

  queueLog<K extends keyof QueueEvents>(journey: string, event: K, data: QueueEvents[K]): void {
    this.ctx.store.journal.append('queue', event, { journey, engineMs: this.ctx.engineMs(), data: data as unknown as Record<string, unknown>, at: this.ctx.now() });
  }

  private setState(a: AgentRuntime, state: AgentState, reason: string | null = null): void {
    a.state = state;
    a.reason = reason;
    a.sinceMs = this.ctx.engineMs();
    a.pauseTimer?.cancel();
    a.pauseTimer = null;
    // A pause reason with a limit ends by itself (AgentResumed via timer).
    const limit = state === 'paused' && reason ? this.ctx.config.settings.acd.pauseLimitSec[reason] : undefined;
    if (limit) {
      const t = this.ctx.timers.after(limit * 1000);
      a.pauseTimer = t;
      void t.promise.then(() => { if (a.pauseTimer === t && a.state === 'paused' && a.reason === reason) { a.pauseTimer = null; this.resume(a.id, 'timer'); } });
    }
    this.refresh(a.id);
    this.emit('agent', a.id);
  }

  queuesOf(agent: string): string[] {
    return this.ctx.config.list('queue').filter((q) => q.members.some((m) => m.agent === agent)).map((q) => q.id);
  }

  login(agent: string, via: AgentEvents['AgentLoggedIn']['via'], opts: { ext?: string; by?: string } = {}): AgentRuntime {
    const a = this.need(agent);
    const ext = opts.ext ?? this.agentConfig(agent)!.ext;
    if (!this.ctx.config.extension(ext)) throw new AcdError('bad_extension', `extension ${ext} does not exist`);
    // One agent per phone: another agent logged in at this phone is logged out.
    for (const o of this.agents.values()) if (o !== a && o.state !== 'logged-out' && o.ext === ext) this.logout(o.id, via === 'config' ? 'console' : via, { by: opts.by });
    if (a.state !== 'logged-out' && a.ext === ext) return a;
    a.ext = ext;
    a.missed = 0;
    this.journal('AgentLoggedIn', { agent, ext, queues: this.queuesOf(agent), via, ...(opts.by ? { by: opts.by } : {}) });
    this.setState(a, 'ready');
    return a;
  }

  logout(agent: string, via: AgentEvents['AgentLoggedOut']['via'], opts: { by?: string } = {}): void {
    const a = this.need(agent);
    if (a.state === 'logged-out') return;
    this.cancelTimers(a);
    this.journal('AgentLoggedOut', { agent, via, ...(opts.by ? { by: opts.by } : {}) });
    this.setState(a, 'logged-out');
    a.ext = this.agentConfig(agent)?.ext ?? a.ext;
    for (const q of this.queuesOf(agent)) this.emptied(q);
  }

  pause(agent: string, reason: string, via: AgentEvents['AgentPaused']['via'], opts: { by?: string; missed?: number } = {}): void {
    const a = this.need(agent);
    if (a.state === 'logged-out') throw new AcdError('logged_out', `agent ${agent} is not logged in`);
    if (a.state === 'paused' && a.reason === reason) return;
    this.journal('AgentPaused', { agent, reason, via, ...(opts.by ? { by: opts.by } : {}), ...(opts.missed ? { missed: opts.missed } : {}) });
    // A paused agent in a call finishes it; the pause stops new offers.
    const busy = a.state === 'on-call' || a.state === 'reserved';
    if (a.wrapTimer) { a.wrapTimer.cancel(); a.wrapTimer = null; }
    if (busy) { a.reason = reason; a.pausePending = true; this.refresh(a.id); return; }
    this.setState(a, 'paused', reason);
  }

  resume(agent: string, via: AgentEvents['AgentResumed']['via'], opts: { by?: string } = {}): void {
    const a = this.need(agent);
    if (a.state === 'logged-out') throw new AcdError('logged_out', `agent ${agent} is not logged in`);
    const wasPaused = a.state === 'paused' || a.pausePending;
    a.missed = 0;
    if (a.state === 'wrap-up') { this.endWrapUp(a); return; }
    if (!wasPaused) return;
    a.pausePending = false;
    this.journal('AgentResumed', { agent, via, ...(opts.by ? { by: opts.by } : {}), pausedSec: secs(this.ctx.engineMs() - a.sinceMs) });
    if (a.state === 'paused') this.setState(a, 'ready');
  }

  // ---- call-side hooks (queue-call.ts, offer.ts) ----

  // An offer to this agent ended without the agent taking it.
  offerMissed(agent: string, queue: string, counts: boolean): void {
    const a = this.agents.get(agent);
    if (!a) return;
    if (a.state === 'reserved') a.state = 'ready';
    if (a.party?.phase === 'ringing') a.party = null;
    const q = this.queue(queue);
    if (counts) {
      a.missed++;
      if (q && q.autoPauseAfter && a.missed >= q.autoPauseAfter && a.state === 'ready') {
        this.pause(agent, 'missed', 'auto', { missed: a.missed });
        return;
      }
    }
    // The agent rests a moment so the caller tries someone else first.
    const restMs = (q?.retrySec ?? 5) * 1000;
    if (restMs > 0 && counts) {
      a.restUntilMs = this.ctx.engineMs() + restMs;
      a.restTimer?.cancel();
      const t = this.ctx.timers.after(restMs);
      a.restTimer = t;
      void t.promise.then(() => { if (a.restTimer === t) { a.restTimer = null; this.refresh(agent); } });
    }
    this.refresh(agent);
  }

  offerTaken(agent: string, call: AgentRuntime['call']): void {
    const a = this.agents.get(agent);
    if (!a) return;
    a.missed = 0;
    a.call = call;
    if (a.party) a.party = { ...a.party, phase: 'talking' };
    this.setState(a, 'on-call', a.pausePending ? a.reason : null);
  }

  // The agent's call ended: wrap-up, then ready (or the pause asked for meanwhile).
  callDone(agent: string, queue: string): void {
    const a = this.agents.get(agent);
    if (!a || a.state !== 'on-call') return;
    a.call = null;
    a.party = null;
    const wrap = this.queue(queue)?.wrapUpSec ?? 0;
    if (a.pausePending) { a.pausePending = false; this.setState(a, 'paused', a.reason); return; }
    if (wrap <= 0) { this.setState(a, 'ready'); return; }
    this.journal('AgentWrapUpStarted', { agent, queue, sec: wrap });
    a.wrapQueue = queue;
    this.setState(a, 'wrap-up');
    const t = this.ctx.timers.after(wrap * 1000);
    a.wrapTimer = t;
    void t.promise.then(() => { if (a.wrapTimer === t) this.endWrapUp(a); });
  }

  private endWrapUp(a: AgentRuntime): void {
    if (a.state !== 'wrap-up') return;
    a.wrapTimer?.cancel();
    a.wrapTimer = null;
    this.journal('AgentWrapUpEnded', { agent: a.id, queue: a.wrapQueue ?? '', sec: secs(this.ctx.engineMs() - a.sinceMs) });
    if (a.pausePending) { a.pausePending = false; this.setState(a, 'paused', a.reason); return; }
    this.setState(a, 'ready');
  }

  private cancelTimers(a: AgentRuntime): void {
    a.wrapTimer?.cancel(); a.wrapTimer = null;
    a.pauseTimer?.cancel(); a.pauseTimer = null;
    a.restTimer?.cancel(); a.restTimer = null;
    a.pausePending = false;
  }

  // An offer rings this agent's phone.
  ringing(agent: string, party: Omit<NonNullable<AgentRuntime['party']>, 'phase'>): void {
    const a = this.agents.get(agent);
    if (!a) return;
    a.party = { ...party, phase: 'ringing' };
    this.emit('agent', agent);
  }

  // The agent a panel user works as: the agent whose `user` names them, else
  // the agent numbered as their user name (a user "2001" is agent 2001) unless
  // that agent is linked to someone else.
  agentOfUser(username: string): string | undefined {
    const u = username.toLowerCase();
    const agents = this.ctx.config.list('agent');
    return agents.find((x) => x.user?.toLowerCase() === u)?.id ?? agents.find((x) => x.id === username && !x.user)?.id;
  }

  // ---- supervision ----

  supervised(agent: string, mode: AgentEvents['AgentSupervised']['mode'], by: string, journey?: string): void {
    this.journal('AgentSupervised', { agent, mode, by, ...(journey ? { journey } : {}) });
  }

  // A supervisor ends the agent's call (both parties are hung up).
  async forceHangup(agent: string, by: string): Promise<void> {
    const a = this.need(agent);
    if (!a.call) throw new AcdError('wrong_state', `agent ${agent} is not in a call`);
    const call = a.call;
    this.supervisedEnd.add(call.journey);
    this.supervised(agent, 'hangup', by, call.journey);
    await this.ctx.engine.hangup(call.callerChan).catch(() => {});
    if (call.agentChan !== call.callerChan) await this.ctx.engine.hangup(call.agentChan).catch(() => {});
  }

  // A supervisor takes the agent's caller over on their own phone's leg; the
  // agent's phone is released.
  async intercept(agent: string, leg: Leg, by: string): Promise<void> {
    const live = this.live.get(agent);
    if (!live) throw new AcdError('wrong_state', `agent ${agent} is not in a call`);
    await whenTalking(live.session);
    const journey = live.session.journey.id;
    this.supervisedEnd.add(journey);
    if (!live.session.takeover?.(leg, live.leg)) {
      this.supervisedEnd.delete(journey);
      throw new AcdError('wrong_state', `agent ${agent}'s call is not in a conversation now (on hold or being transferred)`);
    }
    this.supervised(agent, 'intercept', by, journey);
  }

  // The agent hands the caller on (from the panel): to an extension or a
  // queue, as a blind transfer; the agent's phone is released.
  async transfer(agent: string, to: Destination, by: string): Promise<void> {
    const live = this.live.get(agent);
    if (!live) throw new AcdError('wrong_state', `agent ${agent} is not in a call`);
    const s = live.session;
    if (s.held) await this.resumeCall(agent);
    await whenTalking(s);
    if (to.type === 'queue') s.journey.log('TransferredToQueue', this.ctx.engineMs(), { from: live.leg.chan, queue: to.queue, by });
    else if (to.type === 'extension') s.journey.log('TransferStarted', this.ctx.engineMs(), { by: live.leg.chan, to: to.ext, from: by });
    s.next = to;
    if (!s.takeover?.(null, live.leg)) {
      s.next = null;
      s.journey.log('TransferFailed', this.ctx.engineMs(), { to: to.type === 'queue' ? `queue:${to.queue}` : to.type === 'extension' ? to.ext : to.type, outcome: 'not-talking' });
      throw new AcdError('wrong_state', `agent ${agent}'s call is not in a conversation now (on hold or being transferred)`);
    }
  }

  // The agent puts the caller on hold from the panel (the caller hears music;
  // the agent's phone stays off-hook, silent) and takes them back.
  async holdCall(agent: string, by: string): Promise<void> {
    const live = this.live.get(agent);
    if (!live) throw new AcdError('wrong_state', `agent ${agent} is not in a call`);
    const s = live.session;
    if (s.held) throw new AcdError('wrong_state', `agent ${agent}'s call is already on hold`);
    await whenTalking(s);
    let resume!: () => void;
    const resumed = new Promise<void>((r) => { resume = r; });
    s.held = { by, resume };
    if (!s.takeover?.(null, live.leg, resumed)) {
      s.held = null;
      throw new AcdError('wrong_state', `agent ${agent}'s call is not in a conversation now (on hold or being transferred)`);
    }
    this.markHeld(agent, true);
    void resumed.then(() => this.markHeld(agent, false));
  }

  async resumeCall(agent: string): Promise<void> {
    const live = this.live.get(agent);
    if (!live?.session.held) throw new AcdError('wrong_state', `agent ${agent}'s call is not on hold`);
    live.session.held.resume();
    // Back in the conversation (or the call ended) before answering.
    for (let i = 0; i < 100 && !live.session.takeover && !live.session.caller.hungUp && this.live.get(agent) === live; i++) await new Promise((r) => setTimeout(r, 20));
  }

  private markHeld(agent: string, held: boolean): void {
    const a = this.agents.get(agent);
    if (!a?.party) return;
    a.party = { ...a.party, held };
    this.emit('agent', agent);
  }

  // ---- availability and dispatch ----

  portOf(a: AgentRuntime): number | undefined { return this.ctx.config.extension(a.ext)?.port; }

  // Whether the agent may be offered a call now, told to the router.
  refresh(agent: string, kick = true): void {
    const a = this.agents.get(agent);
    if (!a) return;
    const port = this.portOf(a);
    const ok = a.state === 'ready' && !a.pausePending && !a.restTimer && port !== undefined && this.ctx.ports.isFree(port);
    if (ok !== this.router.isAvailable(agent)) {
      this.router.setAvailable(agent, ok);
      if (ok && kick) this.kick();
    }
  }

  // Agents logged in to a queue (for join-empty and leave-when-empty rules).
  loggedIn(queue: string): AgentRuntime[] {
    const q = this.queue(queue);
    if (!q) return [];
    return q.members.map((m) => this.agents.get(m.agent)).filter((a): a is AgentRuntime => !!a && a.state !== 'logged-out');
  }

  // One dispatch per turn of the event loop, however many changes came.
  kick(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    queueMicrotask(() => {
      this.dispatchQueued = false;
      for (const o of this.router.dispatch(this.ctx.engineMs())) {
        for (const ag of o.agents) { const a = this.agents.get(ag); if (a && a.state === 'ready') { a.state = 'reserved'; a.sinceMs = this.ctx.engineMs(); } }
        const w = this.waiters.get(o.caller);
        if (w) w.offer(o);
        else { this.router.leave(o.caller); for (const ag of o.agents) this.offerMissed(ag, o.queue, false); }
      }
      this.wakeAt(this.router.wakeAtMs);
    });
  }

  private wakeAt(at: number): void {
    if (this.widenTimer && this.widenTimer.at <= at) return;
    this.widenTimer?.timer.cancel();
    this.widenTimer = null;
    if (at === Infinity) return;
    const timer = this.ctx.timers.after(Math.max(0, at - this.ctx.engineMs()));
    const w = { at, timer };
    this.widenTimer = w;
    void timer.promise.then(() => { if (this.widenTimer === w) { this.widenTimer = null; this.kick(); } });
  }

  // The last agent left a queue: callers there may have to leave too.
  private emptyListeners = new Map<string, Set<() => void>>();
  onEmpty(queue: string, fn: () => void): () => void {
    let set = this.emptyListeners.get(queue);
    if (!set) { set = new Set(); this.emptyListeners.set(queue, set); }
    set.add(fn);
    return () => set!.delete(fn);
  }
  private emptied(queue: string): void {
    if (this.loggedIn(queue).length) return;
    for (const fn of [...(this.emptyListeners.get(queue) ?? [])]) fn();
  }

  // A returning caller's agent: whoever served them in this queue within the
  // sticky window, else the agent whose panel user owns their customer record.
  stickyAgent(q: Queue, number: string): string | undefined {
    if (!q.stickySec || !number) return undefined;
    const since = new Date(this.ctx.now().getTime() - q.stickySec * 1000).toISOString();
    const r = this.ctx.store.stmt('SELECT agent FROM cdr WHERE caller = ? AND queue = ? AND agent IS NOT NULL AND started_at >= ? ORDER BY started_at DESC LIMIT 1')
      .get(number, q.id, since) as { agent: string } | undefined;
    if (r) return r.agent;
    const owner = new Customers(this.ctx.store).customerByNumber(number, 0).customer?.owner?.username;
    if (!owner) return undefined;
    return this.ctx.config.list('agent').find((a) => a.user === owner && q.members.some((m) => m.agent === a.id))?.id;
  }

  // Estimated wait for the caller at `position`: the queue's handle time over
  // the last day (from the report rollup: one indexed read, however long the
  // journal) shared among its logged-in agents; null without history.
  estimatedWaitSec(queue: string, position: number): number | null {
    const since = Math.floor(this.ctx.now().getTime() / 1000) - 86400;
    const r = this.ctx.store.stmt(`SELECT SUM(talk_ds) AS talk, SUM(handled) AS n FROM acd_rollup WHERE slot >= ? AND dim = 'queue' AND id = ?`)
      .get(since, queue) as { talk: number | null; n: number | null };
    if (!r.n) return null;
    const aht = r.talk! / 10 / r.n + (this.queue(queue)?.wrapUpSec ?? 0);
    const agents = Math.max(1, this.loggedIn(queue).length);
    return Math.round((position * aht) / agents);
  }

  snapshot(): { agents: Array<Omit<AgentRuntime, 'wrapTimer' | 'restTimer' | 'pauseTimer'>>; queues: Array<{ id: string; waiting: number; loggedIn: number }> } {
    return {
      agents: [...this.agents.values()].map(({ wrapTimer: _w, restTimer: _r, pauseTimer: _p, ...a }) => a),
      queues: this.ctx.config.list('queue').map((q) => ({ id: q.id, waiting: this.router.waitingCount(q.id), loggedIn: this.loggedIn(q.id).length })),
    };
  }

  private need(agent: string): AgentRuntime {
    const a = this.agents.get(agent);
    if (!a) throw new AcdError('not_found', `agent ${agent} does not exist`);
    return a;
  }
}

export class AcdError extends Error {
  constructor(readonly code: string, message: string) { super(message); this.name = 'AcdError'; }
}

// A call just answered is talking once its bridge is up (a few engine ticks):
// a transfer or takeover asked for in that moment waits for it, up to 2 s.
async function whenTalking(s: CallSession): Promise<void> {
  for (let i = 0; i < 100 && !s.takeover && !s.caller.hungUp; i++) await new Promise((r) => setTimeout(r, 20));
}

function blankAgent(a: Agent): AgentRuntime {
  return { id: a.id, state: 'logged-out', sinceMs: 0, reason: null, missed: 0, ext: a.ext, restUntilMs: 0, wrapTimer: null, restTimer: null, pauseTimer: null, call: null, party: null, pausePending: false, wrapQueue: null };
}
