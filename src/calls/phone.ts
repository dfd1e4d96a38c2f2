// An analog phone goes off-hook: it hears dial tone (the engine gives it),
// dials, and the number decides: another extension, a park slot, a feature
// code, or an outside number through the outbound routes, within the
// extension's class of service.
import type { CallContext } from './context.js';
import { CallSession } from './session.js';
import { Journey } from './journey.js';
import { Hangup, type Leg } from './leg.js';
import { callExtension, connect, goTo } from './destinations.js';
import { dialOut } from './dial-external.js';
import { planOutbound, dialComplete } from './outbound.js';
import { runFeature, featureComplete } from './features.js';
import { parseFeature } from './feature-codes.js';
import type { Extension } from '../config/schemas.js';

const FIRST_DIGIT_MS = 10000;

export async function phoneOffhook(ctx: CallContext, leg: Leg): Promise<void> {
  const ext = ctx.config.extensionByPort(leg.chan);
  try {
    if (!ext) {
      ctx.store.journal.append('system', 'UnassignedPhoneUsed', { data: { chan: leg.chan } });
      await ctx.engine.tone(leg.chan, 'congestion');
      await leg.wait(() => false);
      return;
    }
    const dialed = await collectNumber(ctx, leg, ext);
    if (!dialed) {
      // Nothing dialed in time: busy tone until the phone is put down.
      await ctx.engine.tone(leg.chan, 'busy');
      await leg.wait(() => false);
      return;
    }
    await route(ctx, leg, ext, dialed);
  } catch (e) {
    if (!(e instanceof Hangup)) ctx.log.error('phone call failed', { chan: leg.chan, error: (e as Error).message, stack: (e as Error).stack });
  } finally {
    // A leg handed to another call (a parked call picked up) is not ours to end.
    if (!leg.handedOver) await leg.release();
  }
}

async function collectNumber(ctx: CallContext, leg: Leg, ext: Extension): Promise<string> {
  let dialed = '';
  for (;;) {
    const d = await leg.nextDigit(dialed ? ctx.config.settings.interDigitMs : FIRST_DIGIT_MS);
    if (d === null) return dialed;
    if (d === '#' && dialed && !dialed.startsWith('*')) return dialed;
    dialed += d;
    if (dialed.length >= 24) return dialed;
    if (dialed.startsWith('*')) {
      if (featureComplete(ctx, dialed)) return dialed;
      continue;
    }
    if (dialComplete(ctx, dialed, ext) === 'complete') return dialed;
  }
}

async function route(ctx: CallContext, leg: Leg, ext: Extension, dialed: string): Promise<void> {
  const settings = ctx.config.settings;
  const feature = parseFeature(settings, dialed);
  if (dialed.startsWith('*')) {
    if (feature) return runFeature(ctx, leg, ext, feature.name, feature.arg);
    await ctx.engine.answer(leg.chan).catch(() => {});
    await leg.play([ctx.prompt('invalid', ext.language)]);
    return;
  }
  const slot = Number(dialed);
  if (!ctx.config.extension(dialed) && ctx.parking.isSlot(slot)) {
    if (ctx.parking.pickup(slot, leg)) { leg.handedOver = true; return; }
    await leg.play([ctx.prompt('park_empty')]);
    return;
  }
  const queue = ctx.config.list('queue').find((q) => q.number === dialed);
  const internal = !!ctx.config.extension(dialed) || !!queue;
  const journey = new Journey(ctx.store, {
    direction: internal ? 'internal' : 'outbound', caller: ext.ext, callerName: ext.name, callee: dialed,
    port: leg.chan, extension: ext.ext, legs: [leg.chan], engineMs: ctx.engineMs(),
  }, ctx.now);
  journey.log('CallDialed', ctx.engineMs(), { from: ext.ext, dialed });
  const s = new CallSession(ctx, journey, leg, ext.ext, ext.name);
  s.lang = ext.language ?? settings.language;
  s.recordingMode = ext.recording;
  leg.handedOver = true;   // the session ends the leg, not the phone loop
  await s.run(async () => {
    await s.answerCaller();
    if (queue) return goTo(s, { type: 'queue', queue: queue.id });
    if (internal) return callExtension(s, dialed, 0);
    const plan = planOutbound(ctx, dialed, ext.cos);
    if (!plan.ok) {
      s.disposition = 'failed';
      journey.log('OutboundRefused', ctx.engineMs(), { dialed, reason: plan.reason, message: plan.message });
      await ctx.engine.tone(leg.chan, 'congestion');
      await leg.pause(8000);
      return;
    }
    journey.set({ route: plan.route, callee: plan.number });
    journey.log('OutboundRouteChosen', ctx.engineMs(), { route: plan.route, number: plan.number });
    await ctx.engine.tone(leg.chan, 'ringback').catch(() => {});
    const r = await dialOut(s, plan.number, plan.trunks);
    await ctx.engine.stopTone(leg.chan).catch(() => {});
    if (r.outcome === 'answered') return connect(s, r.leg, { external: plan.number });
    s.disposition = r.outcome === 'busy' ? 'busy' : r.outcome === 'no-answer' ? 'no_answer' : 'failed';
    await ctx.engine.tone(leg.chan, r.outcome === 'busy' ? 'busy' : 'congestion');
    await leg.pause(8000);
  });
}
