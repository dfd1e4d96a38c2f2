// The table of configuration kinds and the checks that span documents: every
// destination must lead somewhere that exists, ports belong to one owner,
// routes name trunks that exist, IVRs pass their own validation.
import { z } from 'zod';
import { systemSettingsSchema } from './system-settings.js';
import { extensionSchema, trunkSchema, screeningSchema, settingsSchema, mailboxSchema } from './schemas.js';
import { inboundRouteSchema } from '../routing/inbound.js';
import { outboundRouteSchema } from '../routing/outbound.js';
import { timeConditionSchema } from '../routing/time-conditions.js';
import { destinationSchema, type Destination } from '../routing/destination.js';
import { ivrSchema } from '../ivr/definition.js';
import { validateIvr, type IvrContext } from '../ivr/validate.js';
import { queueSchema, agentSchema } from '../acd/schemas.js';
import { spanSchema } from './span-schema.js';


export const KIND_SCHEMAS = {
  settings: settingsSchema,
  system: systemSettingsSchema,
  extension: extensionSchema,
  trunk: trunkSchema,
  screening: screeningSchema,
  mailbox: mailboxSchema,
  timeCondition: timeConditionSchema,
  inboundRoute: inboundRouteSchema,
  outboundRoute: outboundRouteSchema,
  ivr: ivrSchema,
  queue: queueSchema,
  agent: agentSchema,
  span: spanSchema,
} as const satisfies Record<string, z.ZodTypeAny>;

export type ConfigKind = keyof typeof KIND_SCHEMAS;
export type ConfigDocs = { [K in ConfigKind]: Map<string, z.output<(typeof KIND_SCHEMAS)[K]>> };

export interface CrossError { kind: ConfigKind; id: string; path: string; message: string; global?: boolean }

export interface CheckEnv { promptExists(ref: string, lang: 'zh' | 'en'): boolean }

export function crossCheck(d: ConfigDocs, env: CheckEnv): CrossError[] {
  const errors: CrossError[] = [];
  const err = (kind: ConfigKind, id: string, path: string, message: string) => errors.push({ kind, id, path, message });
  const sameId = (kind: ConfigKind, key: string, field: string, value: string) => {
    if (key !== value) err(kind, key, field, `saved as "${key}" but ${field} is "${value}"`);
  };
  const portOwner = new Map<number, string>();
  for (const [id, e] of d.extension) {
    sameId('extension', id, 'ext', e.ext);
    if (e.port !== undefined) {
      const other = portOwner.get(e.port);
      if (other) err('extension', id, 'port', `port ${e.port} already belongs to ${other}`);
      else portOwner.set(e.port, `extension ${e.ext}`);
    }
  }
  for (const [id, t] of d.trunk) {
    sameId('trunk', id, 'id', t.id);
    t.ports.forEach((p, i) => {
      const other = portOwner.get(p);
      if (other) err('trunk', id, `ports.${i}`, `port ${p} already belongs to ${other}`);
      else portOwner.set(p, `trunk ${t.id}`);
    });
  }
  for (const [id, sp] of d.span) sameId('span', id, 'span', String(sp.span));
  for (const [id, m] of d.mailbox) {
    sameId('mailbox', id, 'id', m.id);
    if (d.extension.has(id)) err('mailbox', id, 'id', `${id} is an extension's own mailbox number`);
    m.members.forEach((ext, i) => { if (!d.extension.has(ext)) err('mailbox', id, `members.${i}`, `extension ${ext} does not exist`); });
  }
  for (const [id] of d.settings) if (id !== 'main') err('settings', id, '(id)', 'settings are saved as "main"');
  const settings = d.settings.get('main');
  if (settings?.operator && !d.extension.has(settings.operator)) err('settings', 'main', 'operator', `extension ${settings.operator} does not exist`);

  const boxExists = (b: string) => (d.extension.get(b)?.voicemail.enabled ?? false) || d.mailbox.has(b);
  // Where a destination leads must exist.
  const dest = (kind: ConfigKind, id: string, path: string, x: Destination): void => {
    switch (x.type) {
      case 'extension': if (!d.extension.has(x.ext)) err(kind, id, `${path}.ext`, `extension ${x.ext} does not exist`); break;
      case 'queue': if (!d.queue.has(x.queue)) err(kind, id, `${path}.queue`, `queue ${x.queue} does not exist`); break;
      case 'ivr': if (!d.ivr.has(x.menu)) err(kind, id, `${path}.menu`, `IVR ${x.menu} does not exist`); break;
      case 'voicemail': if (!boxExists(x.box)) err(kind, id, `${path}.box`, `voicemail box ${x.box} does not exist`); break;
      case 'timecondition': if (!d.timeCondition.has(x.id)) err(kind, id, `${path}.id`, `time condition ${x.id} does not exist`); break;
      case 'announcement':
        if (!env.promptExists(x.prompt.includes(':') ? x.prompt : `custom:${x.prompt}`, settings?.language ?? 'zh')) err(kind, id, `${path}.prompt`, `prompt ${x.prompt} does not exist`);
        if (x.then) dest(kind, id, `${path}.then`, x.then);
        break;
      case 'operator': if (!settings?.operator) err(kind, id, path, 'no operator extension is set in settings'); break;
      default: break;
    }
  };
  for (const [id, s] of d.screening) {
    sameId('screening', id, 'id', s.id);
    if (s.list === 'vip' && s.destination !== undefined) {
      const r = destinationSchema.safeParse(s.destination);
      if (!r.success) err('screening', id, 'destination', r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
      else dest('screening', id, 'destination', r.data);
    }
    if (s.action === 'announcement' && !s.prompt) err('screening', id, 'prompt', 'an announcement needs a prompt');
    if (s.action === 'voicemail' && !settings?.operator) err('screening', id, 'action', 'voicemail for blocked callers goes to the operator\'s box: set an operator');
  }
  for (const [id, a] of d.agent) {
    sameId('agent', id, 'id', a.id);
    if (!d.extension.has(a.ext)) err('agent', id, 'ext', `extension ${a.ext} does not exist`);
    else if (d.extension.get(a.ext)!.port === undefined) err('agent', id, 'ext', `extension ${a.ext} has no phone port to ring`);
  }
  for (const [id, q] of d.queue) {
    sameId('queue', id, 'id', q.id);
    if (q.number && d.extension.has(q.number)) err('queue', id, 'number', `${q.number} is an extension`);
    if (q.number && [...d.queue.values()].some((o) => o.id !== id && o.number === q.number)) err('queue', id, 'number', `${q.number} is another queue's number`);
    const seen = new Set<string>();
    q.members.forEach((m, i) => {
      if (!d.agent.has(m.agent)) err('queue', id, `members.${i}.agent`, `agent ${m.agent} does not exist`);
      if (seen.has(m.agent)) err('queue', id, `members.${i}.agent`, `agent ${m.agent} is listed twice`);
      seen.add(m.agent);
    });
    for (const [why, x] of Object.entries(q.overflow)) if (x) {
      if (x.type === 'queue' && x.queue === id) err('queue', id, `overflow.${why}`, 'a queue cannot overflow into itself');
      else dest('queue', id, `overflow.${why}`, x);
    }
    for (const [key, x] of Object.entries(q.exitKeys)) dest('queue', id, `exitKeys.${key}`, x);
    if (q.callback.enabled && q.exitKeys[q.callback.key]) err('queue', id, 'callback.key', `key ${q.callback.key} is also an exit key`);
    if (q.callback.trunk && !d.trunk.has(q.callback.trunk)) err('queue', id, 'callback.trunk', `trunk ${q.callback.trunk} does not exist`);
    const music = q.music.includes(':') ? q.music : `moh:${q.music}`;
    if (!music.startsWith('moh:') && !env.promptExists(music, settings?.language ?? 'zh')) err('queue', id, 'music', `prompt ${q.music} does not exist`);
    if (q.announce.entry && !env.promptExists(q.announce.entry.includes(':') ? q.announce.entry : `custom:${q.announce.entry}`, settings?.language ?? 'zh')) err('queue', id, 'announce.entry', `prompt ${q.announce.entry} does not exist`);
  }
  for (const sup of settings?.acd.supervisors ?? []) if (!d.extension.has(sup.ext)) err('settings', 'main', 'acd.supervisors', `extension ${sup.ext} does not exist`);
  for (const [id, tc] of d.timeCondition) for (const [state, x] of Object.entries(tc.destinations)) dest('timeCondition', id, `destinations.${state}`, x);
  for (const [id, r] of d.inboundRoute) {
    sameId('inboundRoute', id, 'id', r.id);
    if (r.destination) dest('inboundRoute', id, 'destination', r.destination);
    for (const [state, x] of Object.entries(r.byState ?? {})) dest('inboundRoute', id, `byState.${state}`, x);
    if (r.timeCondition && !d.timeCondition.has(r.timeCondition)) err('inboundRoute', id, 'timeCondition', `time condition ${r.timeCondition} does not exist`);
    r.trunks.forEach((t, i) => { if (!d.trunk.has(t) && !/^[0-9]+$/.test(t)) err('inboundRoute', id, `trunks.${i}`, `trunk ${t} does not exist`); });
  }
  for (const [id, r] of d.outboundRoute) {
    sameId('outboundRoute', id, 'id', r.id);
    r.trunks.forEach((t, i) => { if (!d.trunk.has(t)) err('outboundRoute', id, `trunks.${i}`, `trunk ${t} does not exist`); });
  }
  const ivrCtx: IvrContext = {
    promptExists: (ref, lang) => env.promptExists(ref, lang),
    extensionExists: (e) => d.extension.has(e),
    queueExists: (q) => d.queue.has(q),
    voicemailExists: boxExists,
    ivrExists: (i) => d.ivr.has(i),
  };
  for (const [id, ivr] of d.ivr) {
    sameId('ivr', id, 'id', ivr.id);
    const v = validateIvr(ivr, ivrCtx);
    if (!v.ok) for (const e of v.errors) err('ivr', id, e.path, e.message);
    if (ivr.operator === undefined && !settings?.operator) {
      // Exhausted retries default to the operator: one must exist somewhere.
      const usesOperator = Object.values(ivr.menus).some((m) => m.onExhausted.type === 'operator' || Object.values(m.keys).some((k) => k.type === 'operator'));
      if (usesOperator) err('ivr', id, 'operator', 'menus fall back to the operator, but neither this IVR nor settings name one');
    }
  }
  return errors;
}
