import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dateOfDayNumber, dayNumber, isValidTimeZone, offsetSpans, wallClock, weekdayOf, zoneOffset } from './calendar.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

test('only real calendar dates have a day number', () => {
  assert.is(dayNumber('1970-01-01'), 0);
  assert.is(dayNumber('2024-02-29'), 19782);
  assert.is(dayNumber('2026-02-29'), undefined, 'not a leap year');
  assert.is(dayNumber('2026-02-30'), undefined);
  assert.is(dayNumber('2026-13-01'), undefined);
  assert.is(dayNumber('2026-1-01'), undefined);
  assert.is(dayNumber('2026-01-01T00:00'), undefined);
  assert.is(dateOfDayNumber(dayNumber('2026-10-01')!), '2026-10-01');
});

test('day numbers turn back into the dates Date would print', () => {
  for (let n = -800; n < 80_000; n += 1) {
    const want = new Date(n * 86_400_000).toISOString().slice(0, 10);
    if (dateOfDayNumber(n) !== want) assert.unreachable(`day ${n}: got ${dateOfDayNumber(n)}, expected ${want}`);
  }
});

test('weekdays are Monday-first names', () => {
  assert.is(weekdayOf('1970-01-01'), 'thu');
  assert.is(weekdayOf('2026-05-12'), 'tue');
  assert.is(weekdayOf('2026-10-10'), 'sat');
  assert.is(weekdayOf('2026-09-27'), 'sun');
  assert.is(weekdayOf('2026-03-09'), 'mon');
});

test('time zones are checked against the ICU database', () => {
  assert.ok(isValidTimeZone('Asia/Shanghai'));
  assert.ok(isValidTimeZone('America/New_York'));
  assert.ok(isValidTimeZone('UTC'));
  assert.not.ok(isValidTimeZone('Asia/Shangai'));
  assert.not.ok(isValidTimeZone('Beijing'));
  assert.not.ok(isValidTimeZone(''));
});

test('offsets: Shanghai is +8 all year, New York follows DST', () => {
  assert.is(zoneOffset('Asia/Shanghai', at('2026-01-15T00:00:00Z')), 8 * H);
  assert.is(zoneOffset('Asia/Shanghai', at('2026-07-15T00:00:00Z')), 8 * H);
  assert.is(zoneOffset('America/New_York', at('2026-01-15T00:00:00Z')), -5 * H);
  assert.is(zoneOffset('America/New_York', at('2026-07-15T00:00:00Z')), -4 * H);
});

test('wall clock of an instant in a zone', () => {
  const w = wallClock('Asia/Shanghai', at('2026-05-12T04:30:15.500Z'));
  assert.equal(w, { date: '2026-05-12', dayNumber: dayNumber('2026-05-12'), weekday: 'tue', second: 12 * 3600 + 30 * 60 + 15 });
  // 23:30 UTC on Monday is already Tuesday in Shanghai.
  assert.is(wallClock('Asia/Shanghai', at('2026-05-11T23:30:00Z')).date, '2026-05-12');
});

test('offsetSpans finds the second at which DST starts and ends', () => {
  const lo = at('2026-03-08T00:00:00Z');
  const spans = offsetSpans('America/New_York', lo, lo + 24 * H);
  assert.equal(spans, [
    { start: lo, end: at('2026-03-08T07:00:00Z'), offset: -5 * H },
    { start: at('2026-03-08T07:00:00Z'), end: lo + 24 * H, offset: -4 * H },
  ]);
  const lo2 = at('2026-11-01T00:00:00Z');
  const back = offsetSpans('America/New_York', lo2, lo2 + 24 * H);
  assert.is(back.length, 2);
  assert.is(back[1]!.start, at('2026-11-01T06:00:00Z'));
  assert.is(offsetSpans('Asia/Shanghai', lo, lo + 24 * H).length, 1);
});

test.run();
