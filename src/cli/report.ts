// `hotline report acd --from ISO --to ISO [--group-by queue|agent|hour|day|month] [--tz ZONE] [--data-dir DIR] [--csv]`:
// call-center figures for a period, computed from the journal in a worker thread.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAcdReport } from '../reports/acd-report.js';

export async function reportCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'acd') {
    process.stderr.write('usage: hotline report acd --from ISO --to ISO [--group-by queue|agent|hour|day|month] [--tz ZONE] [--data-dir DIR] [--csv]\n');
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        from: { type: 'string' }, to: { type: 'string' }, 'group-by': { type: 'string' }, tz: { type: 'string' },
        'data-dir': { type: 'string' }, csv: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`report: ${(e as Error).message}\n`);
    return 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const now = new Date();
  const from = values.from ?? new Date(now.getTime() - 86400_000).toISOString();
  const to = values.to ?? now.toISOString();
  try {
    const report = await runAcdReport(path.join(dataDir, 'hotline.db'), {
      from, to, groupBy: (values['group-by'] ?? 'queue') as 'queue', tz: values.tz ?? 'Asia/Shanghai',
    });
    if (values.csv) process.stdout.write(toCsv(report.rows as unknown as Record<string, unknown>[]));
    else console.log(JSON.stringify(report, null, 2));
    return 0;
  } catch (e) {
    process.stderr.write(`report: ${(e as Error).message}\n`);
    return 2;
  }
}

// Spreadsheet-safe CSV: every field quoted, and a leading = + - @ (a formula
// to a spreadsheet) defused, since queue names and numbers can come from a line.
export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?[0-9.]+$/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  return [cols.map(cell).join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
