/**
 * Board profile schema, version 1: what one telephony card (or one simulated
 * board) looks like, as data. One JSON file per card in `board-profiles/`,
 * named `<id>.json`.
 *
 * A profile says how to recognise the card (PCI ids as dahdi-tools' PCI table
 * keys them, and the `type` DAHDI writes in sysfs), which kernel module drives
 * it, how its ports are laid out in spans, and whether echo cancelling is on
 * the card or must be done by DAHDI in software. It holds no site settings:
 * timing, signalling and channel numbers belong to the system.conf settings.
 *
 * Port kinds are named for our side of the line: an FXO port faces the
 * exchange (DAHDI signals it with `fxs*`), an FXS port feeds a phone (`fxo*`).
 */
import { z } from 'zod';

export type ChannelKind = 'FXO' | 'FXS' | 'E1' | 'DCHAN';
export type AnalogKind = 'FXO' | 'FXS';

/** A PCI id as dahdi-tools matches it: vendor:device, optionally narrowed by
 * subsystem vendor and then subsystem device. Four lowercase hex digits each. */
export interface PciId {
  vendor: string;
  device: string;
  subvendor?: string;
  subdevice?: string;
  /** What the card calls itself for this id ("Wildcard TDM410P"). */
  description: string;
}

/** One analog span: `ports` channels. `kinds` is either a fixed kind per port,
 * or 'modular' when each port takes a plug-in FXS or FXO module (learned at
 * detect time from DAHDI). */
export interface AnalogSpanLayout {
  type: 'analog';
  ports: number;
  kinds: 'modular' | AnalogKind[];
}

/** One E1 span of 31 timeslots. `dchan` fixes a D-channel timeslot where the
 * board itself dictates one (simulated boards); on real cards it is a setting. */
export interface E1SpanLayout {
  type: 'e1';
  timeslots: 31;
  dchan?: number;
  /** Simulated boards: the signalling the sim presents (r2: CAS bits and MF on every timeslot). */
  signalling?: 'r2';
  /** Simulated SS7 spans (dchan 16): the far end's exchange. libss7 speaks ITU and keeps
   * real time only; `own` is our stack in the exchange role (China or ITU, any speed). */
  ss7?: { far: 'libss7' | 'own'; variant: 'itu' | 'china'; boxPc: number; farPc: number; ni: number; cicFirst: number; answerMs: number };
}

export type SpanLayout = AnalogSpanLayout | E1SpanLayout;

/** `hardware`: on-card canceller (Digium VPM, Octasic); `optional` when it is a
 * daughter module that may be absent. `software`: DAHDI's echocan (oslec). */
export type EchoCanceller =
  | { type: 'hardware'; module: string; optional: boolean }
  | { type: 'software' };

export interface BoardProfile {
  schema: 1;
  /** kebab-case; equals the file name without `.json`. */
  id: string;
  name: string;
  vendor: string;
  /** 'sim' boards are presented by the engine's sim driver, not by DAHDI. */
  family: 'analog' | 'e1' | 'sim';
  /** Kernel module (as dahdi-tools names it); null for sim boards. */
  driver: string | null;
  /** True when the module ships in Debian bookworm's dahdi-dkms 2.11.1. */
  inBookworm: boolean;
  pci: PciId[];
  /** Values of /sys/bus/dahdi_devices/devices/<dev>/type that identify the card
   * when no PCI id is readable. */
  deviceTypes: string[];
  spans: SpanLayout[];
  echoCanceller: EchoCanceller;
  /** Defaults for boards that impose them (sim); real cards follow settings. */
  law?: 'alaw' | 'mulaw';
  zone?: string;
  notes?: string;
}

const hex4 = z.string().regex(/^[0-9a-f]{4}$/, 'must be 4 lowercase hex digits, e.g. "d161"');

const pciIdSchema = z
  .object({
    vendor: hex4,
    device: hex4,
    subvendor: hex4.optional(),
    subdevice: hex4.optional(),
    description: z.string().min(1),
  })
  .strict()
  .refine((p) => p.subdevice === undefined || p.subvendor !== undefined, {
    message: 'subdevice needs subvendor (dahdi-tools keys are vendor:device/subvendor[:subdevice])',
    path: ['subdevice'],
  });

const analogSpanSchema = z
  .object({
    type: z.literal('analog'),
    ports: z.number().int().min(1).max(24),
    kinds: z.union([z.literal('modular'), z.array(z.enum(['FXO', 'FXS'])).min(1)]),
  })
  .strict()
  .refine((s) => s.kinds === 'modular' || s.kinds.length === s.ports, {
    message: 'kinds must list exactly one kind per port',
    path: ['kinds'],
  });

const e1SpanSchema = z
  .object({
    type: z.literal('e1'),
    timeslots: z.literal(31),
    dchan: z.number().int().min(1).max(31).optional(),
    signalling: z.literal('r2').optional(),
    ss7: z.object({
      far: z.enum(['libss7', 'own']),
      variant: z.enum(['itu', 'china']),
      boxPc: z.number().int().min(0).max(0xffffff),
      farPc: z.number().int().min(0).max(0xffffff),
      ni: z.number().int().min(0).max(3),
      cicFirst: z.number().int().min(0).max(4064),
      answerMs: z.number().int().min(0).max(600000),
    }).strict().optional(),
  })
  .strict()
  .refine((s) => !s.ss7 || s.dchan === 16, { message: 'SS7 far-end settings need the D-channel on timeslot 16', path: ['ss7'] })
  .refine((s) => !s.ss7 || s.ss7.far !== 'libss7' || s.ss7.variant === 'itu', { message: 'libss7 speaks ITU only', path: ['ss7', 'variant'] });

const echoSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hardware'), module: z.string().min(1), optional: z.boolean() }).strict(),
  z.object({ type: z.literal('software') }).strict(),
]);

export const boardProfileSchema: z.ZodType<BoardProfile> = z
  .object({
    schema: z.literal(1),
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
    name: z.string().min(1),
    vendor: z.string().min(1),
    family: z.enum(['analog', 'e1', 'sim']),
    driver: z.string().regex(/^[a-z0-9_]+$/, 'must be a kernel module name').nullable(),
    inBookworm: z.boolean(),
    pci: z.array(pciIdSchema),
    deviceTypes: z.array(z.string().min(1)),
    spans: z.array(z.union([analogSpanSchema, e1SpanSchema])).min(1),
    echoCanceller: echoSchema,
    law: z.enum(['alaw', 'mulaw']).optional(),
    zone: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter tone zone such as "cn"').optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.family === 'sim' && (p.driver !== null || p.pci.length > 0))
      ctx.addIssue({ code: 'custom', path: ['driver'], message: 'sim boards have no driver and no PCI ids' });
    if (p.family !== 'sim' && p.driver === null)
      ctx.addIssue({ code: 'custom', path: ['driver'], message: 'real boards name their kernel module' });
    if (p.family !== 'sim' && p.pci.length === 0 && p.deviceTypes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['pci'], message: 'a real board needs PCI ids or deviceTypes to be detected' });
    const want = p.family === 'e1' ? 'e1' : p.family === 'analog' ? 'analog' : undefined;
    p.spans.forEach((s, i) => {
      if (want && s.type !== want)
        ctx.addIssue({ code: 'custom', path: ['spans', i, 'type'], message: `a ${p.family} board has only ${want} spans` });
    });
  });

/** A profile file failed validation; `problems` lists every `field: reason`. */
export class ProfileError extends Error {
  readonly code = 'bad_board_profile';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid board profile:\n  ${problems.join('\n  ')}`);
    this.name = 'ProfileError';
  }
}

function fieldPath(path: (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

/** Checks parsed JSON against schema 1. `file` names the source in errors;
 * when it ends in `<id>.json` the id must match it. */
export function validateProfile(data: unknown, file: string): BoardProfile {
  const r = boardProfileSchema.safeParse(data);
  if (!r.success) {
    throw new ProfileError(
      file,
      r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`),
    );
  }
  const base = file.split(/[\\/]/).pop() ?? file;
  if (base.endsWith('.json') && base !== `${r.data.id}.json`)
    throw new ProfileError(file, [`id: "${r.data.id}" does not match the file name ${base}`]);
  return r.data;
}

/** Channels a span occupies in DAHDI numbering (analog: one per port). */
export function spanChannelCount(s: SpanLayout): number {
  return s.type === 'analog' ? s.ports : s.timeslots;
}
