// Calls, the journal, the engine's live state and the audit log: read-only views.
import { z } from 'zod';
import { command, ANY_ROLE, SUPERVISORS, ADMINS, type CommandRegistry } from '../registry.js';
import { notFound, internal } from '../errors.js';

const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const iso = z.string().datetime({ offset: true });

export function callCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'calls/cdr/list', summary: 'Call records, newest first. Caller ID is line data: shown verbatim, never interpreted', access: ANY_ROLE, kind: 'read',
    input: z.object({ since: iso.optional(), until: iso.optional(), caller: z.string().max(64).optional(), limit: limit(500, 50), offset: z.number().int().min(0).default(0) }).strict(),
    handler: (i, ctx) => ctx.deps.store.cdr.list(i),
  }));

  r.add(command({
    name: 'calls/cdr/get', summary: 'One call: its record, recordings and journal', access: ANY_ROLE, kind: 'read',
    input: z.object({ journey: z.string().min(1).max(80) }).strict(),
    handler(i, ctx) {
      const cdr = ctx.deps.store.cdr.get(i.journey);
      if (!cdr) throw notFound(`call ${i.journey}`);
      return { cdr, recordings: ctx.deps.store.recordings.forJourney(i.journey), journal: ctx.deps.store.journal.forJourney(i.journey) };
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
