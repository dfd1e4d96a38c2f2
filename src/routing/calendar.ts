/**
 * Calendar dates and zone wall time without a time-zone library: Intl (with
 * the ICU data Node ships) tells the wall clock of an instant in a zone; every
 * other step is arithmetic on UTC milliseconds.
 *
 * Dates are `YYYY-MM-DD` strings, which sort as they compare. A "day number"
 * counts days since 1970-01-01 on the proleptic Gregorian calendar.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a real calendar date, or undefined (`2026-02-30` is not one). */
export function dayNumber(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function isValidDate(date: string): boolean {
  return dayNumber(date) !== undefined;
}

/** Day number to date by arithmetic (Hinnant's civil-from-days): this runs
 * for every day nextChanges scans, where Date#toISOString was the hot spot. */
export function dateOfDayNumber(n: number): string {
  const z = n + 719_468; // days from 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Monday-first weekday of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(n: number): Weekday {
  return WEEKDAYS[(((n + 3) % 7) + 7) % 7]!;
}

export function weekdayOf(date: string): Weekday {
  const n = dayNumber(date);
  if (n === undefined) throw new RangeError(`not a date: ${date}`);
  return weekdayOfDayNumber(n);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock as if it were UTC, in milliseconds (seconds resolution). */
function wallMs(zone: string, ms: number): number {
  const parts = formatter(zone).formatToParts(ms);
  const get = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** UTC offset in force at instant `ms`, in milliseconds (east positive). */
export function zoneOffset(zone: string, ms: number): number {
  const s = Math.floor(ms / 1000) * 1000;
  return wallMs(zone, s) - s;
}

export interface WallClock {
  /** `YYYY-MM-DD` */
  date: string;
  dayNumber: number;
  weekday: Weekday;
  /** Seconds since local midnight. */
  second: number;
}

/** Wall clock of `ms + offset`, i.e. of an instant whose offset is known. */
export function wallClockAt(ms: number, offset: number): WallClock {
  const w = Math.floor((ms + offset) / 1000) * 1000;
  const day = Math.floor(w / DAY_MS);
  return { date: dateOfDayNumber(day), dayNumber: day, weekday: weekdayOfDayNumber(day), second: (w - day * DAY_MS) / 1000 };
}

export function wallClock(zone: string, ms: number): WallClock {
  return wallClockAt(ms, zoneOffset(zone, ms));
}

export function formatSecondOfDay(second: number): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(second / 3600))}:${p(Math.floor(second / 60) % 60)}:${p(second % 60)}`;
}

/** A stretch of time [start, end) over which the zone's offset is constant. */
export interface OffsetSpan {
  start: number;
  end: number;
  offset: number;
}

/**
 * Splits [lo, hi) into spans of constant offset. Keep hi - lo at a week or
 * less: the search assumes at most one offset change in between, which holds
 * for every zone's rules (changes are a month or more apart).
 */
export function offsetSpans(zone: string, lo: number, hi: number, offLo = zoneOffset(zone, lo), offHi = zoneOffset(zone, hi)): OffsetSpan[] {
  if (offLo === offHi) return [{ start: lo, end: hi, offset: offLo }];
  // Smallest whole second in (lo, hi] already on the new offset.
  let a = Math.floor(lo / 1000);
  let b = Math.floor(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (zoneOffset(zone, mid * 1000) === offHi) b = mid;
    else a = mid;
  }
  const t = Math.max(b * 1000, lo);
  return [
    { start: lo, end: t, offset: offLo },
    { start: t, end: hi, offset: offHi },
  ].filter((s) => s.end > s.start);
}
