// Ringing agents for a waiting caller: one phone, all of them at once, or one
// more every few seconds (ring-progressively). The caller keeps hearing music
// meanwhile. Resolves with the agent who answered, or null.
import { secs } from './events.js';
import type { CallSession } from '../calls/session.js';
import type { Leg } from '../calls/leg.js';
import type { Queue } from './schemas.js';
import type { Offer } from './router.js';
import type { Acd } from './acd.js';
import { phoneCallerId } from '../calls/dial-extension.js';

export interface Taken { agent: string; ext: string; leg: Leg }

interface Ringing { agent: string; ext: string; leg: Leg; since: number }

export async function offerToAgents(s: CallSession, acd: Acd, q: Queue, o: Offer, joinedMs: number): Promise<Taken | null> {
  const rings: Ringing[] = [];
  const settled = new Set<string>();
  let winner: Taken | null = null;
  const order = [...o.agents];
  const start = async (agent: string): Promise<Ringing | null> => {
    const a = acd.agents.get(agent);
    const ext = a && s.ctx.config.extension(a.ext);
    const leg = ext?.port !== undefined ? s.claim(ext.port) : null;
    if (!a || !ext || !leg) { settled.add(agent); acd.offerMissed(agent, q.id, false); acd.queueLog(s.journey.id, 'QueueOfferMissed', { queue: q.id, agent, why: 'busy' }); return null; }
    const cid = phoneCallerId(s.callerNumber, s.callerName || q.name || q.id);
    const since = leg.mark();
    try {
      await s.ctx.engine.ring(ext.port!, { number: cid.number, name: cid.name, callerId: 'bell202' });
    } catch {
      await leg.release();
      settled.add(agent);
      acd.offerMissed(agent, q.id, false);
      acd.queueLog(s.journey.id, 'QueueOfferMissed', { queue: q.id, agent, why: 'busy' });
      return null;
    }
    acd.queueLog(s.journey.id, 'QueueOffered', { queue: q.id, agent, ext: ext.ext, chan: ext.port!, waitSec: secs(s.ctx.engineMs() - joinedMs) });
    acd.ringing(agent, { journey: s.journey.id, caller: s.callerNumber, callerName: s.callerName, queue: q.id });
    const r = { agent, ext: ext.ext, leg, since };
    rings.push(r);
    return r;
  };

  // Each ringing phone resolves this when answered.
  let answered!: (r: Ringing) => void;
  const anyAnswer = new Promise<Ringing>((res) => { answered = res; });
  const watch = (r: Ringing) => {
    void r.leg.wait((e) => e.event === 'ChannelAnswered', q.ringSec * 1000, r.since).then((e) => {
      if (e) answered(r);
      else if (!settled.has(r.agent)) missed(r, 'no-answer');
    }, () => { if (!settled.has(r.agent)) missed(r, 'no-answer'); });
  };
  let allMissed!: () => void;
  const noneLeft = new Promise<null>((res) => { allMissed = () => res(null); });
  const missed = (r: Ringing, why: 'no-answer' | 'busy' | 'caller-left') => {
    settled.add(r.agent);
    void stop(r);
    acd.queueLog(s.journey.id, 'QueueOfferMissed', { queue: q.id, agent: r.agent, why });
    acd.offerMissed(r.agent, q.id, why !== 'caller-left');
    if (!winner && order.every((a) => settled.has(a))) allMissed();
  };
  const stop = async (r: Ringing) => {
    await s.ctx.engine.stopRing(r.leg.chan).catch(() => {});
    await r.leg.release();
  };

  const toStart = o.mode === 'all' ? order : order.slice(0, 1);
  for (const ag of toStart) { const r = await start(ag); if (r) watch(r); }
  let timer = o.mode === 'progressive' ? s.ctx.timers.after(q.progressiveSec * 1000) : null;
  let next = toStart.length;
  if (order.every((a) => settled.has(a))) allMissed();
  try {
    for (;;) {
      const r = await Promise.race([anyAnswer, noneLeft, s.caller.gone(), ...(timer ? [timer.promise.then(() => 'more' as const)] : [])]);
      if (r === 'more') {
        timer = next < order.length - 1 ? s.ctx.timers.after(q.progressiveSec * 1000) : null;
        const ag = order[next++];
        if (ag) { const rr = await start(ag); if (rr) watch(rr); }
        if (order.every((a) => settled.has(a))) allMissed();
        continue;
      }
      if (!r) return null;
      winner = { agent: r.agent, ext: r.ext, leg: r.leg };
      settled.add(r.agent);
      return winner;
    }
  } catch (e) {
    for (const r of rings) if (!settled.has(r.agent)) missed(r, 'caller-left');
    throw e;
  } finally {
    timer?.cancel();
    // Agents offered but never rung (progressive, caller taken first) are free again.
    for (const ag of order) if (!settled.has(ag) && !rings.some((r) => r.agent === ag)) { settled.add(ag); acd.offerMissed(ag, q.id, false); }
    for (const r of rings) if (r !== rings.find((x) => x.agent === winner?.agent) && !r.leg.released) {
      if (!settled.has(r.agent)) { settled.add(r.agent); acd.offerMissed(r.agent, q.id, false); }
      await stop(r);
    }
  }
}
