// Click-to-dial from the agent's console: the box rings the agent's phone
// first (an analog phone cannot be lifted remotely), and once the agent
// answers it dials the customer through the outbound routes with the agent's
// extension's class of service, with ringback meanwhile. The call is a
// journey of its own, tagged click-to-dial.
import type { CallContext } from '../calls/context.js';
import { CallSession } from '../calls/session.js';
import { Journey } from '../calls/journey.js';
import { Leg } from '../calls/leg.js';
import { planOutbound } from '../calls/outbound.js';
import { dialOut } from '../calls/dial-external.js';
import { talk } from '../calls/talk.js';
import { phoneCallerId } from '../calls/dial-extension.js';
import { AcdError } from './acd.js';

// Resolves with the journey once the agent's phone rings.
export async function clickToDial(ctx: CallContext, agent: string, number: string, by: string): Promise<string> {
  const a = ctx.acd.agents.get(agent);
  if (!a) throw new AcdError('not_found', `agent ${agent} does not exist`);
  const ext = ctx.config.extension(a.ext);
  if (!ext || ext.port === undefined) throw new AcdError('bad_extension', `agent ${agent}'s extension ${a.ext} has no phone to ring`);
  const plan = planOutbound(ctx, number, ext.cos);
  if (!plan.ok) throw new AcdError('refused', `${number}: ${plan.message}`);
  const port = ext.port;
  const leg = new Leg(port, 'fxs', ctx.engine, ctx.timers);
  if (!ctx.ports.isFree(port) || !ctx.ports.claim(port, leg)) throw new AcdError('busy', `agent ${agent}'s phone ${ext.ext} is busy`);
  const journey = new Journey(ctx.store, { direction: 'outbound', caller: ext.ext, callerName: ext.name, callee: plan.number, extension: ext.ext, legs: [], engineMs: ctx.engineMs() }, ctx.now);
  journey.tag('click-to-dial');
  journey.log('ClickToDial', ctx.engineMs(), { agent, number, route: plan.route, by });
  const s = new CallSession(ctx, journey, leg, ext.ext, ext.name);
  const since = leg.mark();
  const cid = phoneCallerId(number, 'Click to dial');
  try {
    await ctx.engine.ring(port, { number: cid.number, name: cid.name, callerId: 'bell202' });
  } catch (e) {
    s.disposition = 'failed';
    await s.finish();
    throw new AcdError('busy', `phone ${ext.ext} cannot ring: ${(e as Error).message}`);
  }
  void s.run(async () => {
    const answered = await leg.wait((e) => e.event === 'ChannelAnswered', 30_000, since);
    if (!answered) { s.disposition = 'no_answer'; await ctx.engine.stopRing(port).catch(() => {}); return; }
    await ctx.engine.tone(port, 'ringback').catch(() => {});
    const r = await dialOut(s, plan.number, plan.trunks);
    await ctx.engine.stopTone(port).catch(() => {});
    if (r.outcome !== 'answered') {
      s.disposition = r.outcome === 'busy' ? 'busy' : r.outcome === 'no-answer' ? 'no_answer' : 'failed';
      await ctx.engine.tone(port, r.outcome === 'busy' ? 'busy' : 'congestion').catch(() => {});
      await leg.wait(() => false, 10_000).catch(() => {});
      return;
    }
    journey.answered(ctx.engineMs(), { callee: plan.number, agent });
    await talk(s, leg, r.leg);
  });
  return journey.id;
}
