// The logic of a form built from a JSON schema, apart from Lit so it can be
// tested in Node: which control a schema gets, the first value of a new
// document, lists typed as text ("1-4,13-27"), the cheap checks the browser
// can make before the box judges, where a field error of the box belongs, and
// what is sent (blank optional fields left out).

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

export type FieldKind =
  | 'text' | 'select' | 'number' | 'checkbox' | 'const'
  | 'list'      // array of strings or numbers, typed as a comma list
  | 'checks'    // array of enum values, a checkbox each
  | 'rows'      // array of objects, a sub-form each
  | 'object'    // nested fields in a fieldset
  | 'record'    // free keys to values (skills, exit keys)
  | 'union'     // one of several objects told apart by a constant field (destinations)
  | 'json';     // anything else: raw JSON

const PRIMITIVE: ReadonlySet<FieldKind> = new Set(['text', 'select', 'number', 'checkbox']);

export function fieldKind(s: JsonSchema): FieldKind {
  if (s.const !== undefined) return 'const';
  if (s.enum && s.enum.length && s.enum.every((v) => typeof v === 'string')) return 'select';
  if (s.anyOf) return discriminator(s) ? 'union' : 'json';
  switch (s.type) {
    case 'string': return 'text';
    case 'number': case 'integer': return 'number';
    case 'boolean': return 'checkbox';
    case 'array': {
      const it = s.items ?? {};
      const k = fieldKind(it);
      if (k === 'select') return 'checks';
      if (k === 'text' || k === 'number') return 'list';
      if (k === 'object' || k === 'union') return 'rows';
      return 'json';
    }
    case 'object':
      if (s.properties) return 'object';
      if (typeof s.additionalProperties === 'object') {
        const v = fieldKind(s.additionalProperties);
        return v === 'json' ? 'json' : 'record';
      }
      return 'json';
    default: return 'json';
  }
}

export const isPrimitive = (k: FieldKind): boolean => PRIMITIVE.has(k);

// The key whose constant tells the options of an anyOf apart ("type" of a destination).
export function discriminator(s: JsonSchema): string | undefined {
  const opts = s.anyOf ?? [];
  if (!opts.length || !opts.every((o) => o.type === 'object' && o.properties)) return undefined;
  const first = Object.entries(opts[0]!.properties!).filter(([, p]) => p.const !== undefined).map(([k]) => k);
  return first.find((k) => opts.every((o) => o.properties![k]?.const !== undefined));
}

export function unionOptions(s: JsonSchema): { value: string; schema: JsonSchema }[] {
  const d = discriminator(s);
  if (!d) return [];
  return s.anyOf!.map((o) => ({ value: String(o.properties![d]!.const), schema: o }));
}

export function unionOption(s: JsonSchema, v: unknown): JsonSchema | undefined {
  const d = discriminator(s);
  if (!d || !v || typeof v !== 'object') return undefined;
  const tag = (v as Record<string, unknown>)[d];
  return unionOptions(s).find((o) => o.value === tag)?.schema;
}

// An optional object with no default is a block one switches on (a trunk's R2 settings).
export const isOptionalBlock = (s: JsonSchema, required: boolean): boolean => !required && s.default === undefined && fieldKind(s) === 'object';

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)) as T);

// The first value of a new document or of a block switched on: defaults
// where the schema has them (an object's default {} filled with its fields'
// defaults, as the box would), required objects and arrays filled in.
export function initialValue(s: JsonSchema): unknown {
  const k = fieldKind(s);
  if (k === 'object') {
    const out: Record<string, unknown> = s.default && typeof s.default === 'object' ? clone(s.default as Record<string, unknown>) : {};
    for (const [key, p] of Object.entries(s.properties!)) {
      if (out[key] !== undefined) continue;
      const req = s.required?.includes(key) ?? false;
      const pk = fieldKind(p);
      if (p.default !== undefined) out[key] = initialValue(p);
      else if (req) {
        if (pk === 'object' || pk === 'const' || pk === 'union') out[key] = initialValue(p);
        else if (pk === 'text') out[key] = '';
        else if (pk === 'list' || pk === 'checks' || pk === 'rows') out[key] = [];
        else if (pk === 'checkbox') out[key] = false;
        else if (pk === 'record') out[key] = {};
      }
    }
    return out;
  }
  if (s.default !== undefined) return clone(s.default);
  if (k === 'const') return s.const;
  if (k === 'union') {
    const first = unionOptions(s)[0];
    return first ? initialValue(first.schema) : undefined;
  }
  if (k === 'rows' || k === 'list' || k === 'checks') return [];
  if (k === 'record') return {};
  return undefined;
}

// camelCase keys as words: "callWaiting" → "Call waiting", "dnisDigits" → "DNIS digits".
const ACRONYMS = new Set(['id', 'ani', 'dnis', 'did', 'cos', 'dnd', 'acd', 'smtp', 'ivr', 'r2', 'pin', 'mb', 'ms', 'sec']);
const UNITS: Record<string, string> = { sec: '(s)', ms: '(ms)', mb: '(MB)' };
export function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').split(/\s+/).filter(Boolean);
  if (!words.length) return key;
  const out = words.map((w, i) => {
    const lw = w.toLowerCase();
    if (i > 0 && UNITS[lw] && i === words.length - 1) return UNITS[lw];
    if (ACRONYMS.has(lw)) return lw === 'r2' ? 'R2' : lw.toUpperCase();
    return i === 0 ? lw.charAt(0).toUpperCase() + lw.slice(1) : lw;
  });
  return out.join(' ');
}

// ---- Lists typed as text -------------------------------------------------

export type Problem =
  | { code: 'required' | 'pattern' | 'integer' | 'number' | 'enum' | 'json' | 'email' }
  | { code: 'min' | 'max' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems'; limit: number }
  | { code: 'item'; item: string; problem: Problem }
  | { code: 'range'; item: string };

const MAX_RANGE = 1000;

// "1-4, 13-27" → [1..4, 13..27] for integer items; other items split on commas.
export function parseList(text: string, items: JsonSchema): { values: (string | number)[]; problems: Problem[] } {
  const parts = text.split(/[,，\s]+/).map((p) => p.trim()).filter(Boolean);
  const values: (string | number)[] = [];
  const problems: Problem[] = [];
  const numeric = items.type === 'integer' || items.type === 'number';
  for (const p of parts) {
    if (numeric && items.type === 'integer') {
      const m = /^(\d+)\s*[-–~]\s*(\d+)$/.exec(p);
      if (m) {
        const a = Number(m[1]), b = Number(m[2]);
        if (b < a || b - a > MAX_RANGE) { problems.push({ code: 'range', item: p }); continue; }
        let reported = false;
        for (let n = a; n <= b; n++) {
          const bad = checkValue(items, n, true);
          if (bad && !reported) { problems.push({ code: 'item', item: String(n), problem: bad }); reported = true; }
          values.push(n);
        }
        continue;
      }
    }
    const v: string | number = numeric ? Number(p) : p;
    if (numeric && !Number.isFinite(v as number)) { problems.push({ code: 'item', item: p, problem: { code: 'number' } }); continue; }
    const bad = checkValue(items, v, true);
    if (bad) problems.push({ code: 'item', item: p, problem: bad });
    values.push(v);
  }
  return { values, problems };
}

// [1,2,3,4,13,...,27] → "1-4,13-27": runs of three or more consecutive integers as a range.
export function formatList(values: unknown, items: JsonSchema): string {
  if (!Array.isArray(values)) return '';
  if (items.type !== 'integer') return values.map(String).join(', ');
  const out: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && typeof values[j] === 'number' && values[j + 1] === (values[j] as number) + 1) j++;
    if (j - i >= 2) { out.push(`${values[i]}-${values[j]}`); i = j + 1; } else { out.push(String(values[i])); i++; }
  }
  return out.join(',');
}

// ---- Cheap checks ----------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// The problem with one value, if the browser can see it. Absent values are
// only a problem when required. The box makes every check again.
export function checkValue(s: JsonSchema, v: unknown, required: boolean): Problem | undefined {
  if (v === undefined || v === null || v === '') return required && s.default === undefined ? { code: 'required' } : undefined;
  const k = fieldKind(s);
  if (k === 'select' && !s.enum!.includes(v)) return { code: 'enum' };
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) return { code: 'minLength', limit: s.minLength };
    if (s.maxLength !== undefined && v.length > s.maxLength) return { code: 'maxLength', limit: s.maxLength };
    if (s.pattern) {
      let re: RegExp | null = null;
      try { re = new RegExp(s.pattern); } catch { /* a pattern JS cannot read: the box checks it */ }
      if (re && !re.test(v)) return { code: 'pattern' };
    }
    if (s.format === 'email' && !EMAIL.test(v)) return { code: 'email' };
  }
  if (typeof v === 'number') {
    if (s.type === 'integer' && !Number.isInteger(v)) return { code: 'integer' };
    if (s.minimum !== undefined && v < s.minimum) return { code: 'min', limit: s.minimum };
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return { code: 'min', limit: s.exclusiveMinimum + (s.type === 'integer' ? 1 : 0) };
    if (s.maximum !== undefined && v > s.maximum) return { code: 'max', limit: s.maximum };
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return { code: 'max', limit: s.exclusiveMaximum - (s.type === 'integer' ? 1 : 0) };
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) return { code: 'minItems', limit: s.minItems };
    if (s.maxItems !== undefined && v.length > s.maxItems) return { code: 'maxItems', limit: s.maxItems };
  }
  return undefined;
}

// A number typed as text: undefined when blank, NaN when not a number.
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : NaN;
}

// ---- Paths and the box's errors ---------------------------------------------

export const joinPath = (base: string, key: string | number): string => (base ? `${base}.${key}` : String(key));

export function getIn(v: unknown, path: string): unknown {
  if (!path) return v;
  let cur = v;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

// A copy of v with the value at path replaced (undefined removes the key);
// missing objects on the way are created.
export function setIn(v: unknown, path: string, value: unknown): unknown {
  if (!path) return value;
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const base = v && typeof v === 'object' ? v : /^\d+$/.test(head) ? [] : {};
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...base] : { ...(base as Record<string, unknown>) };
  const next = setIn((copy as Record<string, unknown>)[head], rest.join('.'), value);
  if (next === undefined && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[head];
  else (copy as Record<string, unknown>)[head] = next;
  return copy;
}

// Every path a form draws a field for, deepest last: where errors can sit.
export function fieldPaths(s: JsonSchema, v: unknown, base = ''): string[] {
  const out: string[] = [];
  const k = fieldKind(s);
  if (base) out.push(base);
  if (k === 'object') {
    for (const [key, p] of Object.entries(s.properties!)) out.push(...fieldPaths(p, getIn(v, key), joinPath(base, key)));
  } else if (k === 'union') {
    const opt = unionOption(s, v);
    if (opt) for (const [key, p] of Object.entries(opt.properties!)) out.push(...fieldPaths(p, getIn(v, key), joinPath(base, key)));
  } else if (k === 'rows' && Array.isArray(v)) {
    v.forEach((item, i) => out.push(...fieldPaths(s.items!, item, joinPath(base, i))));
  } else if (k === 'record' && v && typeof v === 'object') {
    for (const key of Object.keys(v)) out.push(...fieldPaths(s.additionalProperties as JsonSchema, (v as Record<string, unknown>)[key], joinPath(base, key)));
  }
  return out;
}

export interface FieldError { path: string; message: string }

// Each error of the box goes beside the deepest field its path starts with
// ("ports.3" beside the ports list); the rest (whole-document errors) under "".
export function placeErrors(errors: FieldError[], paths: string[]): Map<string, FieldError[]> {
  const known = new Set(paths);
  const out = new Map<string, FieldError[]>();
  for (const e of errors) {
    let p = e.path === '(document)' ? '' : e.path;
    while (p && !known.has(p)) p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
    out.set(p, [...(out.get(p) ?? []), e]);
  }
  return out;
}

// ---- What is sent --------------------------------------------------------------

// Blank optional fields are left out ("" is no PIN, not a bad one); so are
// empty optional objects without defaults. Required blanks stay, for the box
// to name.
export function pruneForSave(s: JsonSchema, v: unknown): unknown {
  const k = fieldKind(s);
  if (k === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
      const p = s.properties![key];
      const req = s.required?.includes(key) ?? false;
      const y = p ? pruneForSave(p, x) : x;
      if (y === undefined || (!req && y === '')) continue;
      out[key] = y;
    }
    return out;
  }
  if (k === 'union') {
    const opt = unionOption(s, v);
    return opt ? pruneForSave(opt, v) : v;
  }
  if (k === 'rows' && Array.isArray(v)) return v.map((x) => pruneForSave(s.items!, x));
  if (k === 'record' && v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, pruneForSave(s.additionalProperties as JsonSchema, x)]));
  }
  return v;
}

// Problems that leave nothing to send (a port range backwards, "abc" for a
// number, broken JSON) stop a save; the rest are hints and the box judges.
export function blocks(p: Problem): boolean {
  if (p.code === 'item') return blocks(p.problem);
  return p.code === 'range' || p.code === 'number' || p.code === 'json';
}
