// Customers over the API: every role works with customers; deleting one and
// bulk import / export are for supervisors.
import { z } from 'zod';
import { command, ANY_ROLE, SUPERVISORS, type CommandRegistry } from '../registry.js';
import { customerInput, SORTS } from '../../crm/customers.js';
import { previewImportWithProgress, commitImportWithProgress, exportCsvWithProgress } from '../../crm/customer-csv.js';
import { JOB_ID } from '../jobs.js';
import type { HistoryItem } from '../../crm/customers.js';
import { callScope, inScope, type CallScope } from '../agent-scope.js';
import { publicRecording } from './calls.js';

// Contact history as a role may see it: every call stays listed (the screen
// pop needs what happened before), but an agent gets the recordings of their
// own calls only; recordings carry their public id and URL, never a path.
function visible(items: HistoryItem[], scope: CallScope) {
  return items.map((h) => {
    if (h.type !== 'call') return h;
    const mine = inScope(scope, h.call);
    return { ...h, call: mine ? h.call : { ...h.call, recordings: [] }, recordings: mine ? h.recordings.map(publicRecording) : [] };
  });
}

const id = z.object({ id: z.number().int().positive() }).strict();
const CSV_BYTES = 16 << 20;
// A name the client gives its job, to pick its progress events (topic progress) out.
const job = z.string().regex(JOB_ID, 'letters, digits, _ or -, up to 40').optional().describe('progress on the progress topic under this id');
const filters = {
  q: z.string().max(100).optional().describe('substring of name, company or a number'),
  tag: z.string().max(40).optional(),
  ownerId: z.number().int().positive().optional(),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
};

export function crmCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'crm/customer/list', summary: 'Search (name, company, number), filter (tag, owner), sort and page customers', access: ANY_ROLE, kind: 'read',
    input: z.object({ ...filters, limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).default(0) }).strict(),
    handler: (i, ctx) => ctx.deps.customers.list(i),
  }));

  r.add(command({
    name: 'crm/customer/get', summary: 'One customer', access: ANY_ROLE, kind: 'read',
    input: id,
    handler: (i, ctx) => ctx.deps.customers.mustGet(i.id),
  }));

  r.add(command({
    name: 'crm/customer/create', summary: 'Create a customer', access: ANY_ROLE, kind: 'write',
    input: customerInput,
    target: (i) => `customer ${i.name}`,
    handler: (i, ctx) => ctx.deps.customers.create(i, ctx.actor!.name),
  }));

  r.add(command({
    name: 'crm/customer/update', summary: 'Change a customer; phones and tags, when given, replace the old lists', access: ANY_ROLE, kind: 'write',
    input: customerInput.partial().extend({ id: z.number().int().positive() }).strict(),
    target: (i) => `customer ${i.id}`,
    handler: ({ id: cid, ...patch }, ctx) => ctx.deps.customers.update(cid, patch),
  }));

  r.add(command({
    name: 'crm/customer/delete', summary: 'Delete a customer and their notes (their calls stay)', access: SUPERVISORS, kind: 'write',
    input: id,
    target: (i) => `customer ${i.id}`,
    handler(i, ctx) { ctx.deps.customers.remove(i.id); return {}; },
  }));

  r.add(command({
    name: 'crm/customer/history', summary: 'Contact history: every call to or from the customer\'s numbers (with recordings) and every note, newest first', access: ANY_ROLE, kind: 'read',
    input: id.extend({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    handler: (i, ctx) => visible(ctx.deps.customers.history(i.id, i.limit), callScope(ctx.deps, ctx.actor)),
  }));

  r.add(command({
    name: 'crm/customer/lookup', summary: 'Screen pop: the customer with this number and recent history, or where an unknown number is from', access: ANY_ROLE, kind: 'read',
    input: z.object({ number: z.string().max(64) }).strict(),
    handler(i, ctx) {
      const l = ctx.deps.customers.customerByNumber(i.number);
      return { ...l, history: visible(l.history, callScope(ctx.deps, ctx.actor)) };
    },
  }));

  r.add(command({
    name: 'crm/tag/list', summary: 'Tags in use and how many customers carry each', access: ANY_ROLE, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ctx.deps.customers.tags(),
  }));

  r.add(command({
    name: 'crm/note/add', summary: 'Add a note to a customer\'s history', access: ANY_ROLE, kind: 'write',
    input: z.object({ customerId: z.number().int().positive(), body: z.string().trim().min(1, 'a note is not empty').max(5000) }).strict(),
    target: (i) => `customer ${i.customerId}`,
    handler: (i, ctx) => ctx.deps.customers.addNote(i.customerId, i.body, ctx.actor!.name),
  }));

  r.add(command({
    name: 'crm/import/preview', summary: 'Parse and check a CSV of customers; every problem with its row and field; nothing is written. Rows checked of all on the progress topic', access: SUPERVISORS, kind: 'read',
    input: z.object({ csv: z.string().max(CSV_BYTES), job }).strict(),
    maxBodyBytes: CSV_BYTES + 4096,
    async handler(i, ctx) {
      const p = await ctx.deps.jobs.run('crm-preview', ctx.actor!.name, i.job, (report) => previewImportWithProgress(ctx.deps.customers, i.csv, report));
      return { ...p, rows: p.rows.slice(0, 100) };
    },
  }));

  r.add(command({
    name: 'crm/import/commit', summary: 'Import a CSV of customers: every row, or none when any row has a problem. Rows checked, then rows written, of all on the progress topic', access: SUPERVISORS, kind: 'write',
    input: z.object({ csv: z.string().max(CSV_BYTES), job }).strict(),
    maxBodyBytes: CSV_BYTES + 4096,
    async handler(i, ctx) {
      const res = await ctx.deps.jobs.run('crm-import', ctx.actor!.name, i.job, (report) => commitImportWithProgress(ctx.deps.customers, i.csv, ctx.actor!.name, report));
      ctx.audit.target = 'customers';
      ctx.audit.summary = `imported ${res.imported} customers from CSV`;
      return res;
    },
  }));

  r.add(command({
    name: 'crm/export/csv', summary: 'Customers as CSV (cells that look like formulas are written as text); rows read of all on the progress topic', access: SUPERVISORS, kind: 'read',
    input: z.object({ q: filters.q, tag: filters.tag, ownerId: filters.ownerId, sort: filters.sort, order: filters.order, job }).strict(),
    async handler({ job: id, ...q }, ctx) {
      const out = await ctx.deps.jobs.run('crm-export', ctx.actor!.name, id, (report) => exportCsvWithProgress(ctx.deps.customers, q, report));
      return { filename: `customers-${new Date().toISOString().slice(0, 10)}.csv`, ...out };
    },
  }));
}
