/**
 * What state a time condition is in at an instant, and when it next changes.
 *
 * Precedence: an active manual override, then holidays, then special
 * workdays (which borrow another weekday's schedule), then the weekly
 * schedule, then `defaultState`.
 *
 * The schedule is wall time in the condition's zone. Across a DST change the
 * state follows the wall clock: a period starting inside a skipped hour starts
 * when the clock jumps, and a repeated hour is scheduled twice. nextChanges
 * finds changes exactly by cutting time into spans of constant UTC offset and
 * solving each boundary's wall time within each span.
 */
import { DAY_MS, MINUTE_MS, formatSecondOfDay, offsetSpans, wallClockAt, zoneOffset, type WallClock, type Weekday } from './calendar.js';
import { minutesOf, type Period, type TimeCondition } from './time-condition-schema.js';

export * from './time-condition-schema.js';

export interface LocalTime {
  /** `YYYY-MM-DD` in the condition's zone. */
  date: string;
  /** `HH:MM:SS` */
  time: string;
  weekday: Weekday;
  /** `+08:00` */
  utcOffset: string;
  timezone: string;
}

export interface Evaluation {
  state: string;
  /** Why, for journals and the panel: `tue lunch 12:00-13:30`. */
  reason: string;
  localTime: LocalTime;
  /** When the state next changes (looked up to a year ahead); absent when it
   * never does, e.g. under an override without `until`. */
  periodEndsAt?: Date;
}

export interface StateChange {
  at: Date;
  state: string;
  reason: string;
  localTime: LocalTime;
}

interface StateAt {
  state: string;
  reason: string;
}

const DEFAULT_HORIZON_DAYS = 400;

function overrideUntil(tc: TimeCondition): number | undefined {
  return tc.override.until === undefined ? undefined : Date.parse(tc.override.until);
}

function overrideActive(tc: TimeCondition, ms: number): boolean {
  if (tc.override.mode === 'auto') return false;
  const until = overrideUntil(tc);
  return until === undefined || ms < until;
}

function overrideState(tc: TimeCondition): string {
  const m = tc.override.mode;
  return m === 'day' ? tc.dayState : m === 'night' ? tc.defaultState : m;
}

/** The schedule a local date follows, or the holiday that replaces it. */
function dayPlan(tc: TimeCondition, date: string, weekday: Weekday): { holiday: TimeCondition['holidays'][number] } | { periods: Period[]; label: string } {
  const holiday = tc.holidays.find((h) => h.from <= date && date <= h.to);
  if (holiday) return { holiday };
  const shifted = tc.specialWorkdays.find((w) => w.date === date);
  if (shifted) {
    const name = shifted.name ? `${shifted.name} ` : '';
    return { periods: tc.weekly[shifted.followsWeekday], label: `special workday ${name}(${date}, follows ${shifted.followsWeekday})` };
  }
  return { periods: tc.weekly[weekday], label: weekday };
}

function stateAt(tc: TimeCondition, ms: number, wall: WallClock): StateAt {
  if (overrideActive(tc, ms)) {
    const state = overrideState(tc);
    const mode = tc.override.mode === state ? state : `${tc.override.mode} -> ${state}`;
    return { state, reason: `manual override ${mode} ${tc.override.until ? `until ${tc.override.until}` : '(no end set)'}` };
  }
  const plan = dayPlan(tc, wall.date, wall.weekday);
  if ('holiday' in plan) {
    const h = plan.holiday;
    return { state: 'holiday', reason: `holiday ${h.name} (${h.from}..${h.to})` };
  }
  const minute = Math.floor(wall.second / 60);
  const p = plan.periods.find((x) => minutesOf(x.start) <= minute && minute < minutesOf(x.end));
  if (p) return { state: p.state, reason: `${plan.label} ${p.state} ${p.start}-${p.end}` };
  return { state: tc.defaultState, reason: `${plan.label} outside scheduled periods` };
}

/** Minutes of a local day at which the state may change. */
function boundaries(tc: TimeCondition, dayNumber: number): number[] {
  const wall = wallClockAt(dayNumber * DAY_MS, 0);
  const plan = dayPlan(tc, wall.date, wall.weekday);
  const out = new Set([0]);
  if ('periods' in plan) {
    for (const p of plan.periods) {
      out.add(minutesOf(p.start));
      if (minutesOf(p.end) < 1440) out.add(minutesOf(p.end));
    }
  }
  return [...out];
}

function formatOffset(offsetMs: number): string {
  const m = Math.round(Math.abs(offsetMs) / MINUTE_MS);
  return `${offsetMs < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function localTime(tc: TimeCondition, wall: WallClock, offset: number): LocalTime {
  return { date: wall.date, time: formatSecondOfDay(wall.second), weekday: wall.weekday, utcOffset: formatOffset(offset), timezone: tc.timezone };
}

/** The state of `tc` at `date`, why, and until when. */
export function evaluate(tc: TimeCondition, date: Date): Evaluation {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('evaluate: invalid date');
  const offset = zoneOffset(tc.timezone, ms);
  const wall = wallClockAt(ms, offset);
  const next = nextChanges(tc, date, 1)[0];
  return { ...stateAt(tc, ms, wall), localTime: localTime(tc, wall, offset), ...(next ? { periodEndsAt: next.at } : {}) };
}

/**
 * The next `count` changes of state strictly after `from`, looking at most
 * `horizonDays` ahead: the calendar preview in the panel.
 */
export function nextChanges(tc: TimeCondition, from: Date, count: number, horizonDays = DEFAULT_HORIZON_DAYS): StateChange[] {
  const start = from.getTime();
  if (Number.isNaN(start)) throw new RangeError('nextChanges: invalid date');
  const out: StateChange[] = [];
  const zone = tc.timezone;
  const until = overrideUntil(tc);
  if (count <= 0 || (tc.override.mode !== 'auto' && until === undefined)) return out;

  const end = start + horizonDays * DAY_MS;
  let lo = start;
  let offLo = zoneOffset(zone, lo);
  let current = stateAt(tc, lo, wallClockAt(lo, offLo)).state;
  // A week per step: offsetSpans assumes at most one offset change per step,
  // and no zone's rules put two changes within a week (Morocco's Ramadan
  // suspension, the closest, lasts a month).
  while (out.length < count && lo < end) {
    const hi = Math.min(lo + 7 * DAY_MS, end);
    const offHi = zoneOffset(zone, hi);
    const candidates: { t: number; offset: number }[] = [];
    for (const span of offsetSpans(zone, lo, hi, offLo, offHi)) {
      const add = (t: number) => {
        if (t > start && t >= span.start && t < span.end) candidates.push({ t, offset: span.offset });
      };
      add(span.start); // an offset change can itself change the state
      const firstDay = Math.floor((span.start + span.offset) / DAY_MS);
      const lastDay = Math.floor((span.end - 1 + span.offset) / DAY_MS);
      for (let d = firstDay; d <= lastDay; d++) {
        for (const m of boundaries(tc, d)) add(d * DAY_MS + m * MINUTE_MS - span.offset);
      }
      if (until !== undefined) add(until);
    }
    candidates.sort((a, b) => a.t - b.t);
    let last = NaN;
    for (const c of candidates) {
      if (c.t === last) continue;
      last = c.t;
      const wall = wallClockAt(c.t, c.offset);
      const s = stateAt(tc, c.t, wall);
      if (s.state === current) continue;
      current = s.state;
      out.push({ at: new Date(c.t), ...s, localTime: localTime(tc, wall, c.offset) });
      if (out.length === count) break;
    }
    lo = hi;
    offLo = offHi;
  }
  return out;
}

/** Every state `tc` can be in without a custom override: for checking that a
 * byState table covers them. */
export function knownStates(tc: TimeCondition): string[] {
  const s = new Set<string>([tc.defaultState, tc.dayState]);
  for (const periods of Object.values(tc.weekly) as Period[][]) for (const p of periods) s.add(p.state);
  if (tc.holidays.length > 0) s.add('holiday');
  if (tc.override.mode !== 'auto') s.add(overrideState(tc));
  return [...s].sort();
}
