/**
 * /etc/dahdi/system.conf from what detect found (or what a profile lays out)
 * plus site settings, in the spirit of dahdi_genconf: one block per span,
 * channel lists compressed to ranges, then the tone zones.
 *
 * Naming reminder: our FXO ports (facing the exchange) take DAHDI FXS
 * signalling (`fxsks=`), our FXS ports (feeding phones) take `fxoks=`.
 */
import type { AnalogKind, BoardProfile, ChannelKind } from './profile.js';
import type { DetectedKind } from './proc-dahdi.js';

/** The span shape the generator needs; DetectedSpan from detect.ts fits it. */
export interface ConfSpan {
  span: number;
  type: 'analog' | 'e1' | 'unknown';
  name?: string;
  description?: string;
  /** The card certainly cancels echo itself; no software canceller needed. */
  hardwareEc?: boolean;
  channels: { channo: number; chanpos: number; kind: DetectedKind; name?: string; echoCanceller?: string | null }[];
}

export type E1Signalling = 'pri' | 'ss7' | 'r2';

export interface E1Settings {
  /** pri/ss7: CCS framing with a D-channel; r2: CAS framing, China R2 idle bits. */
  signalling: E1Signalling;
  /** Clock source priority (1 = first); 0 = never take clock from this span.
   * Default: E1 spans in order get 1, 2, 3... */
  timing?: number;
  /** Line build-out, 0..7; 0 for E1 on 120 ohm. */
  lbo: number;
  coding: 'hdb3' | 'ami';
  crc4: boolean;
  /** D-channel timeslot for pri/ss7 (16 on E1). */
  dchan: number;
  /** ABCD bits DAHDI sends on R2 channels no application holds. China: 1111 (blocked). */
  r2IdleBits: string;
}

export const SOFTWARE_ECHO_CANCELLERS = ['oslec', 'mg2', 'kb1', 'sec', 'sec2', 'jpah', 'hpec'] as const;
export type SoftwareEcho = (typeof SOFTWARE_ECHO_CANCELLERS)[number];

export interface SystemConfSettings {
  /** Default tone zone; also loaded. */
  zone?: string;
  /** Extra zones to load besides `zone`. */
  loadZones?: string[];
  /** 'auto': software canceller (oslec) on every audio channel without one on the card. */
  echoCanceller?: 'auto' | 'none' | SoftwareEcho;
  /** Start type of our FXO ports (DAHDI fxs<start>=). ks (kewlstart) detects hang-ups. */
  fxoStart?: 'ks' | 'ls' | 'gs';
  /** Start type of our FXS ports (DAHDI fxo<start>=). */
  fxsStart?: 'ks' | 'ls' | 'gs';
  /** Defaults for every E1 span. */
  e1?: Partial<E1Settings>;
  /** Per-span overrides, keyed by span number. */
  spans?: Record<number, Partial<E1Settings>>;
  /** First comment line; defaults to a "generated" notice. */
  header?: string;
}

export const E1_DEFAULTS: Readonly<E1Settings> = {
  signalling: 'pri',
  lbo: 0,
  coding: 'hdb3',
  crc4: true,
  dchan: 16,
  r2IdleBits: '1111',
};

export class SystemConfError extends Error {
  readonly code = 'bad_system_conf_settings';
  constructor(readonly problems: string[]) {
    super(`cannot generate system.conf:\n  ${problems.join('\n  ')}`);
    this.name = 'SystemConfError';
  }
}

/** 1,2,3,4,6 → "1-4,6" (sorted, duplicates dropped). */
export function compressRanges(nums: readonly number[]): string {
  const s = [...new Set(nums)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === (s[j] as number) + 1) j++;
    out.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

function checkE1(where: string, e: Partial<E1Settings>, problems: string[]): void {
  if (e.signalling !== undefined && !['pri', 'ss7', 'r2'].includes(e.signalling))
    problems.push(`${where}.signalling: must be pri, ss7 or r2, got ${JSON.stringify(e.signalling)}`);
  if (e.timing !== undefined && !(Number.isInteger(e.timing) && e.timing >= 0 && e.timing <= 255))
    problems.push(`${where}.timing: must be an integer 0..255 (0 = never clock source), got ${e.timing}`);
  if (e.lbo !== undefined && !(Number.isInteger(e.lbo) && e.lbo >= 0 && e.lbo <= 7))
    problems.push(`${where}.lbo: must be an integer 0..7, got ${e.lbo}`);
  if (e.coding !== undefined && e.coding !== 'hdb3' && e.coding !== 'ami')
    problems.push(`${where}.coding: must be hdb3 or ami, got ${JSON.stringify(e.coding)}`);
  if (e.crc4 !== undefined && typeof e.crc4 !== 'boolean') problems.push(`${where}.crc4: must be true or false`);
  if (e.dchan !== undefined && !(Number.isInteger(e.dchan) && e.dchan >= 1 && e.dchan <= 31))
    problems.push(`${where}.dchan: must be a timeslot 1..31, got ${e.dchan}`);
  if (e.r2IdleBits !== undefined && !/^[01]{4}$/.test(e.r2IdleBits))
    problems.push(`${where}.r2IdleBits: must be four ABCD bits such as "1111", got ${JSON.stringify(e.r2IdleBits)}`);
}

function checkSettings(spans: readonly ConfSpan[], s: SystemConfSettings, problems: string[]): void {
  for (const z of [s.zone ?? 'cn', ...(s.loadZones ?? [])])
    if (!/^[a-z]{2}$/.test(z)) problems.push(`zone: ${JSON.stringify(z)} is not a two-letter tone zone such as "cn"`);
  const ec = s.echoCanceller ?? 'auto';
  if (ec !== 'auto' && ec !== 'none' && !(SOFTWARE_ECHO_CANCELLERS as readonly string[]).includes(ec))
    problems.push(`echoCanceller: must be auto, none or one of ${SOFTWARE_ECHO_CANCELLERS.join(', ')}, got ${JSON.stringify(ec)}`);
  for (const [k, v] of [['fxoStart', s.fxoStart], ['fxsStart', s.fxsStart]] as const)
    if (v !== undefined && !['ks', 'ls', 'gs'].includes(v)) problems.push(`${k}: must be ks, ls or gs, got ${JSON.stringify(v)}`);
  if (s.e1) checkE1('e1', s.e1, problems);
  for (const [k, v] of Object.entries(s.spans ?? {})) {
    const sp = spans.find((x) => x.span === Number(k));
    if (!sp) problems.push(`spans.${k}: there is no span ${k}`);
    else if (sp.type !== 'e1') problems.push(`spans.${k}: span ${k} is ${sp.type}, E1 settings do not apply`);
    checkE1(`spans.${k}`, v, problems);
  }
  const seenSpan = new Set<number>();
  const seenChan = new Map<number, number>();
  for (const sp of spans) {
    if (seenSpan.has(sp.span)) problems.push(`span ${sp.span} appears twice`);
    seenSpan.add(sp.span);
    for (const c of sp.channels) {
      const other = seenChan.get(c.channo);
      if (other !== undefined) problems.push(`channel ${c.channo} is in span ${other} and span ${sp.span}`);
      seenChan.set(c.channo, sp.span);
    }
  }
}

const chanLabel = (sp: ConfSpan, c: ConfSpan['channels'][number]) =>
  `span ${sp.span} channel ${c.channo}${c.name ? ` (${c.name})` : ''}`;

/** A channel needs a software canceller unless the card does it. */
function needsSoftwareEc(sp: ConfSpan, c: ConfSpan['channels'][number]): boolean {
  if (sp.hardwareEc) return false;
  const attached = c.echoCanceller?.toLowerCase();
  return !attached || (SOFTWARE_ECHO_CANCELLERS as readonly string[]).includes(attached);
}

export function generateSystemConf(spans: readonly ConfSpan[], settings: SystemConfSettings = {}): string {
  const problems: string[] = [];
  checkSettings(spans, settings, problems);
  if (problems.length) throw new SystemConfError(problems);

  const zone = settings.zone ?? 'cn';
  const ecSetting = settings.echoCanceller ?? 'auto';
  const ecName = ecSetting === 'auto' ? 'oslec' : ecSetting;
  const out: string[] = [
    `# ${settings.header ?? 'Generated by hotline (src/boards/system-conf.ts); changes here are overwritten.'}`,
    '# Applied by dahdi_cfg. Our FXO ports use fxs* signalling, our FXS ports fxo*.',
  ];
  let nextTiming = 1;

  for (const sp of [...spans].sort((a, b) => a.span - b.span)) {
    out.push('', `# Span ${sp.span}: ${sp.name ?? ''}${sp.description ? ` "${sp.description}"` : ''}`.trimEnd());
    const audio: number[] = [];
    if (sp.type === 'analog') {
      const fxo: number[] = [], fxs: number[] = [];
      for (const c of sp.channels) {
        if (c.kind === 'FXO') fxo.push(c.channo);
        else if (c.kind === 'FXS') fxs.push(c.channo);
        else if (c.kind === 'unknown') problems.push(`${chanLabel(sp, c)}: port kind unknown; configure DAHDI or name the module`);
        else if (c.kind !== 'none') problems.push(`${chanLabel(sp, c)}: ${c.kind} channel on an analog span`);
      }
      if (fxo.length) out.push(`fxs${settings.fxoStart ?? 'ks'}=${compressRanges(fxo)}`);
      if (fxs.length) out.push(`fxo${settings.fxsStart ?? 'ks'}=${compressRanges(fxs)}`);
      if (!fxo.length && !fxs.length) out.push('# no ports with a module');
      for (const c of sp.channels) if ((c.kind === 'FXO' || c.kind === 'FXS') && needsSoftwareEc(sp, c)) audio.push(c.channo);
    } else if (sp.type === 'e1') {
      const e: E1Settings = { ...E1_DEFAULTS, ...settings.e1, ...settings.spans?.[sp.span] };
      const timing = e.timing ?? nextTiming++;
      if (sp.channels.length !== 31) problems.push(`span ${sp.span}: an E1 span has 31 channels, this one lists ${sp.channels.length}`);
      const fixedD = sp.channels.find((c) => c.kind === 'DCHAN');
      const dpos = fixedD?.chanpos ?? e.dchan;
      const dchan = sp.channels.find((c) => c.chanpos === dpos);
      const bearers = sp.channels.filter((c) => c !== dchan).map((c) => c.channo);
      const framing = e.signalling === 'r2' ? 'cas' : 'ccs';
      out.push(`span=${sp.span},${timing},${e.lbo},${framing},${e.coding}${e.crc4 ? ',crc4' : ''}`);
      if (e.signalling === 'r2') {
        if (fixedD) problems.push(`span ${sp.span}: channel ${fixedD.channo} is a D-channel; R2 needs timeslot 16 for CAS`);
        // Timeslot 16 carries the CAS bits themselves; it is no channel of ours.
        const cas = sp.channels.filter((c) => c.chanpos !== 16).map((c) => c.channo);
        out.push(`cas=${compressRanges(cas)}:${e.r2IdleBits}`, `alaw=${compressRanges(cas)}`);
        audio.push(...sp.channels.filter((c) => c.chanpos !== 16 && needsSoftwareEc(sp, c)).map((c) => c.channo));
      } else {
        if (!dchan) problems.push(`span ${sp.span}: no channel at D-channel timeslot ${dpos}`);
        out.push(`bchan=${compressRanges(bearers)}`);
        if (dchan) out.push(`dchan=${dchan.channo}`);
        out.push(`alaw=${compressRanges(bearers)}`);
        audio.push(...sp.channels.filter((c) => c !== dchan && needsSoftwareEc(sp, c)).map((c) => c.channo));
      }
    } else {
      problems.push(`span ${sp.span}: type unknown (neither analog nor E1); cannot configure it`);
    }
    if (ecName !== 'none' && audio.length) out.push(`echocanceller=${ecName},${compressRanges(audio)}`);
  }
  if (problems.length) throw new SystemConfError(problems);

  const zones = [...new Set([zone, ...(settings.loadZones ?? [])])];
  out.push('', '# Global data');
  for (const z of zones) out.push(`loadzone=${z}`);
  out.push(`defaultzone=${zone}`);
  return out.join('\n') + '\n';
}

export interface ProfileLayoutOptions {
  firstSpan?: number;
  firstChannel?: number;
  /** Kinds for modular analog ports, by global channel number. */
  portKinds?: Record<number, AnalogKind>;
}

/** Spans and channels as DAHDI would number a board laid out by its profile:
 * for simulated boards, and for planning a config before the card is in. */
export function spansFromProfile(profile: BoardProfile, opts: ProfileLayoutOptions = {}): ConfSpan[] {
  let span = opts.firstSpan ?? 1;
  let channo = opts.firstChannel ?? 1;
  const ec = profile.echoCanceller;
  return profile.spans.map((layout, index) => {
    const num = span++;
    const channels: ConfSpan['channels'] = [];
    const n = layout.type === 'analog' ? layout.ports : layout.timeslots;
    for (let pos = 1; pos <= n; pos++, channo++) {
      let kind: ChannelKind | 'unknown';
      if (layout.type === 'e1') kind = layout.dchan === pos ? 'DCHAN' : 'E1';
      else if (layout.kinds === 'modular') kind = opts.portKinds?.[channo] ?? 'unknown';
      else kind = layout.kinds[pos - 1] ?? 'unknown';
      channels.push({ channo, chanpos: pos, kind });
    }
    return {
      span: num,
      type: layout.type,
      name: profile.family === 'sim' ? `SIM/${num}` : undefined,
      description: `${profile.name} span ${index + 1}`,
      hardwareEc: ec.type === 'hardware' && !ec.optional,
      channels,
    };
  });
}

/** The E1 part of system.conf from the panel's span settings (configuration
 * kind `span`): signalling (R2 is CAS framing, SS7 CCS with the link on
 * timeslot 16), CRC-4, line code, and the clock: a span set to take its
 * timing from the line gets the next priority, an internal one 0 (never). */
export function e1SettingsFromSpanDocs(docs: readonly { span: number; signalling: 'r2' | 'ss7'; crc4: boolean; lineCode: 'hdb3' | 'ami'; clock: 'line' | 'internal' }[]): Record<number, Partial<E1Settings>> {
  const out: Record<number, Partial<E1Settings>> = {};
  for (const d of docs) {
    out[d.span] = { signalling: d.signalling, crc4: d.crc4, coding: d.lineCode, ...(d.clock === 'internal' ? { timing: 0 } : {}) };
  }
  return out;
}
