/**
 * Numbers as lists of builtin prompts, to be played back to back.
 *
 * Digits (`sayDigits`: phone, extension and parking numbers) use `digit_0`..
 * `digit_9`. They are separate from the counting words because Mandarin reads
 * a 1 in a number string as 幺 (yāo), never as 一 (yī) as in counting.
 *
 * Quantities (`sayNumber`, 0..9999) use:
 *   n_0..n_19   zero..nineteen / 零 一 … 九, 十 十一 … 十九
 *   n_20..n_90  twenty..ninety / 二十 … 九十
 *   n_100       hundred / 百
 *   n_1000      thousand / 千
 *   n_liang     (Mandarin only) 两, for a 2 before 千, and before 百 when it leads
 * English: 1005 "one thousand five", 115 "one hundred fifteen" (no "and").
 * Mandarin: 1005 一千零五, 1050 一千零五十, 115 一百一十五, 2200 两千二百, 12 十二,
 * one 零 for any run of inner zeros, trailing zeros silent.
 */
import type { IvrLanguage } from '../ivr/definition.js';

const ref = (name: string) => `builtin:${name}`;

/** Each digit of `number` as `builtin:digit_N`. Spaces, dashes, dots, brackets and
 * a leading + are skipped (a number as written); anything else is an error. */
export function sayDigits(number: string | number, lang: IvrLanguage): string[] {
  void lang; // the same prompt names in every language; the library resolves them
  const s = typeof number === 'number' ? integerString(number) : number;
  const out: string[] = [];
  for (const [i, c] of [...s].entries()) {
    if (c >= '0' && c <= '9') out.push(ref(`digit_${c}`));
    else if (!(' -.()'.includes(c) || (c === '+' && i === 0))) throw new RangeError(`sayDigits: "${s}" holds "${c}", not a digit`);
  }
  return out;
}

/** `n` (an integer 0..9999) as counting words. */
export function sayNumber(n: number, lang: IvrLanguage): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`sayNumber: ${n} is not an integer in 0..9999`);
  return (lang === 'zh' ? mandarin(n) : english(n)).map(ref);
}

function english(n: number): string[] {
  if (n === 0) return ['n_0'];
  const out: string[] = [];
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor(n / 100) % 10;
  const rest = n % 100;
  if (thousands) out.push(`n_${thousands}`, 'n_1000');
  if (hundreds) out.push(`n_${hundreds}`, 'n_100');
  if (rest >= 20) {
    out.push(`n_${rest - (rest % 10)}`);
    if (rest % 10) out.push(`n_${rest % 10}`);
  } else if (rest) {
    out.push(`n_${rest}`);
  }
  return out;
}

function mandarin(n: number): string[] {
  if (n < 20) return [`n_${n}`];
  const digits = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  const out: string[] = [];
  let started = false;
  let zero = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      zero ||= started;
      return;
    }
    if (zero) out.push('n_0');
    zero = false;
    if (i === 0) out.push(d === 2 ? 'n_liang' : `n_${d}`, 'n_1000');
    else if (i === 1) out.push(d === 2 && !started ? 'n_liang' : `n_${d}`, 'n_100');
    // 一十 inside a larger number (一百一十五); 十五 alone is handled above.
    else if (i === 2) out.push(...(d === 1 ? ['n_1', 'n_10'] : [`n_${d * 10}`]));
    else out.push(`n_${d}`);
    started = true;
  });
  return out;
}

function integerString(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`sayDigits: ${n} is not a non-negative integer`);
  return String(n);
}
