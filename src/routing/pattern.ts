/**
 * Number patterns for DIDs, caller numbers, outbound routes and feature codes.
 *
 * Three spellings, told apart by their first and last character:
 * - exact: `13800138000`, `*72`, `#` (digits, `*`, `#`);
 * - prefix: `138*` = starts with 138 (138 itself included). Only when every
 *   character before the final `*` is a digit, so feature codes such as `*72`
 *   and `**` stay exact. An exact number ending in `*` is written `_138*`;
 * - Asterisk-style, starting with `_`: `X` 0-9, `Z` 1-9, `N` 2-9 (any case),
 *   `[13-5]` a class, `.` one or more of anything, `!` zero or more, and literal
 *   digits, `*`, `#`. `-` is ignored (readability, as in Asterisk). `.` and `!`
 *   must come last: Asterisk lets them sit mid-pattern but then matches the
 *   rest greedily, which surprises more than it helps.
 *
 * Specificity follows Asterisk's ordering: exact numbers first, then patterns
 * compared position by position, a narrower class beating a wider one.
 */
import { z } from 'zod';

export const MAX_PATTERN_LENGTH = 40;

const ALL_KEYS = '0123456789*#';
const DIGITS = '0123456789';

export type PatternErrorKind =
  | 'empty'
  | 'too_long'
  | 'bad_char'
  | 'unclosed_class'
  | 'empty_class'
  | 'bad_range'
  | 'wildcard_not_last';

/** A malformed pattern. `position` is 1-based, as the UI shows it under the
 * text field; the message names it and the offending character. */
export class PatternError extends Error {
  readonly code = 'bad_pattern';
  constructor(
    readonly pattern: string,
    readonly kind: PatternErrorKind,
    readonly position: number,
    detail: string,
  ) {
    super(`pattern "${pattern}": ${detail}`);
    this.name = 'PatternError';
  }
}

export interface Pattern {
  readonly source: string;
  readonly kind: 'exact' | 'prefix' | 'pattern';
  /** Shortest and longest number that can match (Infinity when open-ended). */
  readonly minLength: number;
  readonly maxLength: number;
  /** Sort key: ascending order puts the most specific pattern first. Only
   * meaningful between patterns that can match the same number. */
  readonly specificity: string;
  matches(number: string): boolean;
  /** True when some number longer than `prefix`, starting with it, matches:
   * the caller should keep collecting digits. */
  canMatchMore(prefix: string): boolean;
}

type Tail = 'none' | 'one-or-more' | 'zero-or-more';

// Specificity weights: a class weighs its size (1..12); wildcards weigh more
// than any class, `!` more than `.` since it also matches nothing.
const WEIGHT_ONE_OR_MORE = 13;
const WEIGHT_ZERO_OR_MORE = 14;
const weightChar = (w: number) => String.fromCharCode(0x40 + w);

class CompiledPattern implements Pattern {
  readonly minLength: number;
  readonly maxLength: number;
  readonly specificity: string;

  constructor(
    readonly source: string,
    readonly kind: 'exact' | 'prefix' | 'pattern',
    private readonly slots: readonly string[],
    private readonly tail: Tail,
  ) {
    this.minLength = slots.length + (tail === 'one-or-more' ? 1 : 0);
    this.maxLength = tail === 'none' ? slots.length : Infinity;
    let key = kind === 'exact' ? '0' : '1';
    for (const s of slots) key += weightChar(s.length);
    if (tail === 'one-or-more') key += weightChar(WEIGHT_ONE_OR_MORE);
    if (tail === 'zero-or-more') key += weightChar(WEIGHT_ZERO_OR_MORE);
    this.specificity = key;
    Object.freeze(this);
  }

  /** The first `min(len, slots)` characters fit their slots. */
  private fits(s: string): boolean {
    const n = Math.min(s.length, this.slots.length);
    for (let i = 0; i < n; i++) if (!this.slots[i]!.includes(s[i]!)) return false;
    return true;
  }

  matches(number: string): boolean {
    if (number.length < this.minLength || number.length > this.maxLength) return false;
    return this.fits(number);
  }

  canMatchMore(prefix: string): boolean {
    if (!this.fits(prefix)) return false;
    return prefix.length < this.slots.length || this.tail !== 'none';
  }
}

/** Order two patterns most specific first; ties fall back to the source text
 * so that sorting is stable across restarts. */
export function compareSpecificity(a: Pattern, b: Pattern): number {
  if (a.specificity !== b.specificity) return a.specificity < b.specificity ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

export function compilePattern(src: string): Pattern {
  const fail = (kind: PatternErrorKind, index: number, detail: string): never => {
    throw new PatternError(src, kind, index + 1, detail);
  };
  const at = (i: number) => `at position ${i + 1}`;
  if (src.length === 0) fail('empty', 0, 'empty pattern');
  if (src.length > MAX_PATTERN_LENGTH) {
    fail('too_long', MAX_PATTERN_LENGTH, `${src.length} characters; at most ${MAX_PATTERN_LENGTH} allowed`);
  }

  if (!src.startsWith('_')) {
    const prefix = src.length > 1 && src.endsWith('*') && /^[0-9]+$/.test(src.slice(0, -1));
    const body = prefix ? src.slice(0, -1) : src;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (ALL_KEYS.includes(c)) continue;
      const hint = 'XZN.![]'.includes(c.toUpperCase()) ? ` (pattern characters need a leading '_')` : '';
      fail('bad_char', i, `'${c}' ${at(i)} is not a digit, '*' or '#'${hint}`);
    }
    return new CompiledPattern(src, prefix ? 'prefix' : 'exact', [...body], prefix ? 'zero-or-more' : 'none');
  }

  const slots: string[] = [];
  let tail: Tail = 'none';
  let i = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (tail !== 'none') fail('wildcard_not_last', i, `'${c}' ${at(i)} follows a '.' or '!' wildcard, which must come last`);
    switch (c.toUpperCase()) {
      case 'X': slots.push(DIGITS); break;
      case 'Z': slots.push('123456789'); break;
      case 'N': slots.push('23456789'); break;
      case '.': tail = 'one-or-more'; break;
      case '!': tail = 'zero-or-more'; break;
      case '-': break;
      case '[': {
        const { set, end } = parseClass(src, i, fail, at);
        slots.push(set);
        i = end;
        break;
      }
      default:
        if (ALL_KEYS.includes(c)) slots.push(c);
        else if (c === ']') fail('bad_char', i, `']' ${at(i)} has no matching '['`);
        else fail('bad_char', i, `'${c}' ${at(i)} is not a digit, '*', '#' or one of X Z N [ ] . ! -`);
    }
    i++;
  }
  if (slots.length === 0 && tail === 'none') fail('empty', 1, `nothing after '_'`);
  return new CompiledPattern(src, 'pattern', slots, tail);
}

/** Parses `[...]` opening at `open`; returns the set's characters (sorted,
 * unique) and the index of the closing `]`. */
function parseClass(
  src: string,
  open: number,
  fail: (kind: PatternErrorKind, index: number, detail: string) => never,
  at: (i: number) => string,
): { set: string; end: number } {
  const close = src.indexOf(']', open + 1);
  if (close < 0) fail('unclosed_class', open, `'[' ${at(open)} is never closed with ']'`);
  if (close === open + 1) fail('empty_class', open, `empty class '[]' ${at(open)}`);
  const chars = new Set<string>();
  let rangeEnd = -1; // index of the last range's upper digit: `[1-3-5]` is an error, not 1-5
  for (let j = open + 1; j < close; j++) {
    const c = src[j]!;
    if (c === '-') {
      const lo = src[j - 1];
      const hi = src[j + 1];
      if (j === open + 1 || j + 1 === close || j - 1 === rangeEnd || !DIGITS.includes(lo!) || !DIGITS.includes(hi!)) {
        fail('bad_range', j, `'-' ${at(j)} must join two digits, as in [3-5]`);
      }
      if (lo! > hi!) fail('bad_range', j, `range ${lo}-${hi} ${at(j)} runs backwards`);
      for (let d = Number(lo); d <= Number(hi); d++) chars.add(String(d));
      j++;
      rangeEnd = j;
      continue;
    }
    if (!ALL_KEYS.includes(c)) fail('bad_char', j, `'${c}' ${at(j)} is not allowed in a class; use digits, '*', '#' and ranges`);
    chars.add(c);
  }
  const set = [...chars].sort((a, b) => ALL_KEYS.indexOf(a) - ALL_KEYS.indexOf(b)).join('');
  return { set, end: close };
}

/** The most specific of `patterns` matching `number`, or undefined. */
export function bestMatch(patterns: readonly Pattern[], number: string): Pattern | undefined {
  let best: Pattern | undefined;
  for (const p of patterns) {
    if (p.matches(number) && (!best || compareSpecificity(p, best) < 0)) best = p;
  }
  return best;
}

/** For config schemas: the message a bad pattern string should produce, or
 * undefined when it compiles. */
export function patternProblem(src: string): string | undefined {
  try {
    compilePattern(src);
    return undefined;
  } catch (e) {
    if (e instanceof PatternError) return e.message;
    throw e;
  }
}

/** A config field holding a pattern; the issue message is the PatternError's. */
export const patternSchema = z.string().superRefine((s, ctx) => {
  const problem = patternProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

// Routes are matched on every call and every dialed digit; their few hundred
// pattern strings are compiled once. Bounded so that a stream of distinct
// strings (a config editor's keystrokes) cannot grow it without end.
const cache = new Map<string, Pattern>();
const CACHE_MAX = 2000;

/** compilePattern, memoised by source text. */
export function cachedPattern(src: string): Pattern {
  let p = cache.get(src);
  if (!p) {
    p = compilePattern(src);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(src, p);
  }
  return p;
}
