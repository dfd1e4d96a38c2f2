import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { projectRoot } from '../native/addon.js';
import { builtinPromptTexts } from './library.js';
import { sayDigits, sayNumber } from './say-number.js';

const texts = builtinPromptTexts({ projectRoot: projectRoot() });
/** What the prompts say, joined: builtin:n_1 → 一 / one. */
const spoken = (refs: string[], lang: 'zh' | 'en') =>
  refs.map((r) => texts[r.replace(/^builtin:/, '')]?.[lang] ?? `<missing ${r}>`).join(lang === 'zh' ? '' : ' ');

test('sayDigits reads each digit, Mandarin 1 as 幺; separators are skipped', () => {
  assert.equal(sayDigits('8001', 'zh'), ['builtin:digit_8', 'builtin:digit_0', 'builtin:digit_0', 'builtin:digit_1']);
  assert.is(spoken(sayDigits('+86 138-0013', 'zh'), 'zh'), '八六幺三八零零幺三');
  assert.is(spoken(sayDigits(701, 'en'), 'en'), 'seven zero one');
  assert.equal(sayDigits('007', 'en').length, 3, 'leading zeros are said');
  assert.throws(() => sayDigits('12a', 'zh'), /"a", not a digit/);
  assert.throws(() => sayDigits(-1, 'zh'), RangeError);
});

test('sayNumber in Mandarin: 零 for inner zeros, 两 before 千 and a leading 百, 一十 inside a number', () => {
  const cases: [number, string][] = [
    [0, '零'], [7, '七'], [10, '十'], [12, '十二'], [20, '二十'], [45, '四十五'], [100, '一百'], [101, '一百零一'],
    [110, '一百一十'], [115, '一百一十五'], [200, '两百'], [1005, '一千零五'], [1010, '一千零一十'], [1050, '一千零五十'],
    [1200, '一千二百'], [2000, '两千'], [2222, '两千二百二十二'], [3002, '三千零二'], [9999, '九千九百九十九'],
  ];
  for (const [n, want] of cases) assert.is(spoken(sayNumber(n, 'zh'), 'zh'), want, `${n}`);
});

test('sayNumber in English: "one thousand five", no "and"', () => {
  const cases: [number, string][] = [
    [0, 'zero'], [13, 'thirteen'], [40, 'forty'], [42, 'forty two'], [100, 'one hundred'], [115, 'one hundred fifteen'],
    [1005, 'one thousand five'], [2000, 'two thousand'], [2222, 'two thousand two hundred twenty two'], [9999, 'nine thousand nine hundred ninety nine'],
  ];
  for (const [n, want] of cases) assert.is(spoken(sayNumber(n, 'en'), 'en'), want, `${n}`);
});

test('every number 0..9999 in both languages uses only prompts that exist', () => {
  for (const lang of ['zh', 'en'] as const) {
    for (let n = 0; n <= 9999; n++) {
      for (const r of sayNumber(n, lang)) {
        if (!texts[r.slice('builtin:'.length)]) assert.unreachable(`${n} in ${lang} uses ${r}, which is not in builtin-prompts.json`);
      }
    }
  }
});

test('sayNumber refuses what it cannot say', () => {
  for (const n of [-1, 10000, 1.5, NaN]) assert.throws(() => sayNumber(n, 'en'), RangeError, String(n));
});

test.run();
