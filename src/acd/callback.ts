// Press-1-for-callback: the caller hangs up but keeps their place in the
// queue. When the place comes up, the agent's phone rings first (so no
// customer is dialled without an agent ready), then the customer is dialled
// back through a trunk and the two talk. The callback is a journey of its
// own; its queue events name the original call's journey, so the queue's
// numbers count the caller once.
import { secs } from './events.js';
import type { CallSession } from '../calls/session.js';
import { CallSession as Session } from '../calls/session.js';
import { Leg } from '../calls/leg.js';
import { Journey } from '../calls/journey.js';
import type { CallContext } from '../calls/context.js';
import type { Queue } from './schemas.js';
import type { Offer } from './router.js';
import { offerToAgents } from './offer.js';
import { dialOut } from '../calls/dial-external.js';
import { planOutbound } from '../calls/outbound.js';
import { talk } from '../calls/talk.js';

export async function requestCallback(s: CallSession, q: Queue, joinedMs: number): Promise<void> {
  const { ctx } = s;
  const acd = ctx.acd;
  const original = s.journey.id;
  const number = s.callerNumber;
  const position = acd.router.position(original) || 1;
  acd.queueLog(original, 'CallbackRequested', { queue: q.id, number, position, waitSec: secs(ctx.engineMs() - joinedMs) });
  s.journey.tag('callback');
  s.disposition = 'callback';
  // The call back goes out on the queue's callback trunk, else on the trunk
  // the caller came in on (the number as received is right for that line),
  // else through the outbound routes.
  const trunk = q.callback.trunk ?? ctx.config.trunkByPort(s.caller.chan)?.id;
  acd.waiters.set(original, { queue: q.id, offer: (o) => { void serveCallback(ctx, q, o, original, number, joinedMs, trunk); } });
  await ctx.engine.stopPlay(s.caller.chan).catch(() => {});
  await s.caller.play([s.prompt('callback_confirmed')]).catch(() => 'done');
}

async function serveCallback(ctx: CallContext, q: Queue, o: Offer, original: string, number: string, joinedMs: number, trunk: string | undefined): Promise<void> {
  const acd = ctx.acd;
  const a = o.agents[0] ? acd.agents.get(o.agents[0]) : undefined;
  const ext = a ? ctx.config.extension(a.ext) : undefined;
  if (!ext || ext.port === undefined) { acd.router.retry(original); acd.kick(); return; }
  const journey = new Journey(ctx.store, { direction: 'outbound', caller: ext.ext, callerName: ext.name, callee: number, extension: ext.ext, queue: q.id, legs: [], engineMs: ctx.engineMs() }, ctx.now);
  journey.tag('callback');
  journey.log('CallbackStarted', ctx.engineMs(), { for: original, queue: q.id, number });
  // Until an agent answers, the callback has no line: a leg that is never
  // claimed stands for it (nothing hangs it up; it never goes away).
  const stand = new Leg(ext.port, 'fxs', ctx.engine, ctx.timers);
  const s = new Session(ctx, journey, stand, number, 'callback');
  s.legs.delete(stand);
  journey.dropLeg(stand.chan);
  stand.released = true;
  await s.run(async () => {
    const taken = await offerToAgents(s, acd, q, o, joinedMs);
    if (!taken) { s.disposition = 'no_answer'; acd.router.retry(original); acd.kick(); return; }
    acd.router.leave(original);
    acd.waiters.delete(original);
    s.caller = taken.leg;
    acd.offerTaken(taken.agent, { journey: journey.id, agentChan: taken.leg.chan, callerChan: taken.leg.chan });
    const served = (outcome: 'answered' | 'no-answer' | 'failed') =>
      acd.queueLog(original, 'CallbackServed', { queue: q.id, agent: taken.agent, number, outcome, waitSec: secs(ctx.engineMs() - joinedMs) });
    try {
      const plan = trunk ? { ok: true as const, number, trunks: [trunk] } : planOutbound(ctx, number, 'long-distance');
      if (!plan.ok) {
        journey.log('OutboundRefused', ctx.engineMs(), { number, reason: plan.reason, message: plan.message });
        served('failed');
        s.disposition = 'failed';
        return;
      }
      await ctx.engine.tone(taken.leg.chan, 'ringback').catch(() => {});
      const r = await dialOut(s, plan.number, plan.trunks);
      await ctx.engine.stopTone(taken.leg.chan).catch(() => {});
      served(r.outcome === 'answered' ? 'answered' : r.outcome === 'no-answer' ? 'no-answer' : 'failed');
      if (r.outcome !== 'answered') { s.disposition = r.outcome === 'busy' ? 'busy' : r.outcome === 'no-answer' ? 'no_answer' : 'failed'; return; }
      journey.answered(ctx.engineMs(), { callee: number, agent: taken.agent });
      const answerMs = ctx.engineMs();
      try {
        await talk(s, taken.leg, r.leg);
      } finally {
        const talkSec = secs(ctx.engineMs() - answerMs);
        acd.queueLog(original, 'QueueCallCompleted', { queue: q.id, agent: taken.agent, talkSec, endedBy: r.leg.hungUp ? 'caller' : 'agent' });
        acd.router.recordCall(taken.agent, q.id, ctx.engineMs(), talkSec);
      }
    } finally {
      acd.callDone(taken.agent, q.id);
    }
  });
}
