/**
 * Time condition config: a weekly schedule of named states in one zone, with
 * holidays, China's shifted workdays (调休) and a manual override. Every field
 * has a default, so `{}` is a Mon-Fri 08:30-18:00 office in Asia/Shanghai with
 * a lunch break. All fields apply hot: the next evaluation uses them.
 *
 * Validation names the field path of each problem so the panel can point at
 * it: `weekly.mon[1]: 12:00-13:30 overlaps weekly.mon[0] (08:30-12:30)`.
 */
import { z } from 'zod';
import { WEEKDAYS, isValidDate, isValidTimeZone } from './calendar.js';
import { parseConfig } from './config-error.js';
import { destinationSchema } from './destination.js';

/** Names that cannot be states: `default` is the fallback key of byState
 * tables, `auto` the override mode that follows the schedule. */
const RESERVED_STATES = new Set(['default', 'auto']);
export const STATE_NAME_RE = /^[a-z][a-z0-9_-]{0,31}$/;

const stateName = z
  .string()
  .regex(STATE_NAME_RE, 'a state is a lowercase name such as "work" or "lunch" (a-z, 0-9, _ and -)')
  .refine((s) => !RESERVED_STATES.has(s), (s) => ({ message: `"${s}" is reserved and cannot name a state` }));

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM from 00:00 to 23:59');
const endClock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'an end time is HH:MM from 00:01 to 24:00');
const date = z.string().refine(isValidDate, (s) => ({ message: `"${s}" is not a date as YYYY-MM-DD` }));

export const periodSchema = z
  .object({
    state: stateName,
    start: clock,
    end: endClock.describe('exclusive; 24:00 is the end of the day. A period cannot cross midnight: split it'),
  })
  .strict();
export type Period = z.output<typeof periodSchema>;

const OFFICE_DAY: Period[] = [
  { state: 'work', start: '08:30', end: '12:00' },
  { state: 'lunch', start: '12:00', end: '13:30' },
  { state: 'work', start: '13:30', end: '18:00' },
];
const day = (periods: Period[]) => z.array(periodSchema).max(48).default(() => periods.map((p) => ({ ...p })));

export const weeklySchema = z
  .object({
    mon: day(OFFICE_DAY),
    tue: day(OFFICE_DAY),
    wed: day(OFFICE_DAY),
    thu: day(OFFICE_DAY),
    fri: day(OFFICE_DAY),
    sat: day([]),
    sun: day([]),
  })
  .strict();

export const holidaySchema = z
  .object({
    name: z.string().min(1, 'a holiday needs a name').max(64),
    from: date,
    to: date.describe('inclusive'),
  })
  .strict();
export type Holiday = z.output<typeof holidaySchema>;

export const specialWorkdaySchema = z
  .object({
    date,
    name: z.string().max(64).default(''),
    followsWeekday: z.enum(WEEKDAYS).default('mon').describe('whose weekly schedule the date follows'),
  })
  .strict();
export type SpecialWorkday = z.output<typeof specialWorkdaySchema>;

export const overrideSchema = z
  .object({
    mode: z
      .string()
      .refine((s) => s === 'auto' || (STATE_NAME_RE.test(s) && s !== 'default'), (s) => ({
        message: `"${s}" is neither auto, day, night nor a state name`,
      }))
      .default('auto')
      .describe('auto follows the schedule; day forces dayState, night forces defaultState, any other name is forced as is'),
    until: z
      .string()
      .datetime({ offset: true, message: 'until is an ISO time with a zone, e.g. 2026-05-01T18:00:00+08:00' })
      .optional()
      .describe('the override ends at this instant and the schedule resumes; absent = until changed'),
  })
  .strict();
export type Override = z.output<typeof overrideSchema>;

const timeConditionObject = z
  .object({
    name: z.string().max(64).default('').describe('shown in the panel and in call traces'),
    timezone: z.string().default('Asia/Shanghai').describe('IANA zone of the schedule'),
    weekly: weeklySchema.default({}).describe('named periods per weekday; time outside them is defaultState'),
    defaultState: stateName.default('night').describe('state outside every period'),
    dayState: stateName.default('work').describe('state forced by override mode "day"'),
    holidays: z.array(holidaySchema).max(200).default([]).describe('date ranges whose state is "holiday"'),
    specialWorkdays: z
      .array(specialWorkdaySchema)
      .max(100)
      .default([])
      .describe('dates that follow a weekday schedule although they are weekend days (调休)'),
    override: overrideSchema.default({}),
    destinations: z
      .record(destinationSchema)
      .default({})
      .describe('state -> destination for calls sent to {type:"timecondition"}; key "default" catches other states'),
  })
  .strict();

export type TimeCondition = z.output<typeof timeConditionObject>;
export type TimeConditionInput = z.input<typeof timeConditionObject>;
export const timeConditionSchema = timeConditionObject.superRefine(checkTimeCondition);

export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function checkTimeCondition(tc: TimeCondition, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  if (!isValidTimeZone(tc.timezone)) issue(['timezone'], `unknown time zone "${tc.timezone}" (use an IANA name such as Asia/Shanghai)`);

  // Refinements run even when a field already failed its own check; look only
  // at well-formed values so one typo does not cascade into several issues.
  const okClock = (p: Period) =>
    /^\d\d:[0-5]\d$/.test(p.start) && /^\d\d:[0-5]\d$/.test(p.end) && minutesOf(p.start) < 1440 && minutesOf(p.end) <= 1440;
  for (const wd of WEEKDAYS) {
    const periods = tc.weekly[wd].map((p, i) => ({ p, i })).filter(({ p }) => okClock(p));
    for (const { p, i } of periods) {
      if (minutesOf(p.end) <= minutesOf(p.start)) {
        issue(['weekly', wd, i, 'end'], `end ${p.end} must be after start ${p.start} (a period cannot cross midnight: split it)`);
      }
    }
    const order = periods
      .filter(({ p }) => minutesOf(p.end) > minutesOf(p.start))
      .sort((a, b) => minutesOf(a.p.start) - minutesOf(b.p.start));
    // Compare with the period reaching furthest so far, not just the previous
    // one: 08:00-18:00 overlaps 11:00-12:00 even with 09:00-10:00 between.
    let reach = order[0];
    for (let k = 1; k < order.length; k++) {
      const prev = reach!;
      const cur = order[k]!;
      if (minutesOf(cur.p.end) > minutesOf(prev.p.end)) reach = cur;
      if (minutesOf(cur.p.start) < minutesOf(prev.p.end)) {
        const [first, second] = prev.i < cur.i ? [prev, cur] : [cur, prev];
        issue(
          ['weekly', wd, second.i],
          `${second.p.start}-${second.p.end} overlaps weekly.${wd}[${first.i}] (${first.p.start}-${first.p.end})`,
        );
      }
    }
  }

  tc.holidays.forEach((h, i) => {
    if (isValidDate(h.from) && isValidDate(h.to) && h.from > h.to) issue(['holidays', i, 'to'], `to ${h.to} is before from ${h.from}`);
  });

  const seen = new Map<string, number>();
  tc.specialWorkdays.forEach((w, i) => {
    const dup = seen.get(w.date);
    if (dup !== undefined) issue(['specialWorkdays', i, 'date'], `${w.date} is already specialWorkdays[${dup}]`);
    seen.set(w.date, i);
    const h = tc.holidays.find((x) => x.from <= w.date && w.date <= x.to);
    // Both rules claim the day; that is a typo more often than an intent.
    if (h) issue(['specialWorkdays', i, 'date'], `${w.date} falls inside holiday ${h.name} (${h.from}..${h.to})`);
  });

  for (const key of Object.keys(tc.destinations)) {
    if (key !== 'default' && (!STATE_NAME_RE.test(key) || key === 'auto')) {
      issue(['destinations', key], `"${key}" is not a state name or "default"`);
    }
  }
}

/** Validates and fills defaults; throws RoutingConfigError naming each bad field. */
export function parseTimeCondition(input: unknown): TimeCondition {
  return parseConfig(timeConditionSchema, input, 'time condition');
}
