// Queues and agents from the panel: the live status, agents' states set by a
// supervisor (every change journaled with who did it, and audited), a forced
// hang-up, and reports for any period computed in a worker thread.
import { z } from 'zod';
import { command, ANY_ROLE, SUPERVISORS, type CommandRegistry, type CommandContext } from '../registry.js';
import { notFound, internal, conflict, validationFailed, permissionRequired } from '../errors.js';
import { AcdError } from '../../acd/acd.js';
import { monitorByPhone } from '../../acd/phone-codes.js';
import { clickToDial } from '../../acd/click-to-dial.js';
import { runAcdReport, GROUP_BY, AcdReportError } from '../../reports/acd-report.js';
import { toCsv } from '../../cli/report.js';
import { WrapUps, TAG, WRAPUP_TAGS } from '../../acd/wrapups.js';
import { publicRecording } from './calls.js';
import { callScope, statusFor } from '../agent-scope.js';

const agentId = z.string().regex(/^[0-9]{2,8}$/, 'an agent number is 2 to 8 digits');
const reason = z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, 'a reason code is lower-case letters, digits, _ or -');

function acdOf(ctx: CommandContext) {
  const acd = ctx.deps.acd;
  if (!acd) throw internal('the ACD is not running');
  return acd;
}

// ACD refusals keep their meaning: unknown agent, or the wrong state for it.
function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AcdError) throw e.code === 'not_found' ? notFound(e.message.replace(/ does not exist$/, '')) : conflict(e.message);
    throw e;
  }
}

// The input field a report refusal is about (bad_time names it in its message).
const FIELD_OF: Record<string, string | undefined> = { bad_time: undefined, bad_tz: 'tz', bad_group_by: 'groupBy', bad_period: 'to', too_many_periods: 'groupBy' };

export function acdCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'acd/status/get', summary: 'Queues (waiting, longest wait, agents by state, today\'s figures) and agents (state, time in state, calls, talk and pause time); an agent sees whom only their own phone rings with or talks to', access: ANY_ROLE, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => statusFor(acdOf(ctx).status(), callScope(ctx.deps, ctx.actor)),
  }));

  r.add(command({
    name: 'acd/agent/login', summary: 'Log an agent in, at their own phone or at another extension', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId, ext: z.string().regex(/^[0-9]{2,6}$/).optional() }).strict(),
    target: (i) => `agent ${i.agent}`,
    handler(i, ctx) {
      const a = run(() => acdOf(ctx).acd.login(i.agent, 'supervisor', { ...(i.ext ? { ext: i.ext } : {}), by: ctx.actor!.name }));
      return { agent: a.id, state: a.state, ext: a.ext };
    },
  }));

  r.add(command({
    name: 'acd/agent/logout', summary: 'Log an agent out', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId }).strict(),
    target: (i) => `agent ${i.agent}`,
    handler(i, ctx) { run(() => acdOf(ctx).acd.logout(i.agent, 'supervisor', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/agent/pause', summary: 'Set an agent not ready with a reason code (taken after the current call)', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId, reason: reason.default('break') }).strict(),
    target: (i) => `agent ${i.agent}`,
    handler(i, ctx) { run(() => acdOf(ctx).acd.pause(i.agent, i.reason, 'supervisor', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/agent/resume', summary: 'Set an agent ready (ends a pause or wrap-up)', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId }).strict(),
    target: (i) => `agent ${i.agent}`,
    handler(i, ctx) { run(() => acdOf(ctx).acd.resume(i.agent, 'supervisor', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/agent/monitor', summary: 'Listen to, whisper to or barge into an agent\'s call: the box rings the supervisor\'s phone (ext) and taps the call when it is answered; keys 4/5/6 switch mode, 7 takes the call over', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId, mode: z.enum(['listen', 'whisper', 'barge']).default('listen'), ext: z.string().regex(/^[0-9]{2,6}$/, 'an extension number').describe('the supervisor\'s phone') }).strict(),
    target: (i) => `agent ${i.agent}`,
    async handler(i, ctx) {
      try {
        await monitorByPhone(acdOf(ctx).acd.ctxOf(), i.ext, i.agent, i.mode, `user:${ctx.actor!.name}`);
      } catch (e) {
        if (e instanceof AcdError) {
          if (e.code === 'not_found') throw notFound(`agent ${i.agent}`);
          if (e.code === 'bad_extension') throw validationFailed([{ path: 'ext', message: e.message }]);
          throw conflict(e.message);
        }
        throw e;
      }
      return { ringing: i.ext };
    },
  }));

  r.add(command({
    name: 'acd/agent/hangup', summary: 'End the agent\'s current call (both parties); journaled as supervision', access: SUPERVISORS, kind: 'write',
    input: z.object({ agent: agentId }).strict(),
    target: (i) => `agent ${i.agent}`,
    async handler(i, ctx) {
      const acd = acdOf(ctx).acd;
      try {
        await acd.forceHangup(i.agent, `user:${ctx.actor!.name}`);
      } catch (e) {
        if (e instanceof AcdError) throw e.code === 'not_found' ? notFound(`agent ${i.agent}`) : conflict(e.message);
        throw e;
      }
      return {};
    },
  }));

  // The signed-in user's own agent (the agent whose `user` is their user name).
  const mine = (ctx: CommandContext): string => {
    const acd = acdOf(ctx).acd;
    const id = ctx.actor?.kind === 'user' ? acd.agentOfUser(ctx.actor.name) : undefined;
    if (!id) throw notFound(`an agent for user ${ctx.actor?.name ?? ''} (set "user" on an agent in the configuration)`);
    return id;
  };

  r.add(command({
    name: 'acd/me/get', summary: 'The signed-in user\'s agent: state, reason, time in state, the call ringing or in progress, today\'s figures', access: ANY_ROLE, kind: 'read',
    input: z.object({}).strict(),
    handler(_i, ctx) {
      const id = mine(ctx);
      return acdOf(ctx).status().agents.find((a) => a.id === id)!;
    },
  }));

  r.add(command({
    name: 'acd/me/login', summary: 'Log the signed-in user\'s agent in at its own phone', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    handler(_i, ctx) { const id = mine(ctx); const a = run(() => acdOf(ctx).acd.login(id, 'console', { by: ctx.actor!.name })); return { agent: a.id, state: a.state, ext: a.ext }; },
  }));

  r.add(command({
    name: 'acd/me/logout', summary: 'Log the signed-in user\'s agent out', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    handler(_i, ctx) { const id = mine(ctx); run(() => acdOf(ctx).acd.logout(id, 'console', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/me/pause', summary: 'Not ready, with a reason code (after the current call)', access: ANY_ROLE, kind: 'write',
    input: z.object({ reason: reason.default('break') }).strict(),
    handler(i, ctx) { const id = mine(ctx); run(() => acdOf(ctx).acd.pause(id, i.reason, 'console', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/me/resume', summary: 'Ready again (ends a pause or wrap-up)', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    handler(_i, ctx) { const id = mine(ctx); run(() => acdOf(ctx).acd.resume(id, 'console', { by: ctx.actor!.name })); return {}; },
  }));

  r.add(command({
    name: 'acd/me/hangup', summary: 'End the signed-in agent\'s current call', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const id = mine(ctx);
      try { await acdOf(ctx).acd.forceHangup(id, `user:${ctx.actor!.name}`); } catch (e) { if (e instanceof AcdError) throw conflict(e.message); throw e; }
      return {};
    },
  }));

  r.add(command({
    name: 'acd/me/transfer', summary: 'Hand the signed-in agent\'s caller on to an extension or a queue (blind transfer); the agent\'s phone is released', access: ANY_ROLE, kind: 'write',
    input: z.object({ ext: z.string().regex(/^[0-9]{2,6}$/, 'an extension number').optional(), queue: z.string().max(40).optional() }).strict()
      .refine((i) => !!i.ext !== !!i.queue, { message: 'give either ext or queue', path: ['ext'] }),
    async handler(i, ctx) {
      const id = mine(ctx);
      const acd = acdOf(ctx).acd;
      if (i.ext && !ctx.deps.config.extension(i.ext)) throw validationFailed([{ path: 'ext', message: `extension ${i.ext} does not exist` }]);
      if (i.queue && !acd.queue(i.queue)) throw validationFailed([{ path: 'queue', message: `queue ${i.queue} does not exist` }]);
      try {
        await acd.transfer(id, i.ext ? { type: 'extension', ext: i.ext } : { type: 'queue', queue: i.queue! }, `user:${ctx.actor!.name}`);
      } catch (e) {
        if (e instanceof AcdError) throw conflict(e.message);
        throw e;
      }
      return {};
    },
  }));

  r.add(command({
    name: 'acd/me/hold', summary: 'Put the signed-in agent\'s caller on hold: the caller hears music on hold, the agent\'s phone stays off-hook and silent', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const id = mine(ctx);
      try { await acdOf(ctx).acd.holdCall(id, `user:${ctx.actor!.name}`); } catch (e) { if (e instanceof AcdError) throw conflict(e.message); throw e; }
      ctx.audit.target = `agent ${id}`;
      return { held: true };
    },
  }));

  r.add(command({
    name: 'acd/me/unhold', summary: 'Take the held caller back: the music stops and the two talk again', access: ANY_ROLE, kind: 'write',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const id = mine(ctx);
      try { await acdOf(ctx).acd.resumeCall(id); } catch (e) { if (e instanceof AcdError) throw conflict(e.message); throw e; }
      ctx.audit.target = `agent ${id}`;
      return { held: false };
    },
  }));

  r.add(command({
    name: 'acd/me/wrapup', summary: 'Wrap-up of one of the signed-in agent\'s calls: a note and disposition tags, saved on the call (tags on its CDR); the note also goes to the customer\'s history when the caller is a known customer. Saving again replaces it', access: ANY_ROLE, kind: 'write',
    input: z.object({
      journey: z.string().min(1).max(80),
      note: z.string().max(2000, 'a note is at most 2000 characters').default(''),
      tags: z.array(z.string().regex(TAG, 'a tag is lower-case letters, digits, _ or -, up to 31 characters')).max(10, 'at most 10 tags').default([]),
    }).strict().refine((i) => i.note.trim() !== '' || i.tags.length > 0, { message: 'write a note or choose a tag', path: ['note'] }),
    target: (i) => `call ${i.journey}`,
    handler(i, ctx) {
      const id = mine(ctx);
      const cdr = ctx.deps.store.cdr.get(i.journey);
      if (!cdr) throw notFound(`call ${i.journey}`);
      if (cdr.agent !== id) throw permissionRequired(`call ${i.journey} is not one agent ${id} took`);
      return new WrapUps(ctx.deps.store, ctx.deps.customers).save(i.journey, { note: i.note, tags: i.tags, agent: id, author: ctx.actor!.name });
    },
  }));

  r.add(command({
    name: 'acd/me/history', summary: 'The signed-in agent\'s own calls, newest first, each with its recordings (ids and URLs to play) and wrap-up; the disposition tags offered', access: ANY_ROLE, kind: 'read',
    input: z.object({ limit: z.number().int().min(1).max(200).default(30), offset: z.number().int().min(0).default(0) }).strict(),
    handler(i, ctx) {
      const id = mine(ctx);
      const store = ctx.deps.store;
      const calls = store.cdr.list({ agent: id, limit: i.limit, offset: i.offset });
      const wraps = new WrapUps(store, ctx.deps.customers).forJourneys(calls.map((c) => c.journey));
      return {
        agent: id, tags: WRAPUP_TAGS,
        calls: calls.map((cdr) => ({ cdr, recordings: store.recordings.forJourney(cdr.journey).filter((r) => !r.deletedAt).map(publicRecording), wrapup: wraps.get(cdr.journey) ?? null })),
      };
    },
  }));

  r.add(command({
    name: 'acd/me/dial', summary: 'Click-to-dial: the box rings the agent\'s phone, then dials the number through the outbound routes (the extension\'s class of service applies)', access: ANY_ROLE, kind: 'write',
    input: z.object({ number: z.string().regex(/^[0-9*#+]{2,32}$/, 'digits only (as dialled from the phone, outside-line prefix included)') }).strict(),
    target: (i) => `number ${i.number}`,
    async handler(i, ctx) {
      const id = mine(ctx);
      try {
        return { journey: await clickToDial(acdOf(ctx).acd.ctxOf(), id, i.number, `user:${ctx.actor!.name}`) };
      } catch (e) {
        if (e instanceof AcdError) {
          if (e.code === 'refused') throw validationFailed([{ path: 'number', message: e.message }]);
          throw conflict(e.message);
        }
        throw e;
      }
    },
  }));

  r.add(command({
    name: 'acd/report/run', summary: 'Queue and agent figures for a period (offered, answered, abandon rate, ASA, AHT, service level, transfers, callbacks, attendance), computed in a worker thread; format csv for a spreadsheet-safe export', access: SUPERVISORS, kind: 'read',
    input: z.object({
      from: z.string().min(10).max(40).describe('ISO date or date-time; without an offset it is wall time in tz'),
      to: z.string().min(10).max(40),
      groupBy: z.enum(GROUP_BY as [string, ...string[]]).default('queue'),
      tz: z.string().max(60).default('Asia/Shanghai'),
      queue: z.string().max(40).optional(),
      agent: agentId.optional(),
      format: z.enum(['json', 'csv']).default('json'),
    }).strict(),
    async handler(i, ctx) {
      const acd = acdOf(ctx);
      try {
        const report = await runAcdReport(acd.dbPath, { from: i.from, to: i.to, groupBy: i.groupBy as 'queue', tz: i.tz, ...(i.queue ? { queue: i.queue } : {}), ...(i.agent ? { agent: i.agent } : {}) });
        if (i.format === 'csv') return { csv: toCsv(report.rows as unknown as Record<string, unknown>[]) };
        return report;
      } catch (e) {
        if (e instanceof AcdReportError && e.code in FIELD_OF) throw validationFailed([{ path: FIELD_OF[e.code] ?? (/^to:/.test(e.message) ? 'to' : 'from'), message: e.message }]);
        throw e;
      }
    },
  }));
}
