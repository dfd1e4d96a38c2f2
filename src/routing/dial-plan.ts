/**
 * A country's dial plan as data: an ordered table of number patterns, each
 * naming the class of the numbers it matches, and the class of service an
 * extension needs to call each class. China's table is built here with its
 * site knobs; another country is another table, never an `if` in the code.
 *
 * The same table decides when a number is complete, which lets analog phones
 * dial without waiting for the inter-digit timeout: a number is complete when
 * a rule matches it and no rule could match a longer number starting with it.
 */
import { cachedPattern } from './pattern.js';

export const CLASSES_OF_SERVICE = ['internal', 'local', 'long-distance', 'international'] as const;
/** What an extension may call; each level includes the ones before it. */
export type ClassOfService = (typeof CLASSES_OF_SERVICE)[number];

export type NumberClass =
  | 'emergency'
  | 'internal'
  | 'service'
  | 'local'
  | 'mobile'
  | 'long-distance'
  | 'international'
  | 'unknown';

export interface DialRule {
  class: Exclude<NumberClass, 'internal' | 'unknown'>;
  pattern: string;
  label: string;
}

export interface DialPlan {
  name: string;
  /** First match wins, except that emergency rules are always tried first. */
  rules: DialRule[];
  /** Class of service needed per number class; emergency needs none. */
  requiredCos: Record<Exclude<NumberClass, 'emergency'>, ClassOfService>;
}

export function cosRank(c: ClassOfService): number {
  return CLASSES_OF_SERVICE.indexOf(c);
}

export interface ChinaDialPlanOptions {
  /** The site's own area code (`0755`): 0755 + a local number counts as local. */
  localAreaCode?: string;
  /** Length of local numbers in the site's city. Most cities are 8 digits
   * now; 'both' keeps 7-digit numbers and waits for the timeout on them. */
  localDigits?: 7 | 8 | 'both';
  /** Mobiles are charged as local calls in China since 2017; sites that
   * restrict them can raise this. */
  mobileCos?: ClassOfService;
  /** Default 110 police, 119 fire, 120 ambulance, 122 traffic accidents. */
  emergency?: readonly { number: string; label: string }[];
}

export const CHINA_EMERGENCY: readonly { number: string; label: string }[] = [
  { number: '110', label: 'police 匪警' },
  { number: '119', label: 'fire 火警' },
  { number: '120', label: 'ambulance 急救' },
  { number: '122', label: 'traffic accident 交通事故' },
];

const X = (n: number) => 'X'.repeat(n);

export function chinaDialPlan(opts: ChinaDialPlanOptions = {}): DialPlan {
  const { localAreaCode, localDigits = 'both', mobileCos = 'local', emergency = CHINA_EMERGENCY } = opts;
  if (localAreaCode !== undefined && !/^0[1-9][0-9]{1,2}$/.test(localAreaCode)) {
    throw new RangeError(`area code "${localAreaCode}" is not 0 followed by 2 or 3 digits`);
  }
  const lengths = localDigits === 'both' ? [7, 8] : [localDigits];
  const rules: DialRule[] = [
    ...emergency.map((e): DialRule => ({ class: 'emergency', pattern: e.number, label: e.label })),
    { class: 'service', pattern: `_400${X(7)}`, label: '400 service number' },
    { class: 'service', pattern: `_800${X(7)}`, label: '800 toll-free number' },
    { class: 'service', pattern: `_10${X(3)}`, label: '5-digit carrier service (10000, 10010, 10086)' },
    // Classes skip the emergency prefixes so that 110/119/120/122 are complete
    // the moment they are dialed.
    { class: 'service', pattern: '_11[1-8]', label: '3-digit special service (112, 114, 117)' },
    { class: 'service', pattern: '_12[13-9]', label: '3-digit special service (121)' },
    { class: 'service', pattern: `_11[1-8]${X(2)}`, label: '5-digit public service (11185)' },
    { class: 'service', pattern: `_12[13-9]${X(2)}`, label: '5-digit public service (12315, 12345, 12306)' },
    { class: 'service', pattern: `_95${X(3)}`, label: '95 national service (95555, 95588)' },
    { class: 'service', pattern: `_95${X(4)}`, label: '95 national service, 6 digits' },
    { class: 'service', pattern: `_96${X(3)}`, label: '96 local service' },
    { class: 'service', pattern: `_96${X(4)}`, label: '96 local service, 6 digits' },
    { class: 'mobile', pattern: `_1[3-9]${X(9)}`, label: 'mobile' },
    { class: 'mobile', pattern: `_01[3-9]${X(9)}`, label: 'mobile dialed with a 0 prefix' },
    ...(localAreaCode
      ? lengths.map((n): DialRule => ({ class: 'local', pattern: `_${localAreaCode}[2-9]${X(n - 1)}`, label: `local, with own area code ${localAreaCode}` }))
      : []),
    { class: 'international', pattern: '_00[1-9].', label: 'international (00 + country code)' },
    { class: 'long-distance', pattern: `_010${X(8)}`, label: 'long distance, Beijing 010' },
    { class: 'long-distance', pattern: `_02${X(9)}`, label: 'long distance, 2-digit area code 02x' },
    { class: 'long-distance', pattern: `_0[3-9]${X(9)}`, label: 'long distance, 3-digit area code + 7 digits' },
    { class: 'long-distance', pattern: `_0[3-9]${X(10)}`, label: 'long distance, 3-digit area code + 8 digits' },
    ...lengths.map((n): DialRule => ({ class: 'local', pattern: `_[2-9]${X(n - 1)}`, label: `local, ${n} digits` })),
  ];
  return {
    name: localAreaCode ? `China (${localAreaCode})` : 'China',
    rules,
    requiredCos: {
      internal: 'internal',
      service: 'local',
      local: 'local',
      mobile: mobileCos,
      'long-distance': 'long-distance',
      international: 'international',
      // Unknown numbers are where toll fraud hides: only the widest class.
      unknown: 'international',
    },
  };
}

export const CHINA_DIAL_PLAN: DialPlan = chinaDialPlan();

export interface Classification {
  class: NumberClass;
  label: string;
  /** null for emergency numbers: always allowed. */
  requiredCos: ClassOfService | null;
}

export function classifyNumber(number: string, plan: DialPlan = CHINA_DIAL_PLAN, extensions: readonly string[] = []): Classification {
  const hit = (r: DialRule | undefined): Classification | undefined =>
    r && { class: r.class, label: r.label, requiredCos: r.class === 'emergency' ? null : plan.requiredCos[r.class] };
  const emergency = plan.rules.find((r) => r.class === 'emergency' && cachedPattern(r.pattern).matches(number));
  if (emergency) return hit(emergency)!;
  if (extensions.includes(number)) return { class: 'internal', label: 'extension', requiredCos: plan.requiredCos.internal };
  const rule = plan.rules.find((r) => cachedPattern(r.pattern).matches(number));
  return hit(rule) ?? { class: 'unknown', label: 'not in the dial plan', requiredCos: plan.requiredCos.unknown };
}

/** True when `number` is a whole number of the plan that no longer number of
 * the plan starts with: dialing can stop without a timeout. */
export function isCompleteNumber(number: string, plan: DialPlan = CHINA_DIAL_PLAN): boolean {
  let matched = false;
  for (const r of plan.rules) {
    const p = cachedPattern(r.pattern);
    if (p.canMatchMore(number)) return false;
    if (p.matches(number)) matched = true;
  }
  return matched;
}
