// The routing engine: which waiting caller goes to which free agent. Pure
// data, no I/O and no timers, so it can be tested and benchmarked alone.
//
// Callers wait in their queue in order of priority (higher first), then of
// arrival. When agents are free, each round takes, among the queues those
// agents serve, the best caller some free agent may take: queues of higher
// weight first, then the caller's rank. A caller may be taken by an agent
// who is a member of the queue, has every skill the caller needs at the level
// needed (requirements drop one level every `skillWidenSec` of waiting), and
// has the lowest penalty among such agents; a returning caller's previous
// agent is offered first. The queue's strategy chooses among the rest.
//
// Nothing here scans every caller against every agent: a round looks only at
// the queues of free agents and stops at the first caller it can serve.
import { STRATEGIES, type StrategyName } from './strategies/index.js';
import type { Candidate, RingMode, Strategy } from './strategies/types.js';

export interface Offer {
  caller: string;
  queue: string;
  agents: string[];
  mode: RingMode;
}

export interface RouterAgent { id: string; skills: Record<string, number>; weight: number }
export interface RouterQueue {
  id: string;
  strategy: StrategyName;
  weight: number;
  skills: Record<string, number>;
  skillWidenSec: number;
  members: ReadonlyArray<{ agent: string; penalty: number }>;
}
export interface RouterCaller {
  id: string;
  queue: string;
  priority: number;
  joinedMs: number;
  skills?: Record<string, number>;
  preferredAgent?: string;
}

interface AgentRec {
  id: string;
  skills: Record<string, number>;
  weight: number;
  // Told by the ACD: logged in, ready, phone free.
  available: boolean;
  // Offered a call by the last dispatch; cleared when the ACD next says.
  reserved: boolean;
  lastEndMs: number;
  members: MemberRec[];
}

class MemberRec implements Candidate {
  calls = 0;
  talkSec = 0;
  constructor(readonly agent: AgentRec, readonly queue: QueueRec, readonly penalty: number, readonly order: number) {}
  get id(): string { return this.agent.id; }
  get weight(): number { return this.agent.weight; }
  get lastEndMs(): number { return this.agent.lastEndMs; }
}

interface CallerRec {
  id: string;
  queue: QueueRec;
  priority: number;
  joinedMs: number;
  seq: number;
  // What the caller needs: the queue's levels merged with the caller's own.
  needs: Array<[string, number]>;
  own: Record<string, number> | undefined;
  preferredAgent: string | undefined;
  offered: boolean;
}

interface QueueRec {
  id: string;
  strategy: Strategy;
  weight: number;
  skills: Record<string, number>;
  // The queue's own requirements as [skill, level] pairs.
  base: Array<[string, number]>;
  widenMs: number;
  members: MemberRec[];
  byAgent: Map<string, MemberRec>;
  // Sorted: priority desc, joinedMs asc, seq asc.
  waiting: CallerRec[];
  unoffered: number;
  // The earliest joinedMs among waiting callers (the most widened needs).
  oldestMs: number;
  lastOrder: number;
  // Removed from the configuration; kept while callers still wait in it.
  removed: boolean;
}

export class Router {
  private agents = new Map<string, AgentRec>();
  private queues = new Map<string, QueueRec>();
  private callers = new Map<string, CallerRec>();
  // Agents available and not reserved: the only ones a dispatch looks at.
  private free = new Set<AgentRec>();
  private seq = 0;
  private random: () => number;
  // Engine time at which a caller no free agent could take becomes takeable
  // (a skill requirement widens); Infinity when nothing is pending.
  wakeAtMs = Infinity;

  constructor(opts: { random?: () => number } = {}) {
    this.random = opts.random ?? Math.random;
  }

  // ---- configuration ----

  setAgent(a: RouterAgent): void {
    const rec = this.agents.get(a.id);
    if (rec) { rec.skills = { ...a.skills }; rec.weight = a.weight; return; }
    this.agents.set(a.id, { id: a.id, skills: { ...a.skills }, weight: a.weight, available: false, reserved: false, lastEndMs: -Infinity, members: [] });
  }

  removeAgent(id: string): void {
    const a = this.agents.get(id);
    if (!a) return;
    for (const m of a.members) {
      m.queue.members = m.queue.members.filter((x) => x !== m);
      m.queue.byAgent.delete(id);
    }
    this.free.delete(a);
    this.agents.delete(id);
  }

  // Creates or updates a queue; members' call counts survive an update.
  setQueue(cfg: RouterQueue): void {
    let q = this.queues.get(cfg.id);
    const strategy = STRATEGIES[cfg.strategy];
    if (!strategy) throw new Error(`unknown strategy ${cfg.strategy}`);
    if (!q) {
      q = { id: cfg.id, strategy, weight: 0, skills: {}, base: [], widenMs: 0, members: [], byAgent: new Map(), waiting: [], unoffered: 0, oldestMs: Infinity, lastOrder: -1, removed: false };
      this.queues.set(cfg.id, q);
    }
    q.strategy = strategy;
    q.removed = false;
    q.weight = cfg.weight;
    q.skills = { ...cfg.skills };
    q.base = Object.entries(cfg.skills).filter(([, v]) => v > 0);
    q.widenMs = cfg.skillWidenSec * 1000;
    const old = q.byAgent;
    for (const m of q.members) m.agent.members = m.agent.members.filter((x) => x !== m);
    q.members = [];
    q.byAgent = new Map();
    cfg.members.forEach((cm) => {
      const a = this.agents.get(cm.agent);
      if (!a || q!.byAgent.has(cm.agent)) return;
      const m = new MemberRec(a, q!, cm.penalty, q!.members.length);
      const prev = old.get(cm.agent);
      if (prev) { m.calls = prev.calls; m.talkSec = prev.talkSec; }
      q!.members.push(m);
      q!.byAgent.set(cm.agent, m);
      a.members.push(m);
    });
    // The queue's own requirements changed: every caller's needs follow.
    for (const c of q.waiting) c.needs = needsOf(q, c.own);
  }

  // A removed queue keeps its waiting callers (they leave by their own rules)
  // but no agent serves it any more.
  removeQueue(id: string): void {
    const q = this.queues.get(id);
    if (!q) return;
    for (const m of q.members) m.agent.members = m.agent.members.filter((x) => x !== m);
    q.members = [];
    q.byAgent = new Map();
    q.removed = true;
    if (!q.waiting.length) this.queues.delete(id);
  }

  // ---- agents ----

  isAvailable(agent: string): boolean {
    const a = this.agents.get(agent);
    return !!a && a.available && !a.reserved;
  }

  // The ACD's word on an agent; it also ends any reservation from an offer.
  setAvailable(agent: string, available: boolean): void {
    const a = this.agents.get(agent);
    if (!a) return;
    a.available = available;
    a.reserved = false;
    if (available) this.free.add(a);
    else this.free.delete(a);
  }

  // An agent's call from this queue ended: the figures strategies use.
  recordCall(agent: string, queue: string, endMs: number, talkSec: number): void {
    const a = this.agents.get(agent);
    if (!a) return;
    a.lastEndMs = endMs;
    const m = this.queues.get(queue)?.byAgent.get(agent);
    if (m) { m.calls++; m.talkSec += talkSec; }
  }

  // ---- callers ----

  join(c: RouterCaller): void {
    const q = this.queues.get(c.queue);
    if (!q) throw new Error(`unknown queue ${c.queue}`);
    if (this.callers.has(c.id)) this.leave(c.id);
    const rec: CallerRec = {
      id: c.id, queue: q, priority: c.priority, joinedMs: c.joinedMs, seq: this.seq++,
      needs: needsOf(q, c.skills), own: c.skills, preferredAgent: c.preferredAgent, offered: false,
    };
    q.waiting.splice(insertAt(q.waiting, rec), 0, rec);
    q.unoffered++;
    if (rec.joinedMs < q.oldestMs) q.oldestMs = rec.joinedMs;
    this.callers.set(c.id, rec);
  }

  leave(id: string): void {
    const c = this.callers.get(id);
    if (!c) return;
    const q = c.queue;
    const i = indexOf(q.waiting, c);
    if (i >= 0) q.waiting.splice(i, 1);
    if (!c.offered) q.unoffered--;
    if (c.joinedMs === q.oldestMs) {
      q.oldestMs = Infinity;
      for (const w of q.waiting) if (w.joinedMs < q.oldestMs) q.oldestMs = w.joinedMs;
    }
    this.callers.delete(id);
    if (q.removed && !q.waiting.length) this.queues.delete(q.id);
  }

  // An offer came to nothing: the caller waits again, in the same place.
  retry(id: string): void {
    const c = this.callers.get(id);
    if (!c || !c.offered) return;
    c.offered = false;
    c.queue.unoffered++;
  }

  // 1 for the next caller to be served; 0 if not waiting.
  position(id: string): number {
    const c = this.callers.get(id);
    return c ? indexOf(c.queue.waiting, c) + 1 : 0;
  }

  waitingCount(queue: string): number { return this.queues.get(queue)?.waiting.length ?? 0; }

  // Engine times the callers in a queue joined (for the longest wait).
  waitingSince(queue: string): number[] { return (this.queues.get(queue)?.waiting ?? []).map((c) => c.joinedMs); }

  // ---- the decision ----

  dispatch(nowMs: number): Offer[] {
    const out: Offer[] = [];
    this.wakeAtMs = Infinity;
    while (this.free.size) {
      const best = this.bestMatch(nowMs);
      if (!best) break;
      const { caller: c, cands } = best;
      const q = c.queue;
      c.offered = true;
      q.unoffered--;
      let chosen: Candidate[];
      let mode: RingMode = 'one';
      const sticky = c.preferredAgent !== undefined ? cands.find((m) => m.id === c.preferredAgent) : undefined;
      if (sticky) chosen = [sticky];
      else {
        chosen = q.strategy.pick(cands, { lastOrder: q.lastOrder, random: this.random });
        mode = q.strategy.mode;
      }
      q.lastOrder = chosen[0]!.order;
      for (const m of chosen) {
        const a = (m as MemberRec).agent;
        a.reserved = true;
        this.free.delete(a);
      }
      out.push({ caller: c.id, queue: q.id, agents: chosen.map((m) => m.id), mode });
    }
    return out;
  }

  // Across the queues free agents serve, the best caller one of them can take,
  // with the agents that may take it (lowest penalty first).
  private bestMatch(nowMs: number): { caller: CallerRec; cands: MemberRec[] } | null {
    const queues = new Set<QueueRec>();
    for (const a of this.free) for (const m of a.members) if (m.queue.unoffered > 0) queues.add(m.queue);
    let best: { caller: CallerRec; cands: MemberRec[] } | null = null;
    for (const q of queues) {
      if (best && q.weight < best.caller.queue.weight) continue;
      const freeMembers = this.freeMembers(q, nowMs);
      if (!freeMembers.length) continue;
      for (const c of q.waiting) {
        if (c.offered) continue;
        // Later callers of this queue rank lower than the best found so far.
        if (best && q.weight === best.caller.queue.weight && !ranksBefore(c, best.caller)) break;
        const cands = this.qualified(c, freeMembers, nowMs);
        if (cands.length) { best = { caller: c, cands }; break; }
      }
    }
    return best;
  }

  // Free members of the queue who meet its own requirements as far as its
  // longest-waiting caller has widened them: nobody else can take any of its
  // callers, so a queue none of the free agents is skilled for costs nothing.
  private freeMembers(q: QueueRec, nowMs: number): MemberRec[] {
    const out: MemberRec[] = [];
    const base = q.base;
    const widen = base.length && q.widenMs > 0 && q.oldestMs !== Infinity ? Math.floor(Math.max(0, nowMs - q.oldestMs) / q.widenMs) : 0;
    if (this.free.size < q.members.length) {
      for (const a of this.free) {
        const m = q.byAgent.get(a.id);
        if (m && (!base.length || hasSkills(a.skills, base, widen))) out.push(m);
      }
      if (out.length > 1) out.sort(byOrder);
    } else {
      for (const m of q.members) if (this.free.has(m.agent) && (!base.length || hasSkills(m.agent.skills, base, widen))) out.push(m);
    }
    if (!out.length && base.length && q.widenMs > 0 && q.oldestMs !== Infinity && this.free.size) {
      const next = q.oldestMs + (widen + 1) * q.widenMs;
      if (next < this.wakeAtMs) this.wakeAtMs = next;
    }
    return out;
  }

  // The free members who may take this caller now: a returning caller's
  // agent alone when free, else those with the skills at the lowest penalty.
  private qualified(c: CallerRec, free: MemberRec[], nowMs: number): MemberRec[] {
    if (c.preferredAgent !== undefined) {
      const m = free.find((x) => x.id === c.preferredAgent);
      if (m) return [m];
    }
    const widen = c.queue.widenMs > 0 ? Math.floor(Math.max(0, nowMs - c.joinedMs) / c.queue.widenMs) : 0;
    let out: MemberRec[] = [];
    let penalty = Infinity;
    for (const m of free) {
      if (m.penalty > penalty) continue;
      if (!hasSkills(m.agent.skills, c.needs, widen)) continue;
      if (m.penalty < penalty) { penalty = m.penalty; out = []; }
      out.push(m);
    }
    if (!out.length && c.needs.length && c.queue.widenMs > 0) {
      // Nobody free qualifies yet; the requirement drops at the next step.
      const next = c.joinedMs + (widen + 1) * c.queue.widenMs;
      if (next < this.wakeAtMs) this.wakeAtMs = next;
    }
    return out;
  }
}

function needsOf(q: QueueRec, own: Record<string, number> | undefined): Array<[string, number]> {
  const need: Record<string, number> = { ...q.skills };
  for (const [k, v] of Object.entries(own ?? {})) need[k] = Math.max(need[k] ?? 0, v);
  return Object.entries(need).filter(([, v]) => v > 0);
}

function hasSkills(skills: Record<string, number>, needs: Array<[string, number]>, widen: number): boolean {
  for (const [name, level] of needs) {
    const want = level - widen;
    if (want > 0 && (skills[name] ?? 0) < want) return false;
  }
  return true;
}

const byOrder = (x: MemberRec, y: MemberRec) => x.order - y.order;

function ranksBefore(a: CallerRec, b: CallerRec): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.joinedMs !== b.joinedMs) return a.joinedMs < b.joinedMs;
  return a.seq < b.seq;
}

// Binary searches over a queue's waiting list, sorted by rank.
function insertAt(list: CallerRec[], c: CallerRec): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranksBefore(list[mid]!, c)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function indexOf(list: CallerRec[], c: CallerRec): number {
  const i = insertAt(list, c);
  return list[i] === c ? i : -1;
}
