// The screening matcher decides who is blocked and who is a VIP: the most
// specific entry wins (exact, then pattern, then the longest prefix, then
// "withheld"), a VIP beating a block only at equal rank; expired entries and
// broken patterns never match.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { screenCaller, isWithheld } from './screening.js';
import { screeningSchema, type ScreeningEntry } from '../config/schemas.js';

const entry = (id: string, list: 'block' | 'vip', type: 'exact' | 'prefix' | 'pattern' | 'anonymous', value = '', more: Record<string, unknown> = {}): ScreeningEntry =>
  screeningSchema.parse({ id, list, match: { type, value }, ...more });

const NOW = new Date('2026-11-24T02:00:00Z');
const winner = (entries: ScreeningEntry[], number: string, absence?: string | null) => {
  const r = screenCaller(entries, number, { absence, now: NOW });
  return r && `${r.entry.id}: ${r.why}`;
};

test('exact beats pattern beats prefix beats withheld, whatever the list order', () => {
  const all = [
    entry('anon', 'block', 'anonymous'),
    entry('pre', 'block', 'prefix', '139'),
    entry('pat', 'block', 'pattern', '_1390000XXXX'),
    entry('ex', 'block', 'exact', '13900001111'),
  ];
  for (const entries of [all, [...all].reverse()]) {
    assert.is(winner(entries, '13900001111'), 'ex: number 13900001111');
    assert.is(winner(entries, '13900002222'), 'pat: pattern _1390000XXXX');
    assert.is(winner(entries, '13912345678'), 'pre: prefix 139');
    assert.is(winner(entries, ''), 'anon: caller ID withheld');
    assert.is(winner(entries, '13812345678'), null);
  }
});

test('the longest matching prefix wins', () => {
  const entries = [entry('short', 'block', 'prefix', '1'), entry('long', 'block', 'prefix', '1701'), entry('mid', 'block', 'prefix', '170')];
  assert.is(winner(entries, '17012345678'), 'long: prefix 1701');
  assert.is(winner(entries, '17023456789'), 'mid: prefix 170');
  assert.is(winner(entries, '18000000000'), 'short: prefix 1');
});

test('a VIP beats a block of the same rank, but not a more specific block', () => {
  const vip = { destination: { type: 'extension', ext: '805' } };
  assert.is(winner([entry('b', 'block', 'exact', '13800138000'), entry('v', 'vip', 'exact', '13800138000', vip)], '13800138000'), 'v: number 13800138000');
  assert.is(winner([entry('b', 'block', 'prefix', '138'), entry('v', 'vip', 'prefix', '138', vip)], '13800138000'), 'v: prefix 138');
  // A VIP number is never blocked by a wide prefix...
  assert.is(winner([entry('b', 'block', 'prefix', '138'), entry('v', 'vip', 'exact', '13800138000', vip)], '13800138000'), 'v: number 13800138000');
  assert.is(winner([entry('b', 'block', 'prefix', '138'), entry('v', 'vip', 'prefix', '13800', vip)], '13800138000'), 'v: prefix 13800');
  // ...and a wide VIP prefix does not lift a narrower block (the longest prefix wins).
  assert.is(winner([entry('v', 'vip', 'prefix', '138', vip), entry('b', 'block', 'prefix', '1380013', vip)], '13800138000'), 'b: prefix 1380013');
  assert.is(winner([entry('v', 'vip', 'prefix', '138', vip), entry('b', 'block', 'pattern', '_1380013XXXX')], '13800138000'), 'b: pattern _1380013XXXX');
});

test('withheld: no number, or the line says private / unavailable', () => {
  assert.ok(isWithheld(''));
  assert.ok(isWithheld('', 'unavailable'));
  assert.ok(isWithheld('', 'private'));
  assert.not.ok(isWithheld('13800138000'));
  assert.not.ok(isWithheld('13800138000', null));
  const entries = [entry('anon', 'block', 'anonymous'), entry('all', 'block', 'pattern', '_!'), entry('any', 'block', 'prefix', '1')];
  assert.is(winner(entries, '', 'private'), 'anon: caller ID withheld');
  assert.is(winner(entries, '', 'unavailable'), 'anon: caller ID withheld');
  // Number-based entries never match a caller without a number.
  assert.is(winner([entry('all', 'block', 'pattern', '_!'), entry('any', 'block', 'prefix', '1'), entry('ex', 'block', 'exact', '1')], ''), null);
});

test('expired entries are skipped; an entry expiring later still counts', () => {
  const entries = [
    entry('old', 'block', 'exact', '13900001111', { expiresAt: '2026-11-24T01:59:59.000Z' }),
    entry('later', 'block', 'prefix', '139', { expiresAt: '2026-11-25T00:00:00.000Z' }),
  ];
  assert.is(winner(entries, '13900001111'), 'later: prefix 139');
  assert.is(winner([entries[0]!], '13900001111'), null);
});

test('an entry with a broken pattern (not validated, e.g. an old database row) matches nothing', () => {
  const bad = { ...entry('ok', 'block', 'pattern', '_139X.'), id: 'bad', match: { type: 'pattern' as const, value: '_13[' } };
  assert.is(winner([bad], '13900001111'), null);
  assert.is(winner([bad, entry('ok', 'block', 'pattern', '_139X.')], '13900001111'), 'ok: pattern _139X.');
});

test.run();
