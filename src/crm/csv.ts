// CSV in and out. The parser is one pass of a small state machine (RFC 4180:
// quoted fields, doubled quotes, newlines inside quotes, CRLF / LF / CR, a
// leading BOM) with hard limits, so a hostile file costs at most its size and
// produces errors, never a crash. The writer makes cells that a spreadsheet
// will not run as formulas.

export interface CsvRecord { row: number; fields: string[] }
export interface CsvProblem { row: number; message: string }
export interface CsvLimits { maxFieldChars: number; maxRows: number; maxFields: number }

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxFieldChars: 10_000, maxRows: 20_000, maxFields: 100 };

// Rows are numbered as a spreadsheet shows them: the header is row 1, blank lines count.
export function parseCsv(text: string, limits: Partial<CsvLimits> = {}): { records: CsvRecord[]; problems: CsvProblem[] } {
  const lim = { ...DEFAULT_CSV_LIMITS, ...limits };
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;        // inside a quoted field
  let longField = false;
  let tooMany = false;

  const add = (s: string) => {
    if (field.length + s.length > lim.maxFieldChars) {
      if (!longField) problems.push({ row, message: `field ${fields.length + 1} is longer than ${lim.maxFieldChars} characters` });
      longField = true;
      field += s.slice(0, Math.max(0, lim.maxFieldChars - field.length));
    } else field += s;
  };
  const endField = () => {
    if (fields.length < lim.maxFields) fields.push(field);
    else if (!tooMany) { problems.push({ row, message: `more than ${lim.maxFields} fields` }); tooMany = true; }
    field = '';
    longField = false;
  };
  const endRecord = (): boolean => {
    endField();
    records.push({ row, fields });
    fields = [];
    tooMany = false;
    row++;
    if (records.length > lim.maxRows) {
      problems.push({ row, message: `more than ${lim.maxRows} rows: the rest is ignored` });
      return false;
    }
    return true;
  };

  while (i < n) {
    if (quoted) {
      const q = text.indexOf('"', i);
      if (q < 0) { add(text.slice(i)); i = n; break; }
      add(text.slice(i, q));
      if (text[q + 1] === '"') { add('"'); i = q + 2; } else { quoted = false; i = q + 1; }
      continue;
    }
    const c = text[i]!;
    if (c === ',') { endField(); i++; continue; }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (!endRecord()) return { records: records.slice(0, lim.maxRows), problems };
      continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    // Plain text up to the next delimiter, newline or quote.
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 44 || d === 13 || d === 10 || (d === 34 && j > i)) break;
      j++;
    }
    add(text.slice(i, j === i ? i + 1 : j));
    i = j === i ? i + 1 : j;
  }
  if (quoted) problems.push({ row, message: 'a quoted field is not closed before the end of the file' });
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return { records, problems };
}

// A cell a spreadsheet shows as text: a leading = + - @ tab or CR would make
// it a formula, so it gets a ' in front.
export function safeCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function formatCsv(rows: unknown[][]): string {
  const cell = (v: unknown) => {
    const s = safeCell(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // The BOM makes spreadsheets read UTF-8 (Chinese names) correctly.
  return `\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
