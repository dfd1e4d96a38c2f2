// Customer import and export as CSV. Import is two steps: preview parses and
// validates every row and lists each problem with its row and field; commit
// does the same and then writes all rows in one transaction, or none. The
// *WithProgress variants do the same work in slices, giving the event loop
// back between them and reporting rows done of rows in all, so a large file
// shows a progress bar and calls go on while it is checked and written.
import { parseCsv, formatCsv, type CsvLimits } from './csv.js';
import { customerInput, CrmError, type Customers, type CustomerInput, type ListQuery } from './customers.js';

export interface ImportProblem { row: number; path: string; message: string }
export interface ImportPreview { total: number; valid: number; invalid: number; errors: ImportProblem[]; rows: { row: number; customer: CustomerInput; note: string }[] }

// Header names, English or Chinese, to fields.
const HEADERS: Record<string, Field> = {
  name: 'name', '姓名': 'name', '名称': 'name',
  company: 'company', '公司': 'company',
  address: 'address', '地址': 'address',
  phones: 'phones', phone: 'phones', numbers: 'phones', '电话': 'phones', '号码': 'phones',
  tags: 'tags', '标签': 'tags',
  owner: 'owner', '负责人': 'owner',
  note: 'note', notes: 'note', '备注': 'note',
};
type Field = 'name' | 'company' | 'address' | 'phones' | 'tags' | 'owner' | 'note';
const MAX_ERRORS = 500;

export type Progress = (p: { phase: 'checking' | 'writing' | 'reading'; done: number; total: number }) => void;
const SLICE = 250;
const breathe = () => new Promise<void>((r) => setImmediate(r));

export function previewImport(customers: Customers, csv: string, limits?: Partial<CsvLimits>): ImportPreview {
  const steps = previewSteps(customers, csv, limits);
  for (;;) { const r = steps.next(); if (r.done) return r.value; }
}

export async function previewImportWithProgress(customers: Customers, csv: string, progress: Progress, limits?: Partial<CsvLimits>): Promise<ImportPreview> {
  const steps = previewSteps(customers, csv, limits);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    progress({ phase: 'checking', ...r.value });
    await breathe();
  }
}

// Checks the file, yielding rows checked of rows in all every SLICE rows.
function* previewSteps(customers: Customers, csv: string, limits?: Partial<CsvLimits>): Generator<{ done: number; total: number }, ImportPreview> {
  const { records, problems } = parseCsv(csv, limits);
  const errors: ImportProblem[] = problems.map((p) => ({ row: p.row, path: '(row)', message: p.message }));
  const out: ImportPreview = { total: 0, valid: 0, invalid: 0, errors, rows: [] };
  const header = records[0];
  if (!header) { errors.push({ row: 1, path: '(file)', message: 'the file is empty: the first row names the columns (name, company, address, phones, tags, owner, note)' }); return out; }
  const columns: (Field | undefined)[] = header.fields.map((h, i) => {
    const f = HEADERS[h.trim().toLowerCase()];
    if (!f) errors.push({ row: 1, path: h.slice(0, 40) || `column ${i + 1}`, message: 'unknown column (known: name, company, address, phones, tags, owner, note)' });
    return f;
  });
  if (!columns.includes('name')) errors.push({ row: 1, path: 'name', message: 'the name column is missing' });
  const owners = new Map<string, number | null>();
  const ownerId = (name: string): number | null | undefined => {
    if (!owners.has(name)) {
      const r = customers.store.stmt('SELECT id FROM users WHERE username = ?').get(name) as { id: number } | undefined;
      owners.set(name, r?.id ?? null);
    }
    return owners.get(name);
  };
  const body = records.slice(1);
  let seen = 0;
  for (const rec of body) {
    if (++seen % SLICE === 0) yield { done: seen, total: body.length };
    if (rec.fields.every((f) => f.trim() === '')) continue;   // blank line
    out.total++;
    const v: Partial<Record<Field, string>> = {};
    rec.fields.forEach((f, i) => { const c = columns[i]; if (c) v[c] = f; });
    const rowErrors: ImportProblem[] = [];
    if (rec.fields.length > header.fields.length) rowErrors.push({ row: rec.row, path: '(row)', message: `${rec.fields.length} fields, the header has ${header.fields.length}` });
    let owner: number | null = null;
    const ownerName = v.owner?.trim();
    if (ownerName) {
      const id = ownerId(ownerName);
      if (id === null || id === undefined) rowErrors.push({ row: rec.row, path: 'owner', message: `no user named ${JSON.stringify(ownerName.slice(0, 40))}` });
      else owner = id;
    }
    const raw = {
      name: v.name ?? '', company: v.company ?? '', address: v.address ?? '',
      phones: split(v.phones, /[;；|\n]/).map((number) => ({ number })),
      tags: split(v.tags, /[;；,，|]/),
      ownerId: owner,
    };
    const parsed = customerInput.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        // phones.2.number reads better as the column and the item.
        const path = i.path.length ? i.path.filter((p) => p !== 'number').join('.') : '(row)';
        rowErrors.push({ row: rec.row, path, message: i.message });
      }
    }
    const note = (v.note ?? '').trim();
    if (note.length > 5000) rowErrors.push({ row: rec.row, path: 'note', message: 'a note is at most 5000 characters' });
    if (rowErrors.length || !parsed.success) { out.invalid++; errors.push(...rowErrors); continue; }
    out.valid++;
    out.rows.push({ row: rec.row, customer: parsed.data, note });
  }
  if (errors.length > MAX_ERRORS) out.errors = [...errors.slice(0, MAX_ERRORS), { row: errors[MAX_ERRORS]!.row, path: '(file)', message: `${errors.length - MAX_ERRORS} more problems not listed` }];
  return out;
}

// All rows or none: any problem refuses the whole file before anything is written.
export function commitImport(customers: Customers, csv: string, by: string): { imported: number } {
  const p = previewImport(customers, csv);
  if (p.errors.length) throw new CrmError('validation_failed', `${p.invalid || 'the file has'} ${p.invalid ? 'rows have problems' : 'problems'}; nothing was imported`, p.errors);
  if (!p.rows.length) throw new CrmError('validation_failed', 'the file has no customer rows', [{ row: 2, path: '(file)', message: 'no rows after the header' }]);
  const store = customers.store;
  store.flush();
  store.db.transaction(() => {
    for (const r of p.rows) {
      const c = customers.create(r.customer, by);
      if (r.note) customers.addNote(c.id, r.note, by);
    }
  })();
  return { imported: p.rows.length };
}

// As commitImport, written in slices with progress. All or none still: the
// rows are checked first, and should writing fail part way the customers
// already written by this import are deleted again.
export async function commitImportWithProgress(customers: Customers, csv: string, by: string, progress: Progress): Promise<{ imported: number }> {
  const p = await previewImportWithProgress(customers, csv, progress);
  if (p.errors.length) throw new CrmError('validation_failed', `${p.invalid || 'the file has'} ${p.invalid ? 'rows have problems' : 'problems'}; nothing was imported`, p.errors);
  if (!p.rows.length) throw new CrmError('validation_failed', 'the file has no customer rows', [{ row: 2, path: '(file)', message: 'no rows after the header' }]);
  const store = customers.store;
  store.flush();
  const created: number[] = [];
  const total = p.rows.length;
  try {
    for (let i = 0; i < total; i += SLICE) {
      store.db.transaction(() => {
        for (const r of p.rows.slice(i, i + SLICE)) {
          const c = customers.create(r.customer, by);
          created.push(c.id);
          if (r.note) customers.addNote(c.id, r.note, by);
        }
      })();
      progress({ phase: 'writing', done: Math.min(i + SLICE, total), total });
      await breathe();
    }
  } catch (e) {
    store.db.transaction(() => { for (const id of created) store.stmt('DELETE FROM customers WHERE id = ?').run(id); })();
    throw e;
  }
  return { imported: total };
}

export async function exportCsvWithProgress(customers: Customers, q: Omit<ListQuery, 'limit' | 'offset'>, progress: Progress): Promise<{ csv: string; count: number }> {
  const first = customers.list({ ...q, limit: SLICE, offset: 0 });
  const total = first.total;
  const rows: unknown[][] = [];
  let page = first.items;
  for (let offset = 0; page.length; ) {
    for (const c of page) rows.push([c.name, c.company, c.address, c.phones.map((p) => p.number).join(';'), c.tags.join(';'), c.owner?.username ?? '', c.createdAt]);
    offset += page.length;
    progress({ phase: 'reading', done: rows.length, total });
    if (offset >= total) break;
    await breathe();
    page = customers.list({ ...q, limit: SLICE, offset }).items;
  }
  return { csv: formatCsv([EXPORT_HEADER, ...rows]), count: rows.length };
}

export const EXPORT_HEADER = ['name', 'company', 'address', 'phones', 'tags', 'owner', 'created_at'];

// Cells that start like a formula are written as text (see safeCell).
export function exportCsv(customers: Customers, q: Omit<ListQuery, 'limit' | 'offset'> = {}): { csv: string; count: number } {
  const { items } = customers.list({ ...q, limit: 100_000, offset: 0 });
  const rows = items.map((c) => [c.name, c.company, c.address, c.phones.map((p) => p.number).join(';'), c.tags.join(';'), c.owner?.username ?? '', c.createdAt]);
  return { csv: formatCsv([EXPORT_HEADER, ...rows]), count: items.length };
}

function split(v: string | undefined, sep: RegExp): string[] {
  return (v ?? '').split(sep).map((s) => s.trim()).filter(Boolean);
}
