// Caller screening: the blacklist (exact numbers, prefixes, patterns, withheld
// callers) and the VIP list. The most specific matching entry wins: an exact
// number over a pattern over a prefix over "anonymous"; among equals the VIP
// entry wins, so a customer on the VIP list is never blocked by a wide prefix.
import type { ScreeningEntry } from '../config/schemas.js';
import { cachedPattern, patternProblem } from '../routing/pattern.js';

export interface ScreenResult { entry: ScreeningEntry; why: string }

const RANK = { exact: 4, pattern: 3, prefix: 2, anonymous: 1 } as const;

export function isWithheld(number: string, absence?: string | null): boolean {
  return !number || absence === 'private' || absence === 'unavailable';
}

export function screenCaller(entries: readonly ScreeningEntry[], number: string, opts: { absence?: string | null; now?: Date } = {}): ScreenResult | null {
  const now = (opts.now ?? new Date()).toISOString();
  let best: { entry: ScreeningEntry; rank: number; why: string } | null = null;
  for (const e of entries) {
    if (e.expiresAt && e.expiresAt <= now) continue;
    const why = matches(e, number, opts.absence);
    if (!why) continue;
    // A longer prefix is more specific: it outranks a VIP bonus, which only
    // breaks ties between entries of the same type and length.
    const rank = RANK[e.match.type] * 1000 + (e.match.type === 'prefix' ? e.match.value.length * 2 : 0) + (e.list === 'vip' ? 1 : 0);
    if (!best || rank > best.rank) best = { entry: e, rank, why };
  }
  return best && { entry: best.entry, why: best.why };
}

function matches(e: ScreeningEntry, number: string, absence?: string | null): string | null {
  switch (e.match.type) {
    case 'anonymous': return isWithheld(number, absence) ? 'caller ID withheld' : null;
    case 'exact': return number && number === e.match.value ? `number ${e.match.value}` : null;
    case 'prefix': return number && number.startsWith(e.match.value) ? `prefix ${e.match.value}` : null;
    case 'pattern':
      if (!number || patternProblem(e.match.value)) return null;
      return cachedPattern(e.match.value).matches(number) ? `pattern ${e.match.value}` : null;
  }
}
