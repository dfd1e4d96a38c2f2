// E1 span settings, one document per span (id = the span number): the line
// (CRC-4 multiframe, line code, where the clock comes from) and its
// signalling: MFC/R2 on CAS bits, or SS7 with the signalling link in
// timeslot 16. Signalling knobs apply hot to the span's circuits; the line
// settings and the signalling type are the board's (DAHDI system.conf, the
// sim's span kinds) and apply when the engine restarts.
import { z } from 'zod';

export const SS7_VARIANTS = ['itu', 'china'] as const;
export type Ss7Variant = typeof SS7_VARIANTS[number];

// Point codes as operators write them: a number, or fields joined by dashes:
// ITU 14-bit codes as zone-area-point 3-8-3 bits, China 24-bit codes as
// three octets 8-8-8.
const FIELD_BITS: Record<Ss7Variant, number[]> = { itu: [3, 8, 3], china: [8, 8, 8] };
const PC_BITS: Record<Ss7Variant, number> = { itu: 14, china: 24 };

export function pointCodeValue(pc: string | number, variant: Ss7Variant): number | string {
  const max = 2 ** PC_BITS[variant] - 1;
  if (typeof pc === 'number') return Number.isInteger(pc) && pc >= 0 && pc <= max ? pc : `a ${variant} point code is 0..${max}`;
  if (/^[0-9]+$/.test(pc)) return pointCodeValue(Number(pc), variant);
  const parts = pc.split('-');
  const bits = FIELD_BITS[variant];
  if (parts.length !== 3 || parts.some((p) => !/^[0-9]{1,3}$/.test(p))) {
    return `a ${variant} point code is a number or ${bits.join('-')} bit fields written like ${variant === 'itu' ? '2-100-1' : '10-20-30'}`;
  }
  let v = 0;
  for (const [i, p] of parts.entries()) {
    const n = Number(p), b = bits[i]!;
    if (n >= 2 ** b) return `field ${i + 1} of a ${variant} point code is 0..${2 ** b - 1} (${b} bits)`;
    v = v * 2 ** b + n;
  }
  return v;
}

export function pointCodeText(v: number, variant: Ss7Variant): string {
  const bits = FIELD_BITS[variant];
  const out: number[] = [];
  let rest = v;
  for (const b of [...bits].reverse()) { out.unshift(rest % 2 ** b); rest = Math.floor(rest / 2 ** b); }
  return out.join('-');
}

const pointCode = z.union([z.number().int(), z.string().max(20)]);

// Every R2 knob applies hot (setR2 on each timeslot); the variant waits for a
// timeslot's call to end, DTMF dialing and detection for the next seizure.
export const r2SpanSchema = z.object({
  variant: z.enum(['china', 'itu']).default('china').describe('china: China No.1 (CD=11, A-6 asks the category, metering pulses); itu: Q.421/Q.441 (applies to each timeslot when idle)'),
  dnisDigits: z.number().int().min(0).max(32).default(0).describe('max DNIS: digits of the called number to collect; 0: until the exchange ends it (end signal or silence)'),
  askAni: z.enum(['after-dnis', 'first', 'never']).default('after-dnis').describe('when to ask the caller\'s number on incoming calls: after the called number, after its first digit (ANI first), or never'),
  aniDigits: z.number().int().min(0).max(32).default(0).describe('max ANI: digits of the caller\'s number to collect; 0: until the exchange ends it'),
  acceptAfterMs: z.number().int().min(0).max(10000).default(0).describe('accept an offered call by itself after this long when the supervisor has not decided; 0: never'),
  immediateAccept: z.boolean().default(false).describe('send group B accept (with charge) as soon as the address is in, without waiting for the supervisor; the supervisor then only answers or clears'),
  skipCategory: z.boolean().default(false).describe('never ask the calling party\'s category; china and itu reach the caller\'s number only through that request, so no ANI either'),
  doubleAnswer: z.boolean().default(false).describe('answer, clear back briefly, answer again (the exchange then refuses a collect call); timing is the variant\'s'),
  dtmfDialing: z.boolean().default(false).describe('outgoing calls send the called number by DTMF after the seize acknowledgement, without MF (no caller number, no group B)'),
  dtmfDetection: z.boolean().default(false).describe('incoming calls may send the called number by DTMF (ended by 3 s without a digit); an MF call is still taken as MFC/R2'),
}).strict();
export type R2SpanSettings = z.infer<typeof r2SpanSchema>;

export const ss7SpanSchema = z.object({
  variant: z.enum(SS7_VARIANTS).default('china').describe('itu: 14-bit point codes; china: 24-bit point codes (YDN 038)'),
  opc: pointCode.describe('our point code (a number, or 3-8-3 / 8-8-8 fields)'),
  dpc: pointCode.describe('the adjacent exchange\'s point code'),
  networkIndicator: z.enum(['international', 'international-spare', 'national', 'national-spare']).default('national'),
  slc: z.number().int().min(0).max(15).default(0).describe('signalling link code of the link in timeslot 16'),
  cicBase: z.number().int().min(0).max(4064).default(0).describe('the CIC of timeslot N is cicBase + N (timeslot 16 carries the link and has no circuit)'),
}).strict().superRefine((s, ctx) => {
  for (const k of ['opc', 'dpc'] as const) {
    const v = pointCodeValue(s[k], s.variant);
    if (typeof v === 'string') ctx.addIssue({ code: 'custom', path: [k], message: v });
  }
  const o = pointCodeValue(s.opc, s.variant), d = pointCodeValue(s.dpc, s.variant);
  if (typeof o === 'number' && o === d) ctx.addIssue({ code: 'custom', path: ['dpc'], message: 'the adjacent point code must differ from ours' });
});
export type Ss7SpanSettings = z.infer<typeof ss7SpanSchema>;

export const spanSchema = z.object({
  span: z.number().int().min(1).max(64).describe('the board\'s span number'),
  name: z.string().max(40).default(''),
  signalling: z.enum(['r2', 'ss7']).describe('MFC/R2 (China No.1) on CAS bits, or SS7 ISUP with the link in timeslot 16 (applies with "Apply now" / e1/span/apply, which ends the calls on this span, or at engine restart)'),
  crc4: z.boolean().default(true).describe('CRC-4 multiframe (applies at engine restart)'),
  lineCode: z.enum(['hdb3', 'ami']).default('hdb3').describe('applies at engine restart'),
  clock: z.enum(['line', 'internal']).default('line').describe('line: take timing from this span (the exchange is master); internal: the box is master (applies at engine restart)'),
  r2: r2SpanSchema.optional().describe('R2 settings for every timeslot of the span'),
  ss7: ss7SpanSchema.optional().describe('SS7 link and circuit settings'),
}).strict().superRefine((s, ctx) => {
  if (s.signalling === 'ss7' && !s.ss7) ctx.addIssue({ code: 'custom', path: ['ss7'], message: 'an SS7 span needs its point codes (ss7.opc, ss7.dpc)' });
  if (s.signalling === 'r2' && s.ss7) ctx.addIssue({ code: 'custom', path: ['ss7'], message: 'an R2 span has no SS7 settings (set signalling to ss7, or remove them)' });
  if (s.signalling === 'ss7' && s.r2) ctx.addIssue({ code: 'custom', path: ['r2'], message: 'an SS7 span has no R2 settings (set signalling to r2, or remove them)' });
});
export type SpanSettings = z.infer<typeof spanSchema>;

const NI = { international: 0, 'international-spare': 1, national: 2, 'national-spare': 3 } as const;

// An SS7 span's link as numbers (what the engine's setSs7 takes): point codes
// resolved from either notation, the network indicator as its SIO value.
// Only for settings the schema accepted.
export function ss7LinkValues(s: Ss7SpanSettings): { variant: Ss7Variant; opc: number; dpc: number; ni: number; slc: number; cicBase: number } {
  return { variant: s.variant, opc: pointCodeValue(s.opc, s.variant) as number, dpc: pointCodeValue(s.dpc, s.variant) as number, ni: NI[s.networkIndicator], slc: s.slc, cicBase: s.cicBase };
}

// The CIC of an SS7 span's timeslot, and back (undefined: timeslot 16 or out of range).
export function cicOfTimeslot(s: Ss7SpanSettings, ts: number): number | undefined {
  return ts >= 1 && ts <= 31 && ts !== 16 ? s.cicBase + ts : undefined;
}
export function timeslotOfCic(s: Ss7SpanSettings, cic: number): number | undefined {
  const ts = cic - s.cicBase;
  return ts >= 1 && ts <= 31 && ts !== 16 ? ts : undefined;
}
