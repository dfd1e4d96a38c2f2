// Routing decision time: 10,000 waiting callers, 500 agents, 20 queues with
// skills. All agents are busy; one becomes free and the router picks the
// caller it takes (the decision an ACD makes when a phone is put down). Each
// decision is timed alone; the offered caller then leaves, a new one joins,
// so the load stays at 10,000.
//
// Baseline, same run, same state: a naive scan that walks every waiting
// caller in rank order and, for each, every agent (free? member? skills?
// lowest penalty?), the way a polling ACD re-examines its whole list. Both
// must pick the same caller; the bench counts disagreements.
import { Router } from '../src/acd/router.js';
import { seededRandom, summarize, type Summary } from './stats.js';

interface Caller { id: string; queue: number; priority: number; joinedMs: number; skills: Record<string, number>; seq: number }
interface Agent { id: string; skills: Record<string, number>; queues: Map<number, number>; free: boolean }

const SKILLS = ['billing', 'mandarin', 'english', 'cantonese', 'tech'];

export async function benchDecision(args: string[]): Promise<object> {
  const callersN = Number(flag(args, '--callers') ?? 10_000);
  const agentsN = Number(flag(args, '--agents') ?? 500);
  const queuesN = Number(flag(args, '--queues') ?? 20);
  const decisions = Number(flag(args, '--decisions') ?? 20_000);
  const naiveDecisions = Number(flag(args, '--naive-decisions') ?? 2_000);
  const rnd = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  // Agents: two or three skills at levels 1-10, members of three queues with penalty 0-2.
  const agents: Agent[] = [];
  for (let i = 0; i < agentsN; i++) {
    const skills: Record<string, number> = {};
    for (let k = 0; k < 2 + Math.floor(rnd() * 2); k++) skills[pick(SKILLS)] = 1 + Math.floor(rnd() * 10);
    const queues = new Map<number, number>();
    while (queues.size < 3) queues.set(Math.floor(rnd() * queuesN), Math.floor(rnd() * 3));
    agents.push({ id: `a${i}`, skills, queues, free: false });
  }
  // Queues: half need one skill at level 2-4, the rest none; one widening step a minute.
  const queueSkills: Array<Record<string, number>> = [];
  for (let q = 0; q < queuesN; q++) queueSkills.push(q % 2 ? { [pick(SKILLS)]: 2 + Math.floor(rnd() * 3) } : {});

  const router = new Router({ random: rnd });
  for (const a of agents) router.setAgent({ id: a.id, skills: a.skills, weight: 1 });
  for (let q = 0; q < queuesN; q++) {
    const members = agents.filter((a) => a.queues.has(q)).map((a) => ({ agent: a.id, penalty: a.queues.get(q)! }));
    router.setQueue({ id: `q${q}`, strategy: 'linear', weight: 0, skills: queueSkills[q]!, skillWidenSec: 60, members });
  }

  // Callers: 5 % VIP, a fifth with a skill of their own at level 3-7.
  let seq = 0;
  let now = 0;
  // The naive side keeps its own list in rank order (kept outside the timed part).
  const waiting: Caller[] = [];
  const rank = (x: Caller, y: Caller) => y.priority - x.priority || x.joinedMs - y.joinedMs || x.seq - y.seq;
  const join = () => {
    const c: Caller = {
      id: `c${seq}`, queue: Math.floor(rnd() * queuesN), priority: rnd() < 0.05 ? 10 : 0, joinedMs: now, seq: seq++,
      skills: rnd() < 0.2 ? { [pick(SKILLS)]: 3 + Math.floor(rnd() * 5) } : {},
    };
    let lo = 0;
    let hi = waiting.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (rank(waiting[mid]!, c) < 0) lo = mid + 1; else hi = mid; }
    waiting.splice(lo, 0, c);
    router.join({ id: c.id, queue: `q${c.queue}`, priority: c.priority, joinedMs: c.joinedMs, skills: c.skills });
    now += 37;
  };
  for (let i = 0; i < callersN; i++) join();

  // The first decisions warm the JIT up and are not counted.
  const warmup = Math.min(2000, Math.floor(decisions / 10));
  const times: number[] = [];
  const naiveTimes: number[] = [];
  let disagreements = 0;
  let unserved = 0;
  for (let i = -warmup; i < decisions; i++) {
    const a = pick(agents);
    a.free = true;
    let naiveChoice: string | null | undefined;
    if (i >= 0 && i < naiveDecisions) {
      const t0 = process.hrtime.bigint();
      naiveChoice = naive(waiting, agents, queueSkills, now);
      naiveTimes.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    const t0 = process.hrtime.bigint();
    router.setAvailable(a.id, true);
    const offers = router.dispatch(now);
    if (i >= 0) times.push(Number(process.hrtime.bigint() - t0) / 1000);
    const o = offers[0];
    if (naiveChoice !== undefined && (o?.caller ?? null) !== naiveChoice) disagreements++;
    if (!o) { unserved++; router.setAvailable(a.id, false); a.free = false; continue; }
    router.leave(o.caller);
    waiting.splice(waiting.findIndex((c) => c.id === o.caller), 1);
    router.setAvailable(a.id, false);
    a.free = false;
    join();
  }
  // A caller joining while every agent is busy: the other decision an ACD makes.
  const joinTimes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = process.hrtime.bigint();
    join();
    router.dispatch(now);
    joinTimes.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const decisionUs: Summary = summarize(times, 2);
  const naiveUs: Summary = summarize(naiveTimes, 2);
  return {
    waitingCallers: callersN, agents: agentsN, queues: queuesN, decisions,
    decisionP99Us: decisionUs.p99,
    decisionUs,
    joinDecisionUs: summarize(joinTimes, 2),
    naiveUs,
    naiveRatio: Number((naiveUs.p50 / Math.max(0.01, decisionUs.p50)).toFixed(1)),
    naiveRatioP99: Number((naiveUs.p99 / Math.max(0.01, decisionUs.p99)).toFixed(1)),
    naiveDecisionsCompared: Math.min(naiveDecisions, decisions),
    disagreements,
    agentFreedWithNoCallerItCouldTake: unserved,
  };
}

// Every waiting caller in rank order; for each, every agent.
function naive(order: readonly Caller[], agents: Agent[], queueSkills: Array<Record<string, number>>, now: number): string | null {
  for (const c of order) {
    const widen = Math.floor((now - c.joinedMs) / 60_000);
    const need: Record<string, number> = { ...queueSkills[c.queue] };
    for (const [k, v] of Object.entries(c.skills)) need[k] = Math.max(need[k] ?? 0, v);
    let best: Agent | null = null;
    for (const a of agents) {
      if (!a.free || !a.queues.has(c.queue)) continue;
      let ok = true;
      for (const [k, v] of Object.entries(need)) if (v - widen > 0 && (a.skills[k] ?? 0) < v - widen) { ok = false; break; }
      if (ok && (!best || a.queues.get(c.queue)! < best.queues.get(c.queue)!)) best = a;
    }
    if (best) return c.id;
  }
  return null;
}

function flag(args: string[], name: string): string | undefined { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; }
