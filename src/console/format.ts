// Answers as text for a terminal: lists as tables, objects as "key: value"
// lines, and every string passed through escapeText, because caller IDs and
// names come from the line and must not be able to drive the tech's terminal.
import { isWide } from './line-editor.js';
import type { ApiError } from '../api/errors.js';

// C0 and C1 controls (ESC, CSI, BEL, backspace, CR, LF…) and DEL as \xNN.
export function escapeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.codePointAt(0)!;
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

// One cell: scalars as they are, small objects as compact JSON, escaped.
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return escapeText(JSON.stringify(v));
}

const MAX_CELL = 40;
const clip = (s: string) => (width(s) > MAX_CELL ? `${[...s].slice(0, MAX_CELL - 1).join('')}…` : s);

export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (!rows.length) return '(none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => clip(cell(r[c]))));
  const heads = cols.map(escapeText);
  const widths = cols.map((_, i) => Math.max(width(heads[i]!), ...cells.map((r) => width(r[i]!))));
  const line = (r: string[]) => r.map((x, i) => (i === r.length - 1 ? x : pad(x, widths[i]!))).join('  ').trimEnd();
  return [line(heads), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const isRowList = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));

// A command's answer as readable text.
export function formatResult(v: unknown, indent = ''): string {
  if (v === undefined || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) return `${indent}ok`;
  if (Array.isArray(v)) {
    if (!v.length) return `${indent}(none)`;
    if (isRowList(v)) return table(v).split('\n').map((l) => indent + l).join('\n');
    return v.map((x) => `${indent}- ${cell(x)}`).join('\n');
  }
  if (v && typeof v === 'object') {
    const lines: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (Array.isArray(x) || (x && typeof x === 'object' && Object.keys(x).length > 0)) {
        lines.push(`${indent}${escapeText(k)}:`, formatResult(x, `${indent}  `));
      } else lines.push(`${indent}${escapeText(k)}: ${cell(x)}`);
    }
    return lines.join('\n');
  }
  return indent + cell(v);
}

// The stable id first (what a script or a support call quotes), then the fields.
export function formatError(e: ApiError): string {
  const lines = [`error ${e.id}: ${escapeText(e.message)}`];
  for (const f of e.fields ?? []) lines.push(`  field ${escapeText(f.path)}: ${escapeText(f.message)}`);
  return lines.join('\n');
}

// Text for the wire: LF as CR LF (a serial terminal does not add the CR).
export const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
