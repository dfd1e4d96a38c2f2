// Reading a China phone number: normalising +86 / 0086 / 86 and stray
// separators to the national form, then telling mobile (with its carrier),
// fixed line (with its city), service and special numbers apart. A number
// from a line is hostile input: anything that is not digits (after the usual
// separators) is not interpreted at all.
import { AREA_CODES, CARRIERS, MOBILE_PREFIXES, SPECIAL_NUMBERS, type AreaCode } from './china-regions.js';

export type Region =
  | { type: 'mobile'; prefix: string; carrier: string; carrierZh: string }
  | ({ type: 'fixed'; areaCode: string } & AreaCode)
  | { type: 'fixed'; areaCode: string; city: null }
  | { type: 'local' }
  | { type: 'service'; what: string }
  | { type: 'special'; what: string }
  | { type: 'international'; number: string };

// The national form used to match numbers: "13912345678", "02161234567",
// "61234567"; "+<digits>" for numbers abroad; null when it is not a number.
export function normalizeNumber(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const s = raw.replace(/[\s\-().\u00a0]/g, '');
  if (!/^\+?[0-9]{1,24}$/.test(s)) return null;
  let national: string;
  if (s.startsWith('+86')) national = s.slice(3);
  else if (s.startsWith('0086')) national = s.slice(4);
  else if (s.startsWith('+')) return s;
  else if (s.startsWith('00')) return `+${s.slice(2)}`;
  else if (/^861[3-9][0-9]{9}$/.test(s)) return s.slice(2);
  else return /^01[3-9][0-9]{9}$/.test(s) ? s.slice(1) : s;   // a mobile dialled with the long-distance 0
  if (!national) return null;
  // After the country code: a mobile as is, a fixed line gets its trunk prefix back.
  return /^1[3-9][0-9]{9}$/.test(national) ? national : national.startsWith('0') ? national : `0${national}`;
}

export function chinaRegion(raw: string): Region | null {
  const n = normalizeNumber(raw);
  if (!n) return null;
  if (n.startsWith('+')) return { type: 'international', number: n };
  if (/^1[3-9][0-9]{9}$/.test(n)) {
    const prefix = n.slice(0, 3);
    const c = CARRIERS[MOBILE_PREFIXES[prefix] ?? 'mvno'];
    return { type: 'mobile', prefix, carrier: MOBILE_PREFIXES[prefix] ? c.en : 'unknown carrier', carrierZh: MOBILE_PREFIXES[prefix] ? c.zh : '未知运营商' };
  }
  if (SPECIAL_NUMBERS[n]) return { type: 'special', what: SPECIAL_NUMBERS[n]! };
  if (/^(400|800)[0-9]{7}$/.test(n)) return { type: 'service', what: `${n.slice(0, 3)} nationwide service number` };
  if (/^9[56][0-9]{3,6}$/.test(n)) return { type: 'service', what: 'nationwide service number' };
  if (n.startsWith('0') && n.length >= 10 && n.length <= 12) {
    for (const len of [3, 4]) {
      const code = n.slice(0, len);
      const area = AREA_CODES[code];
      if (area) return { type: 'fixed', areaCode: code, ...area };
    }
    // A real area code we have no row for: 02x is taken above, the rest are four digits.
    return { type: 'fixed', areaCode: n.slice(0, 4), city: null };
  }
  if (/^[2-8][0-9]{6,7}$/.test(n)) return { type: 'local' };
  return null;
}

// The forms one number may take in a call record (caller ID arrives in any of them).
export function numberVariants(norm: string): string[] {
  if (norm.startsWith('+')) return [norm, `00${norm.slice(1)}`];
  const out = new Set([norm]);
  const bare = norm.startsWith('0') ? norm.slice(1) : norm;
  if (/^1[3-9][0-9]{9}$/.test(norm) || norm.startsWith('0')) {
    for (const p of ['+86', '0086', '86']) out.add(`${p}${bare}`);
    if (!norm.startsWith('0')) out.add(`0${norm}`);
  }
  return [...out];
}
