// Calls, the journal, the engine's live state and the audit log: read-only views.
// An agent sees only the calls their own agent took or made (agent-scope.ts).
import { z } from 'zod';
import { command, ANY_ROLE, SUPERVISORS, ADMINS, type CommandRegistry } from '../registry.js';
import { notFound, internal, permissionRequired } from '../errors.js';
import { callScope, inScope } from '../agent-scope.js';
import { WrapUps } from '../../acd/wrapups.js';
import { toCsv } from '../../cli/report.js';

const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const iso = z.string().datetime({ offset: true });

export function callCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'calls/cdr/list', summary: 'Call records, newest first (an agent: their own calls only). Caller ID is line data: shown verbatim, never interpreted', access: ANY_ROLE, kind: 'read',
    input: z.object({ since: iso.optional(), until: iso.optional(), caller: z.string().max(64).optional(), agent: z.string().regex(/^[0-9]{2,8}$/, 'an agent number is 2 to 8 digits').optional(), limit: limit(500, 50), offset: z.number().int().min(0).default(0) }).strict(),
    handler(i, ctx) {
      const scope = callScope(ctx.deps, ctx.actor);
      if (scope && (scope.agent === null || (i.agent && i.agent !== scope.agent))) return [];
      return ctx.deps.store.cdr.list({ ...i, ...(scope ? { agent: scope.agent! } : {}) });
    },
  }));

  r.add(command({
    name: 'calls/cdr/get', summary: 'One call: its record, recordings (ids for GET /api/recordings/<id>.wav), journal and wrap-up; an agent only their own calls', access: ANY_ROLE, kind: 'read',
    input: z.object({ journey: z.string().min(1).max(80) }).strict(),
    handler(i, ctx) {
      const cdr = ctx.deps.store.cdr.get(i.journey);
      if (!cdr) throw notFound(`call ${i.journey}`);
      if (!inScope(callScope(ctx.deps, ctx.actor), cdr)) throw permissionRequired(`call ${i.journey} is not one ${ctx.actor!.name} took`);
      const wrapup = new WrapUps(ctx.deps.store, ctx.deps.customers).get(i.journey) ?? null;
      return { cdr, recordings: ctx.deps.store.recordings.forJourney(i.journey).map(publicRecording), journal: ctx.deps.store.journal.forJourney(i.journey), wrapup };
    },
  }));

  r.add(command({
    name: 'calls/cdr/export', summary: 'Call records as CSV for a spreadsheet, newest first; the recordings column lists the ids GET /api/recordings/<id>.wav serves. Line data is written as text, never as a formula', access: SUPERVISORS, kind: 'read',
    input: z.object({ since: iso.optional(), until: iso.optional(), caller: z.string().max(64).optional(), agent: z.string().regex(/^[0-9]{2,8}$/, 'an agent number is 2 to 8 digits').optional(), limit: limit(50000, 10000) }).strict(),
    handler(i, ctx) {
      const rows = ctx.deps.store.cdr.list(i).map((c) => ({
        journey: c.journey, startedAt: c.startedAt, answeredAt: c.answeredAt, endedAt: c.endedAt, direction: c.direction,
        caller: c.caller, callerName: c.callerName, callee: c.callee, trunk: c.trunk, queue: c.queue, agent: c.agent, extension: c.extension,
        disposition: c.disposition, waitS: c.waitS, talkS: c.talkS, tags: c.tags.join(' '),
        recordings: c.recordings.join(' '), recordingUrls: c.recordings.map((id) => `/api/recordings/${id}.wav`).join(' '),
      }));
      return { filename: `calls-${new Date().toISOString().slice(0, 10)}.csv`, rows: rows.length, csv: toCsv(rows) };
    },
  }));

  r.add(command({
    name: 'journal/entry/query', summary: 'Journal entries (call, queue, agent, system events) in order', access: SUPERVISORS, kind: 'read',
    input: z.object({ kind: z.enum(['call', 'queue', 'agent', 'system']).optional(), event: z.string().max(60).optional(), since: iso.optional(), journey: z.string().max(80).optional(), limit: limit(5000, 500) }).strict(),
    handler: (i, ctx) => (i.journey ? ctx.deps.store.journal.forJourney(i.journey).slice(0, i.limit) : ctx.deps.store.journal.query(i)),
  }));

  r.add(command({
    name: 'engine/state/get', summary: 'The engine\'s channels and their live state', access: SUPERVISORS, kind: 'read',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      const engine = ctx.deps.engine;
      if (!engine) throw internal('no engine connection');
      const state = await engine.request('state');
      return { engine: engine.engine ?? null, ...state };
    },
  }));

  r.add(command({
    name: 'audit/entry/list', summary: 'The audit log, newest first', access: ADMINS, kind: 'read',
    input: z.object({ command: z.string().max(80).optional(), actor: z.string().max(80).optional(), since: iso.optional(), limit: limit(1000, 100), offset: z.number().int().min(0).default(0) }).strict(),
    handler: (i, ctx) => ctx.deps.accounts.audit.list(i),
  }));
}

// A recording as the API shows it: its public id, never the file's path on the box.
export function publicRecording(r: { id: number; journey: string; durationMs: number | null; status: string; startedAt: string; endedAt: string | null; stereo: boolean; deletedAt?: string | null }) {
  return { id: r.id, journey: r.journey, durationMs: r.durationMs, status: r.status, startedAt: r.startedAt, endedAt: r.endedAt, stereo: r.stereo, deleted: !!r.deletedAt, url: `/api/recordings/${r.id}.wav` };
}
