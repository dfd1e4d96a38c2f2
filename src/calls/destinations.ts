// Sends a call to a destination: an extension (with its forwarding, busy and
// no-answer handling), an IVR, voicemail, an outside number, a tone or an
// announcement. Destinations chain (an IVR choice, a forward, a time
// condition); a depth limit stops a configuration loop from spinning.
import type { CallSession } from './session.js';
import type { Leg } from './leg.js';
import type { Destination } from '../routing/destination.js';
import type { ExitDestination } from '../ivr/definition.js';
import { resolveTarget } from '../routing/resolve-target.js';
import { ringExtension } from './dial-extension.js';
import { dialOut } from './dial-external.js';
import { runIvr } from './ivr.js';
import { leaveVoicemail, mailbox } from './voicemail.js';
import { talk } from './talk.js';
import { decideRecording, startRecording } from './recording.js';
import { planOutbound } from './outbound.js';
import { enqueue } from '../acd/queue-call.js';
import type { Extension } from '../config/schemas.js';
import type { ClassOfService } from '../routing/dial-plan.js';

const MAX_DEPTH = 12;

// An IVR's exit, in the routing layer's terms.
export function fromIvrExit(d: ExitDestination): Destination {
  return d.type === 'ivr' ? { type: 'ivr', menu: d.id } : d;
}

export async function goTo(s: CallSession, dest: Destination, depth = 0): Promise<void> {
  if (depth > MAX_DEPTH) {
    s.journey.log('RoutingLoop', s.ctx.engineMs(), { at: dest });
    await tone(s, 'congestion');
    return;
  }
  s.journey.log('DestinationEntered', s.ctx.engineMs(), { destination: dest });
  const next = (d: Destination) => goTo(s, d, depth + 1);
  switch (dest.type) {
    case 'extension': return callExtension(s, dest.ext, depth);
    case 'ivr': {
      const ivr = s.ctx.config.doc('ivr', dest.menu);
      if (!ivr) { s.journey.log('RoutingProblem', s.ctx.engineMs(), { problem: `IVR ${dest.menu} does not exist` }); return next({ type: 'operator' }); }
      s.lang = ivr.language;
      return next(fromIvrExit(await runIvr(s, ivr)));
    }
    case 'voicemail': return leaveVoicemail(s, dest.box);
    case 'timecondition': {
      const r = resolveTarget(dest, s.ctx.config.table('timeCondition'), s.ctx.now());
      s.journey.log('TimeConditionEvaluated', s.ctx.engineMs(), { trace: r.trace.map((t) => t.text), problems: r.problems });
      return next(r.destination);
    }
    case 'external': return callExternal(s, dest.number);
    case 'operator': {
      const op = s.ctx.config.settings.operator;
      if (op) return callExtension(s, op, depth);
      s.journey.log('NoOperator', s.ctx.engineMs());
      await s.answerCaller();
      await s.caller.play([s.prompt('closed')]).catch(() => {});
      return;
    }
    case 'announcement': {
      await s.answerCaller();
      s.selfService = true;
      await s.caller.play([s.ctx.prompt(dest.prompt.includes(':') ? dest.prompt : `custom:${dest.prompt}`, s.lang)]);
      if (dest.then) return next(dest.then);
      return;
    }
    case 'hangup': {
      // An exchange line cannot refuse a call without answering it.
      if (s.caller.trunk) await s.answerCaller();
      return;
    }
    case 'busy': return tone(s, 'busy');
    case 'congestion': return tone(s, 'congestion');
    case 'queue': {
      const then = await enqueue(s, dest.queue);
      if (then) return next(then);
      return;
    }
  }
}

async function tone(s: CallSession, t: 'busy' | 'congestion'): Promise<void> {
  await s.answerCaller();
  await s.ctx.engine.tone(s.caller.chan, t);
  await s.caller.pause(8000);
}

// Connects the caller with a leg that answered: answers the caller's line if
// it still rings, starts recording by policy, and talks until the end.
export async function connect(s: CallSession, leg: Leg, who: { extension?: Extension; external?: string }): Promise<void> {
  await s.answerCaller();
  await s.ctx.engine.stopTone(s.caller.chan).catch(() => {});
  // An outside party answering keeps the extension the call is for (a
  // forward, follow-me) or from (a phone dialing out) in the CDR.
  s.journey.answered(s.ctx.engineMs(), who.extension ? { extension: who.extension.ext, callee: who.extension.ext } : { callee: who.external ?? '' });
  if (who.extension && s.callerNumber && s.caller.trunk) s.ctx.lastCaller.set(who.extension.ext, s.callerNumber);
  const trunk = s.caller.trunk ? s.ctx.config.trunkByPort(s.caller.chan) : undefined;
  s.recordingMode = decideRecording(who.extension?.recording, s.recordingMode, trunk?.recording);
  if (s.recordingMode === 'always') await startRecording(s, s.caller, 'policy');
  await talk(s, s.caller, leg);
  const then = s.next;
  s.next = null;
  if (then) await goTo(s, then);
}

export async function callExtension(s: CallSession, extNo: string, depth: number): Promise<void> {
  const ext = s.ctx.config.extension(extNo);
  if (!ext) {
    s.journey.log('RoutingProblem', s.ctx.engineMs(), { problem: `extension ${extNo} does not exist` });
    await s.answerCaller();
    await s.caller.play([s.prompt('not_in_service')]).catch(() => {});
    return;
  }
  // Until someone answers, the CDR names the extension the call is for (so a
  // missed call counts against it); the answer sets who took it.
  if (!s.journey.isAnswered) {
    s.journey.set({ extension: ext.ext, callee: ext.ext });
    s.journey.log('ExtensionTargeted', s.ctx.engineMs(), { ext: ext.ext });
  }
  if (ext.forward.always) {
    s.journey.log('CallForwarded', s.ctx.engineMs(), { from: ext.ext, to: ext.forward.always, why: 'always' });
    return forwardTo(s, ext, ext.forward.always, depth);
  }
  const r = await ringExtension(s, ext, { number: s.callerNumber, name: s.callerName });
  if (r.outcome === 'answered') return connect(s, r.leg, { extension: ext });
  const why = r.outcome === 'no-answer' ? 'noAnswer' : 'busy';
  const fwd = why === 'noAnswer' ? ext.forward.noAnswer : ext.forward.busy;
  if (fwd) {
    s.journey.log('CallForwarded', s.ctx.engineMs(), { from: ext.ext, to: fwd, why });
    return forwardTo(s, ext, fwd, depth);
  }
  if (why === 'noAnswer' && ext.followMe.enabled && ext.followMe.numbers.length) {
    for (const n of ext.followMe.numbers) {
      s.journey.log('FollowMeTrying', s.ctx.engineMs(), { ext: ext.ext, number: n });
      const leg = await tryExternal(s, n, ext.followMe.ringSec);
      if (leg) return connect(s, leg, { external: n });
    }
  }
  if (mailbox(s.ctx, ext.ext)) return leaveVoicemail(s, ext.ext);
  s.disposition = r.outcome === 'no-answer' ? 'no_answer' : 'busy';
  await tone(s, 'busy');
}

// A forward goes out with the forwarding extension's class of service: a
// phone sets it with *72, and must not reach numbers it could not dial.
async function forwardTo(s: CallSession, ext: Extension, number: string, depth: number): Promise<void> {
  if (s.ctx.config.extension(number)) return goTo(s, { type: 'extension', ext: number }, depth + 1);
  return callExternal(s, number, ext.cos);
}

async function tryExternal(s: CallSession, number: string, ringSec?: number, cos: ClassOfService = 'international'): Promise<Leg | null> {
  const plan = planOutbound(s.ctx, number, cos);
  if (!plan.ok) { s.journey.log('OutboundRefused', s.ctx.engineMs(), { number, reason: plan.reason, message: plan.message }); return null; }
  if (s.caller.answered) await s.ctx.engine.tone(s.caller.chan, 'ringback').catch(() => {});
  const r = await dialOut(s, plan.number, plan.trunks, { ringSec });
  if (r.outcome === 'answered') return r.leg;
  s.journey.log('OutboundFailed', s.ctx.engineMs(), { number, outcome: r.outcome });
  return null;
}

async function callExternal(s: CallSession, number: string, cos?: ClassOfService): Promise<void> {
  await s.answerCaller();
  const leg = await tryExternal(s, number, undefined, cos);
  if (leg) return connect(s, leg, { external: number });
  await tone(s, 'congestion');
}
