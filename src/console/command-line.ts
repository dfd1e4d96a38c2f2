// A console command line: `domain/noun/verb` then key=value pairs or one JSON
// object, plus `--json` for the raw answer. Values are strings unless the
// command's schema says the field is a number, a boolean, an array or an
// object; the schema still validates everything in dispatch, this only spares
// the tech from typing JSON for `id=3`.
import type { z } from 'zod';
import { ApiError } from '../api/errors.js';

export interface CommandLine { words: string[]; pairs: [string, string][]; json?: unknown; rawJson: boolean }

const bad = (path: string, message: string) => new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }]);

// Words, with "double" or 'single' quotes and backslash escapes in double quotes.
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; }
    else if (ch === ' ' || ch === '\t') { if (inWord) out.push(cur); cur = ''; inWord = false; }
    else { cur += ch; inWord = true; }
  }
  if (quote) throw bad('(line)', `a ${quote} quote is not closed`);
  if (inWord) out.push(cur);
  return out;
}

// Splits a line into its words, key=value pairs, a JSON object and --json.
export function parseCommandLine(line: string): CommandLine {
  const trimmed = line.trim();
  // `name [--json] {…} [--json]`: everything from the brace on is the JSON object.
  const m = /^(\S+)(\s+--json)?\s+(\{[\s\S]*?)(\s+--json)?$/.exec(trimmed);
  const head = m ? m[1]! : trimmed;
  const jsonText = m?.[3];
  let rawJson = Boolean(m?.[2] || m?.[4]);
  const words: string[] = [];
  const pairs: [string, string][] = [];
  for (const t of tokenize(head)) {
    if (t === '--json') { rawJson = true; continue; }
    const eq = t.indexOf('=');
    if (eq > 0 && words.length > 0) pairs.push([t.slice(0, eq), t.slice(eq + 1)]);
    else if (pairs.length) throw bad(t, 'expected key=value');
    else words.push(t);
  }
  let json: unknown;
  if (jsonText !== undefined) {
    if (pairs.length) throw bad('(line)', 'give key=value pairs or one JSON object, not both');
    try { json = JSON.parse(jsonText); } catch (e) { throw bad('(input)', `not valid JSON: ${(e as Error).message}`); }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('(input)', 'the input is a JSON object');
  }
  return { words, pairs, rawJson, ...(json !== undefined ? { json } : {}) };
}

// key=value pairs as the command's input; `a.b=1` builds nested objects.
export function pairsToInput(pairs: [string, string][], schema?: z.ZodTypeAny): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, text] of pairs) {
    const path = key.split('.');
    if (path.some((p) => !p || p === '__proto__' || p === 'constructor' || p === 'prototype')) throw bad(key, 'is not a field name');
    let obj = input;
    let field = schema;
    for (const p of path.slice(0, -1)) {
      field = field ? fieldOf(field, p) : undefined;
      const next = obj[p];
      if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) throw bad(key, `${p} is given twice`);
      obj = (obj[p] ??= {}) as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (last in obj) throw bad(key, 'is given twice');
    obj[last] = coerce(text, field ? fieldOf(field, last) : undefined, key);
  }
  return input;
}

function coerce(text: string, schema: z.ZodTypeAny | undefined, key: string): unknown {
  const kind = schema ? baseKind(schema) : 'unknown';
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if ((kind === 'array' || kind === 'object' || kind === 'unknown') && /^[[{]/.test(text)) {
    try { return JSON.parse(text); } catch { throw bad(key, 'not valid JSON'); }
  }
  if (kind === 'array') return text === '' ? [] : text.split(',');
  return text;
}

type Def = { typeName: string } & Record<string, unknown>;

// The schema without optional/default/nullable/effects wrappers.
export function unwrap(s: z.ZodTypeAny): z.ZodTypeAny {
  for (let i = 0; i < 10; i++) {
    const d = s._def as Def;
    const inner = (d.innerType ?? (d.typeName === 'ZodEffects' ? d.schema : undefined) ?? (d.typeName === 'ZodPipeline' ? d.in : undefined)) as z.ZodTypeAny | undefined;
    if (!inner) return s;
    s = inner;
  }
  return s;
}

function baseKind(s: z.ZodTypeAny): string {
  const t = (unwrap(s)._def as Def).typeName;
  return ({ ZodNumber: 'number', ZodBoolean: 'boolean', ZodArray: 'array', ZodObject: 'object', ZodRecord: 'object', ZodString: 'string', ZodEnum: 'string', ZodLiteral: 'string' } as Record<string, string>)[t] ?? 'unknown';
}

function fieldOf(s: z.ZodTypeAny, key: string): z.ZodTypeAny | undefined {
  const u = unwrap(s);
  const d = u._def as Def;
  if (d.typeName === 'ZodObject') return ((u as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>)[key];
  if (d.typeName === 'ZodRecord') return d.valueType as z.ZodTypeAny;
  return undefined;
}
