import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoutingConfigError } from './config-error.js';
import { evaluate, knownStates, nextChanges, parseTimeCondition, type TimeConditionInput } from './time-conditions.js';

/** A wall time in Shanghai. */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const iso = (d: Date | undefined) => d?.toISOString();

const office = parseTimeCondition({});

/** Golden Week as an example: eight days off, two weekend days worked. */
const goldenWeek: TimeConditionInput = {
  name: '总机',
  holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-08' }],
  specialWorkdays: [
    { date: '2026-09-27', name: '国庆节调休', followsWeekday: 'mon' },
    { date: '2026-10-10', name: '国庆节调休', followsWeekday: 'fri' },
  ],
};
const golden = parseTimeCondition(goldenWeek);

function rejects(input: unknown, ...needles: string[]): void {
  try {
    parseTimeCondition(input);
  } catch (e) {
    assert.instance(e, RoutingConfigError);
    for (const n of needles) assert.ok((e as Error).message.includes(n), `expected "${n}" in: ${(e as Error).message}`);
    return;
  }
  assert.unreachable(`expected ${JSON.stringify(input)} to be rejected`);
}

test('an empty config is a Shanghai office with lunch break and free weekends', () => {
  assert.is(office.timezone, 'Asia/Shanghai');
  assert.is(office.defaultState, 'night');
  assert.is(office.dayState, 'work');
  assert.equal(office.weekly.tue, [
    { state: 'work', start: '08:30', end: '12:00' },
    { state: 'lunch', start: '12:00', end: '13:30' },
    { state: 'work', start: '13:30', end: '18:00' },
  ]);
  assert.equal(office.weekly.sat, []);
  assert.equal(office.weekly.sun, []);
  assert.equal(office.override, { mode: 'auto' });
  assert.equal(office.holidays, []);
  // Defaults are copies: editing one day must not edit the others.
  assert.is.not(office.weekly.mon, office.weekly.tue);
});

test('12:30 on a Tuesday is lunch, until 13:30', () => {
  const ev = evaluate(office, sh('2026-05-12 12:30'));
  assert.is(ev.state, 'lunch');
  assert.is(ev.reason, 'tue lunch 12:00-13:30');
  assert.equal(ev.localTime, { date: '2026-05-12', time: '12:30:00', weekday: 'tue', utcOffset: '+08:00', timezone: 'Asia/Shanghai' });
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-05-12 13:30')));
});

test('period starts are inclusive and ends exclusive', () => {
  assert.is(evaluate(office, sh('2026-05-12 08:29')).state, 'night');
  assert.is(evaluate(office, sh('2026-05-12 08:30')).state, 'work');
  assert.is(evaluate(office, sh('2026-05-12 11:59')).state, 'work');
  assert.is(evaluate(office, sh('2026-05-12 12:00')).state, 'lunch');
  assert.is(evaluate(office, sh('2026-05-12 17:59')).state, 'work');
  assert.is(evaluate(office, sh('2026-05-12 18:00')).state, 'night');
});

test('a weekday evening is night until 08:30 the next morning', () => {
  const ev = evaluate(office, sh('2026-05-12 19:00'));
  assert.is(ev.state, 'night');
  assert.is(ev.reason, 'tue outside scheduled periods');
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-05-13 08:30')));
});

test('a Saturday is night until Monday morning', () => {
  const ev = evaluate(office, sh('2026-05-16 10:00'));
  assert.is(ev.state, 'night');
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-05-18 08:30')));
});

test('the local date decides the weekday, not the UTC date', () => {
  // 2026-05-18 01:00Z is Monday 09:00 in Shanghai (Sunday evening in UTC terms would be wrong).
  assert.is(evaluate(office, new Date('2026-05-18T01:00:00Z')).state, 'work');
});

test('a date inside a holiday is holiday, named with its range', () => {
  const ev = evaluate(golden, sh('2026-10-05 10:00'));
  assert.is(ev.state, 'holiday');
  assert.is(ev.reason, 'holiday 国庆节 (2026-10-01..2026-10-08)');
  // The holiday ends at midnight into Friday the 9th, which starts as night.
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-10-09 00:00')));
  assert.is(evaluate(golden, sh('2026-10-01 00:00')).state, 'holiday', 'first day included');
  assert.is(evaluate(golden, sh('2026-10-08 23:59')).state, 'holiday', 'last day included');
  assert.is(evaluate(golden, sh('2026-10-09 10:00')).state, 'work');
  assert.is(evaluate(golden, sh('2026-09-30 10:00')).state, 'work');
});

test('a shifted Saturday workday at 10:00 is work', () => {
  const ev = evaluate(golden, sh('2026-10-10 10:00'));
  assert.is(ev.state, 'work');
  assert.is(ev.reason, 'special workday 国庆节调休 (2026-10-10, follows fri) work 08:30-12:00');
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-10-10 12:00')));
  assert.is(evaluate(golden, sh('2026-10-10 12:30')).state, 'lunch');
  assert.is(evaluate(golden, sh('2026-10-10 19:00')).state, 'night');
  assert.is(evaluate(golden, sh('2026-09-27 09:00')).state, 'work', 'a shifted Sunday too');
  // Without the rule the same Saturday is a weekend day.
  assert.is(evaluate(office, sh('2026-10-10 10:00')).state, 'night');
  assert.is(evaluate(golden, sh('2026-10-17 10:00')).state, 'night', 'the next Saturday is ordinary');
});

test('a shifted workday follows the schedule of the weekday it names', () => {
  const tc = parseTimeCondition({
    weekly: { fri: [{ state: 'work', start: '09:00', end: '15:00' }] },
    specialWorkdays: [{ date: '2026-10-10', followsWeekday: 'fri' }],
  });
  assert.is(evaluate(tc, sh('2026-10-10 14:00')).state, 'work');
  assert.is(evaluate(tc, sh('2026-10-10 16:00')).state, 'night');
  assert.is(evaluate(tc, sh('2026-10-10 12:30')).state, 'work', 'Friday here has no lunch period');
  assert.match(evaluate(tc, sh('2026-10-10 14:00')).reason, /^special workday \(2026-10-10, follows fri\)/);
});

test('override day forces the day state until its end time, then the schedule resumes', () => {
  const tc = parseTimeCondition({ override: { mode: 'day', until: '2026-05-12T21:00:00+08:00' } });
  const ev = evaluate(tc, sh('2026-05-12 20:00'));
  assert.is(ev.state, 'work');
  assert.is(ev.reason, 'manual override day -> work until 2026-05-12T21:00:00+08:00');
  assert.is(iso(ev.periodEndsAt), iso(sh('2026-05-12 21:00')));
  assert.is(evaluate(tc, sh('2026-05-12 21:00')).state, 'night', 'until is exclusive');
  assert.is(evaluate(tc, sh('2026-05-13 10:00')).state, 'work');
  assert.is(evaluate(tc, sh('2026-05-13 12:30')).state, 'lunch');
});

test('override beats holidays; night maps to the default state; no end means no change', () => {
  const tc = parseTimeCondition({ ...goldenWeek, defaultState: 'closed', override: { mode: 'night' } });
  const ev = evaluate(tc, sh('2026-10-09 10:00'));
  assert.is(ev.state, 'closed');
  assert.is(ev.reason, 'manual override night -> closed (no end set)');
  assert.is(ev.periodEndsAt, undefined);
  assert.equal(nextChanges(tc, sh('2026-10-09 10:00'), 5), []);
  const day = parseTimeCondition({ ...goldenWeek, override: { mode: 'day' } });
  assert.is(evaluate(day, sh('2026-10-03 10:00')).state, 'work');
});

test('override to a custom state, and an expired override, and auto with a stale until', () => {
  const meeting = parseTimeCondition({ override: { mode: 'meeting', until: '2026-05-12T16:00:00+08:00' } });
  assert.is(evaluate(meeting, sh('2026-05-12 15:00')).state, 'meeting');
  assert.is(evaluate(meeting, sh('2026-05-12 16:00')).state, 'work');
  const auto = parseTimeCondition({ override: { mode: 'auto', until: '2030-01-01T00:00:00Z' } });
  assert.is(evaluate(auto, sh('2026-05-12 12:30')).state, 'lunch');
});

test('nextChanges lists the weekend and the next working day', () => {
  const changes = nextChanges(office, sh('2026-05-15 17:00'), 5);
  assert.equal(
    changes.map((c) => [iso(c.at), c.state]),
    [
      [iso(sh('2026-05-15 18:00')), 'night'],
      [iso(sh('2026-05-18 08:30')), 'work'],
      [iso(sh('2026-05-18 12:00')), 'lunch'],
      [iso(sh('2026-05-18 13:30')), 'work'],
      [iso(sh('2026-05-18 18:00')), 'night'],
    ],
  );
  assert.is(changes[1]!.reason, 'mon work 08:30-12:00');
  assert.is(changes[1]!.localTime.weekday, 'mon');
});

test('nextChanges is strictly after from and merges adjacent periods of one state', () => {
  const tc = parseTimeCondition({
    weekly: { mon: [{ state: 'work', start: '09:00', end: '12:00' }, { state: 'work', start: '12:00', end: '17:00' }] },
  });
  const changes = nextChanges(tc, sh('2026-05-18 09:00'), 2);
  assert.equal(changes.map((c) => [iso(c.at), c.state]), [
    [iso(sh('2026-05-18 17:00')), 'night'],
    [iso(sh('2026-05-19 08:30')), 'work'],
  ]);
});

test('nextChanges walks through Golden Week and its shifted Saturday', () => {
  const changes = nextChanges(golden, sh('2026-09-30 17:00'), 9);
  assert.equal(
    changes.map((c) => [iso(c.at), c.state]),
    [
      [iso(sh('2026-09-30 18:00')), 'night'],
      [iso(sh('2026-10-01 00:00')), 'holiday'],
      [iso(sh('2026-10-09 00:00')), 'night'],
      [iso(sh('2026-10-09 08:30')), 'work'],
      [iso(sh('2026-10-09 12:00')), 'lunch'],
      [iso(sh('2026-10-09 13:30')), 'work'],
      [iso(sh('2026-10-09 18:00')), 'night'],
      [iso(sh('2026-10-10 08:30')), 'work'],
      [iso(sh('2026-10-10 12:00')), 'lunch'],
    ],
  );
});

test('nextChanges includes the end of an override', () => {
  const tc = parseTimeCondition({ override: { mode: 'night', until: '2026-05-12T10:00:00+08:00' } });
  const changes = nextChanges(tc, sh('2026-05-12 09:00'), 2);
  assert.equal(changes.map((c) => [iso(c.at), c.state]), [
    [iso(sh('2026-05-12 10:00')), 'work'],
    [iso(sh('2026-05-12 12:00')), 'lunch'],
  ]);
});

test('a period may end at 24:00', () => {
  const tc = parseTimeCondition({ weekly: { mon: [{ state: 'evening', start: '18:00', end: '24:00' }] } });
  assert.is(evaluate(tc, sh('2026-05-18 23:59')).state, 'evening');
  assert.is(evaluate(tc, sh('2026-05-19 00:00')).state, 'night');
  assert.is(iso(evaluate(tc, sh('2026-05-18 20:00')).periodEndsAt), iso(sh('2026-05-19 00:00')));
});

const newYork = (weekly: TimeConditionInput['weekly']) =>
  parseTimeCondition({ timezone: 'America/New_York', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...weekly } });

test('New York: Monday 09:00 after the spring change is 13:00Z, not 14:00Z', () => {
  const tc = newYork({ fri: [{ state: 'work', start: '09:00', end: '17:00' }], mon: [{ state: 'work', start: '09:00', end: '17:00' }] });
  const changes = nextChanges(tc, new Date('2026-03-06T20:00:00Z'), 3);
  assert.equal(changes.map((c) => [iso(c.at), c.state, c.localTime.utcOffset]), [
    ['2026-03-06T22:00:00.000Z', 'night', '-05:00'],
    ['2026-03-09T13:00:00.000Z', 'work', '-04:00'],
    ['2026-03-09T21:00:00.000Z', 'night', '-04:00'],
  ]);
});

test('New York: a period inside the skipped hour starts when the clock jumps', () => {
  const tc = newYork({ sun: [{ state: 'maint', start: '02:30', end: '03:30' }] });
  const changes = nextChanges(tc, new Date('2026-03-08T00:00:00Z'), 2);
  assert.equal(changes.map((c) => [iso(c.at), c.state, c.localTime.time]), [
    ['2026-03-08T07:00:00.000Z', 'maint', '03:00:00'],
    ['2026-03-08T07:30:00.000Z', 'night', '03:30:00'],
  ]);
  assert.is(evaluate(tc, new Date('2026-03-08T06:59:59Z')).state, 'night');
  assert.is(evaluate(tc, new Date('2026-03-08T07:00:00Z')).state, 'maint');
});

test('New York: a period in the repeated hour happens twice', () => {
  const tc = newYork({ sun: [{ state: 'maint', start: '01:00', end: '01:30' }] });
  const changes = nextChanges(tc, new Date('2026-11-01T00:00:00Z'), 5);
  assert.equal(changes.map((c) => [iso(c.at), c.state]), [
    ['2026-11-01T05:00:00.000Z', 'maint'],
    ['2026-11-01T05:30:00.000Z', 'night'],
    ['2026-11-01T06:00:00.000Z', 'maint'],
    ['2026-11-01T06:30:00.000Z', 'night'],
    ['2026-11-08T06:00:00.000Z', 'maint'],
  ]);
});

test('nextChanges agrees with evaluate sampled every 15 minutes across DST', () => {
  for (const [timezone, from] of [
    ['Europe/Berlin', '2026-03-25T00:00:00Z'],
    ['America/New_York', '2026-10-28T00:00:00Z'],
    ['Australia/Sydney', '2026-04-01T00:00:00Z'],
    ['Asia/Shanghai', '2026-09-28T00:00:00Z'],
  ] as const) {
    const tc = parseTimeCondition({
      timezone,
      weekly: {
        sun: [{ state: 'maint', start: '01:45', end: '03:15' }, { state: 'work', start: '10:00', end: '11:00' }],
        sat: [{ state: 'work', start: '00:00', end: '02:30' }],
      },
      holidays: [{ name: 'test', from: '2026-04-03', to: '2026-04-03' }],
    });
    const start = Date.parse(from);
    const step = 15 * 60_000;
    const expected: [string, string][] = [];
    let prev = evaluate(tc, new Date(start)).state;
    for (let t = start + step; t <= start + 12 * 86_400_000; t += step) {
      const s = evaluate(tc, new Date(t)).state;
      if (s !== prev) expected.push([new Date(t).toISOString(), s]);
      prev = s;
    }
    const got = nextChanges(tc, new Date(start), expected.length).map((c): [string, string] => [iso(c.at)!, c.state]);
    assert.equal(got, expected, timezone);
    assert.ok(expected.length > 20, `${timezone}: enough changes to be a test (${expected.length})`);
  }
});

test('validation rejects overlapping periods, naming both', () => {
  rejects(
    { weekly: { mon: [{ state: 'work', start: '08:30', end: '12:30' }, { state: 'lunch', start: '12:00', end: '13:30' }] } },
    'weekly.mon[1]: 12:00-13:30 overlaps weekly.mon[0] (08:30-12:30)',
  );
  rejects(
    {
      weekly: {
        wed: [
          { state: 'work', start: '08:00', end: '18:00' },
          { state: 'a', start: '09:00', end: '10:00' },
          { state: 'b', start: '11:00', end: '12:00' },
        ],
      },
    },
    'weekly.wed[1]: 09:00-10:00 overlaps weekly.wed[0]',
    'weekly.wed[2]: 11:00-12:00 overlaps weekly.wed[0]',
  );
});

test('validation rejects end <= start and malformed times', () => {
  rejects({ weekly: { tue: [{ state: 'work', start: '09:00', end: '09:00' }] } }, 'weekly.tue[0].end: end 09:00 must be after start 09:00');
  rejects({ weekly: { tue: [{ state: 'night', start: '22:00', end: '06:00' }] } }, 'weekly.tue[0].end', 'cannot cross midnight');
  rejects({ weekly: { tue: [{ state: 'work', start: '9:00', end: '18:00' }] } }, 'weekly.tue[0].start', 'HH:MM');
  rejects({ weekly: { tue: [{ state: 'work', start: '24:00', end: '24:00' }] } }, 'weekly.tue[0].start');
  rejects({ weekly: { tue: [{ state: 'work', start: '08:00', end: '24:30' }] } }, 'weekly.tue[0].end');
});

test('validation rejects bad dates and backwards holidays', () => {
  rejects({ holidays: [{ name: 'x', from: '2026-02-30', to: '2026-03-01' }] }, 'holidays[0].from', '"2026-02-30" is not a date');
  rejects({ holidays: [{ name: '国庆节', from: '2026-10-08', to: '2026-10-01' }] }, 'holidays[0].to: to 2026-10-01 is before from 2026-10-08');
  rejects({ specialWorkdays: [{ date: '2026/10/10' }] }, 'specialWorkdays[0].date');
  rejects({ holidays: [{ from: '2026-10-01', to: '2026-10-01' }] }, 'holidays[0].name');
});

test('validation rejects an unknown time zone', () => {
  rejects({ timezone: 'Asia/Shangai' }, 'timezone: unknown time zone "Asia/Shangai"');
});

test('validation rejects workdays inside holidays, duplicates, reserved and bad state names', () => {
  rejects({ ...goldenWeek, specialWorkdays: [{ date: '2026-10-03' }] }, 'specialWorkdays[0].date: 2026-10-03 falls inside holiday 国庆节');
  rejects({ specialWorkdays: [{ date: '2026-10-10' }, { date: '2026-10-10' }] }, 'specialWorkdays[1].date', 'already specialWorkdays[0]');
  rejects({ defaultState: 'default' }, 'defaultState', 'reserved');
  rejects({ weekly: { mon: [{ state: 'Work', start: '08:00', end: '09:00' }] } }, 'weekly.mon[0].state');
  rejects({ override: { mode: 'Day!' } }, 'override.mode');
  rejects({ override: { mode: 'day', until: '2026-05-12 21:00' } }, 'override.until', 'ISO time');
  rejects({ destinations: { 'Not a state': { type: 'hangup' } } }, 'destinations.Not a state');
  rejects({ destinations: { work: { type: 'queue' } } }, 'destinations.work.queue');
  rejects({ colour: 'red' }, 'colour');
});

test('knownStates lists what a byState table should cover', () => {
  assert.equal(knownStates(office), ['lunch', 'night', 'work']);
  assert.equal(knownStates(golden), ['holiday', 'lunch', 'night', 'work']);
});

test('evaluation is quick enough to run on every call', () => {
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) evaluate(golden, new Date(sh('2026-10-01 00:00').getTime() + i * 3_600_000));
  const per = (performance.now() - t0) / 200;
  assert.ok(per < 5, `evaluate took ${per.toFixed(2)} ms`);
});

test.run();
