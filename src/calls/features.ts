// Feature codes dialed from an analog phone (the table is in
// config/schemas.ts FEATURE_CODES and docs/feature-codes.md). Settings a code
// changes are saved like any configuration change and journaled.
import type { CallContext } from './context.js';
import type { Leg } from './leg.js';
import { CallSession } from './session.js';
import { Journey } from './journey.js';
import { listenVoicemail } from './voicemail.js';
import { parseFeature, featureTable } from './feature-codes.js';
import type { Extension, FeatureName } from '../config/schemas.js';
import { evaluate } from '../routing/time-conditions.js';
import { planOutbound } from './outbound.js';
import { agentCode, superviseFromPhone, interceptFromPhone } from '../acd/phone-codes.js';

// Codes that take a number after them end with # or the inter-digit pause.
const WITH_ARG = new Set<FeatureName>(['forwardOn', 'forwardBusyOn', 'forwardNoAnswerOn', 'directedPickup', 'voicemailAny', 'recordPrompt',
  'agentLogin', 'agentPause', 'listen', 'whisper', 'barge', 'intercept']);

export function featureComplete(ctx: CallContext, dialed: string): boolean {
  const settings = ctx.config.settings;
  const f = parseFeature(settings, dialed);
  if (!f) return false;
  if (WITH_ARG.has(f.name)) return f.arg.endsWith('#');
  if (f.arg !== '') return true;
  // A code that is also the start of a longer code waits for more digits.
  return !featureTable(settings).some((t) => t.code.length > dialed.length && t.code.startsWith(dialed));
}

export async function runFeature(ctx: CallContext, leg: Leg, ext: Extension, name: FeatureName, rawArg: string): Promise<void> {
  const arg = rawArg.replace(/#$/, '');
  const say = (p: string) => leg.play([ctx.prompt(p, ext.language)]).catch(() => 'done' as const);
  const journal = (event: string, data: Record<string, unknown> = {}) =>
    ctx.store.journal.append('system', event, { data: { ext: ext.ext, feature: name, ...data }, at: ctx.now() });
  const save = (patch: Partial<Extension>) => { ctx.config.put('extension', ext.ext, { ...ext, ...patch }); };
  await ctx.engine.answer(leg.chan).catch(() => {});
  switch (name) {
    case 'dndOn': case 'dndOff':
      save({ dnd: name === 'dndOn' });
      journal('FeatureUsed', { dnd: name === 'dndOn' });
      await say(name === 'dndOn' ? 'feature_on' : 'feature_off');
      return;
    case 'forwardOn': case 'forwardBusyOn': case 'forwardNoAnswerOn': {
      if (!/^[0-9]{2,24}$/.test(arg)) { await say('invalid'); return; }
      const key = name === 'forwardOn' ? 'always' : name === 'forwardBusyOn' ? 'busy' : 'noAnswer';
      // A forward dials out for this phone: only where the phone itself may dial.
      const plan = ctx.config.extension(arg) ? null : planOutbound(ctx, arg, ext.cos);
      if (plan && !plan.ok) {
        journal('FeatureRefused', { forward: key, to: arg, reason: plan.reason, message: plan.message });
        await say('invalid');
        return;
      }
      save({ forward: { ...ext.forward, [key]: arg } });
      journal('FeatureUsed', { forward: key, to: arg });
      await say('feature_on');
      return;
    }
    case 'forwardOff': case 'forwardBusyOff': case 'forwardNoAnswerOff': {
      const key = name === 'forwardOff' ? 'always' : name === 'forwardBusyOff' ? 'busy' : 'noAnswer';
      const forward = { ...ext.forward };
      delete forward[key];
      save({ forward });
      journal('FeatureUsed', { forward: key, to: null });
      await say('feature_off');
      return;
    }
    case 'blockLast': {
      const last = ctx.lastCaller.get(ext.ext);
      if (!last) { await say('invalid'); return; }
      // Caller ID may carry + * #, which an entry id may not: spell them out
      // (dropping them would give +86… and 86… one entry).
      const id = `blk-${last.replace(/[^0-9]/g, (c) => ({ '+': 'p', '*': 's', '#': 'h' })[c] ?? '_')}`.slice(0, 40);
      ctx.config.put('screening', id, { id, list: 'block', match: { type: 'exact', value: last }, action: 'busy', note: `blocked from extension ${ext.ext}`, addedBy: `ext:${ext.ext}` });
      journal('CallerBlocked', { number: last, entry: id });
      await say('blocked_number_added');
      return;
    }
    case 'dayNight': {
      // Toggles a manual override on every time condition: forced night while
      // the schedule says otherwise, back to the schedule when pressed again.
      const now = ctx.now();
      const table = ctx.config.table('timeCondition');
      const anyForced = Object.values(table).some((tc) => tc.override.mode !== 'auto');
      for (const [id, tc] of Object.entries(table)) {
        ctx.config.put('timeCondition', id, { ...tc, override: anyForced ? { mode: 'auto' } : { mode: evaluate(tc, now).state === tc.defaultState ? 'day' : 'night' } });
      }
      const state = Object.entries(ctx.config.table('timeCondition')).map(([id, tc]) => `${id}:${evaluate(tc, now).state}`);
      journal('DayNightToggled', { override: !anyForced, states: state });
      await say(anyForced ? 'feature_off' : 'feature_on');
      return;
    }
    case 'voicemail': case 'voicemailAny': {
      const box = name === 'voicemail' ? ext.ext : arg;
      const own = box === ext.ext || ctx.config.doc('mailbox', box)?.members.includes(ext.ext) === true;
      await withSession(ctx, leg, ext, `voicemail ${box}`, (s) => listenVoicemail(s, leg, box, own));
      return;
    }
    case 'groupPickup': case 'directedPickup': {
      const target = [...ctx.ringing].find(([, r]) => name === 'directedPickup' ? r.ext === arg : !!ext.pickupGroup && r.group === ext.pickupGroup);
      if (!target) { await say('invalid'); return; }
      journal('CallPickup', { ringing: target[1].ext, how: name });
      leg.handedOver = true;
      target[1].pickup(leg);
      return;
    }
    case 'recordPrompt':
      await recordPrompt(ctx, leg, ext, arg);
      return;
    case 'agentLogin': case 'agentLogout': case 'agentPause': case 'agentReady':
      await agentCode(ctx, leg, ext, name, arg);
      return;
    case 'listen': case 'whisper': case 'barge':
      await superviseFromPhone(ctx, leg, ext, name, arg);
      return;
    case 'intercept':
      await interceptFromPhone(ctx, leg, ext, arg);
      return;
    case 'record': case 'recordPause': case 'park':
      // In-call codes: dialed on their own they do nothing.
      await say('invalid');
      return;
  }
}

// A short journey for a feature that is a call in itself (voicemail menu),
// so it appears in the CDR and journal.
async function withSession(ctx: CallContext, leg: Leg, ext: Extension, callee: string, body: (s: CallSession) => Promise<void>): Promise<void> {
  const journey = new Journey(ctx.store, { direction: 'internal', caller: ext.ext, callerName: ext.name, callee, port: leg.chan, extension: ext.ext, legs: [leg.chan], engineMs: ctx.engineMs() }, ctx.now);
  const s = new CallSession(ctx, journey, leg, ext.ext, ext.name);
  s.lang = ext.language ?? ctx.config.settings.language;
  s.disposition = 'answered';
  leg.handedOver = true;
  await s.run(() => body(s));
}

// *77 NN #: records a custom prompt "phone-NN" from the handset: beep, speak,
// # to finish; it replaces any earlier prompt of that number.
async function recordPrompt(ctx: CallContext, leg: Leg, ext: Extension, arg: string): Promise<void> {
  if (!/^[0-9]{1,4}$/.test(arg)) { await leg.play([ctx.prompt('invalid', ext.language)]); return; }
  const { importRecordedPrompt } = await import('./prompt-recording.js');
  await importRecordedPrompt(ctx, leg, ext, `phone-${arg}`);
}
