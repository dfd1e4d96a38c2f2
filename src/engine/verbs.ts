// Engine verbs: the name a client sends, the arguments it may carry (zod),
// and how they become a native command. Validation here gives every bad
// request a clear error that names the field; the native side checks state.
import { z } from 'zod';

export const CID_STANDARDS = { none: 0, bell202: 1, v23: 2, dtmf: 3, auto: 4 } as const;
export const CID_WHEN = { 'after-first-ring': 0, 'before-ring': 1, polarity: 2 } as const;
export const DISCONNECT = { polarity: 1, loop: 2, busy: 4, congestion: 8 } as const;
export const TONES = { dial: 0, busy: 1, ringback: 2, congestion: 3, callwait: 4, dialrecall: 5, record: 6, info: 7, stutter: 10 } as const;
export const OUTCOMES = { answer: 0, busy: 1, congestion: 2, ring: 3, unallocated: 4 } as const;
// MFC/R2: when the backward side asks for the caller's number (ANI).
export const R2_ANI = { never: 0, 'after-dnis': 1, first: 2 } as const;
export const R2_VARIANTS = ['china', 'itu'] as const;
export const SS7_VARIANTS = ['itu', 'china'] as const;
export const R2_REJECT = ['busy', 'congestion', 'unallocated', 'out-of-order'] as const;
// MFC/R2 on/off knobs, as the engine's option bits (hl/r2.h HL_R2_OPT_*).
export const R2_OPTS = { skipCategory: 1, immediateAccept: 2, doubleAnswer: 4, dtmfDialing: 8, dtmfDetection: 16 } as const;
type R2Opts = { [K in keyof typeof R2_OPTS]?: boolean | undefined };
// The knobs given become i5 (their values) and i6 (which are given); the rest keep.
export function r2OptBits(a: R2Opts): { i5: number; i6: number } {
  let i5 = 0, i6 = 0;
  for (const [k, bit] of Object.entries(R2_OPTS) as [keyof typeof R2_OPTS, number][]) {
    if (a[k] === undefined) continue;
    i6 |= bit;
    if (a[k]) i5 |= bit;
  }
  return { i5, i6 };
}
const r2OptFields = {
  skipCategory: z.boolean().optional(),
  immediateAccept: z.boolean().optional(),
  doubleAnswer: z.boolean().optional(),
  dtmfDialing: z.boolean().optional(),
  dtmfDetection: z.boolean().optional(),
};
export const ALARMS = { yellow: 4, red: 8, blue: 16, los: 1 << 8, lfa: 1 << 9 } as const;
const TAP = { listen: 1, whisper: 2, barge: 3 } as const;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const digits = z.string().regex(/^[0-9*#ABCD]{1,32}$/, 'digits are 0-9 * # A-D, 1 to 32 of them');
const number = z.string().regex(/^[0-9]{0,20}$/, 'a number is up to 20 digits');
// A caller-ID name travels in an MDMF field of at most 20 bytes.
const cidName = z.string().max(20).refine((s) => Buffer.byteLength(s) <= 20, 'name is at most 20 bytes');

export interface NativeCmd {
  op: number;
  chan?: number;
  chan2?: number;
  id?: number;
  i1?: number;
  i2?: number;
  i3?: number;
  i4?: number;
  i5?: number;
  i6?: number;
  f1?: number;
  f2?: number;
  s1?: string;
  s2?: string;
}

export interface Verb<S extends z.ZodTypeAny = z.ZodTypeAny> {
  op: string;                 // native op name
  needsChan: boolean;
  schema: S;
  build(args: z.infer<S>): Omit<NativeCmd, 'op' | 'chan' | 'id'>;
}

function verb<S extends z.ZodTypeAny>(v: Verb<S>): Verb<S> {
  return v;
}
const none = z.object({}).strict();

export const verbs: Record<string, Verb> = {
  answer: verb({ op: 'answer', needsChan: true, schema: none, build: () => ({}) }),
  hangup: verb({ op: 'hangup', needsChan: true, schema: none, build: () => ({}) }),
  stopPlay: verb({ op: 'stopPlay', needsChan: true, schema: none, build: () => ({}) }),
  tone: verb({
    op: 'tone', needsChan: true,
    schema: z.object({ tone: z.enum(keys(TONES)) }).strict(),
    build: (a) => ({ i1: TONES[a.tone] }),
  }),
  stopTone: verb({ op: 'stopTone', needsChan: true, schema: none, build: () => ({}) }),
  recordPause: verb({ op: 'recordPause', needsChan: true, schema: none, build: () => ({}) }),
  recordResume: verb({ op: 'recordResume', needsChan: true, schema: none, build: () => ({}) }),
  recordStop: verb({ op: 'recordStop', needsChan: true, schema: none, build: () => ({}) }),
  bridge: verb({
    op: 'bridge', needsChan: true,
    schema: z.object({ peer: z.number().int().positive() }).strict(),
    build: (a) => ({ chan2: a.peer }),
  }),
  unbridge: verb({ op: 'unbridge', needsChan: true, schema: none, build: () => ({}) }),
  confJoin: verb({
    op: 'confJoin', needsChan: true,
    schema: z.object({ conference: z.number().int().min(1).max(63), muted: z.boolean().default(false) }).strict(),
    build: (a) => ({ i1: a.conference, i2: a.muted ? 1 : 0 }),
  }),
  confLeave: verb({ op: 'confLeave', needsChan: true, schema: none, build: () => ({}) }),
  confMute: verb({
    op: 'confMute', needsChan: true,
    schema: z.object({ muted: z.boolean() }).strict(),
    build: (a) => ({ i2: a.muted ? 1 : 0 }),
  }),
  tap: verb({
    op: 'tap', needsChan: true,
    schema: z.object({ target: z.number().int().positive(), mode: z.enum(keys(TAP)) }).strict(),
    build: (a) => ({ chan2: a.target, i1: TAP[a.mode] }),
  }),
  untap: verb({ op: 'untap', needsChan: true, schema: none, build: () => ({}) }),
  gain: verb({
    op: 'gain', needsChan: true,
    schema: z.object({ rxDb: z.number().min(-24).max(24).default(0), txDb: z.number().min(-24).max(24).default(0) }).strict(),
    build: (a) => ({ f1: a.rxDb, f2: a.txDb }),
  }),
  // On an FXO line: DTMF or pulse digits after dial tone. On an R2 timeslot
  // (kind e1-r2): `digits` is the called number (DNIS), `ani` the caller's
  // number and `category` the calling party's category (group II, 1-15).
  dial: verb({
    op: 'dial', needsChan: true,
    schema: z.object({
      digits,
      mode: z.enum(['dtmf', 'pulse']).default('dtmf'),
      waitDialToneMs: z.number().int().min(0).max(10000).default(3000),
      ani: number.optional(),
      category: z.number().int().min(1).max(15).optional(),
    }).strict().refine((a) => a.mode === 'dtmf' || /^[0-9]+$/.test(a.digits), { message: 'pulse dialing sends only 0-9', path: ['digits'] }),
    build: (a) => ({ s1: a.digits, i1: a.mode === 'pulse' ? 1 : 0, i2: a.waitDialToneMs, s2: a.ani ?? '', i3: a.category ?? 0 }),
  }),
  // MFC/R2, an offered call: group B accepts it (ringing, answer later) or refuses it.
  accept: verb({
    op: 'accept', needsChan: true,
    schema: z.object({ charge: z.boolean().default(true) }).strict(),
    build: (a) => ({ i1: a.charge ? 1 : 0 }),
  }),
  reject: verb({
    op: 'reject', needsChan: true,
    schema: z.object({ reason: z.enum(R2_REJECT).default('busy') }).strict(),
    build: (a) => ({ s1: a.reason }),
  }),
  // MFC/R2 circuit blocking: an idle circuit sends the variant's blocking bits
  // at once (CircuitBlocked), one in a call when the call ends (CircuitBlockPending
  // now). A blocked circuit is never seized and refuses seizures.
  block: verb({ op: 'block', needsChan: true, schema: none, build: () => ({}) }),
  unblock: verb({ op: 'unblock', needsChan: true, schema: none, build: () => ({}) }),
  // MFC/R2 line settings (variant only while idle). dnisDigits 0: DNIS ends with
  // the forward's end signal or with silence; autoAcceptMs 0: wait for accept/answer.
  // skipCategory: never ask the category (no ANI then in china/itu);
  // immediateAccept: group B accept as soon as the address is in; doubleAnswer:
  // answer, clear-back, answer; dtmfDialing: our calls send the DNIS by DTMF;
  // dtmfDetection: incoming DNIS by DTMF too. Knobs left out keep their value.
  setR2: verb({
    op: 'setR2', needsChan: true,
    schema: z.object({
      variant: z.enum(R2_VARIANTS).optional(),
      dnisDigits: z.number().int().min(0).max(32).optional(),
      askAni: z.enum(keys(R2_ANI)).optional(),
      aniDigits: z.number().int().min(0).max(32).optional(),
      autoAcceptMs: z.number().int().min(0).max(10000).optional(),
      ...r2OptFields,
    }).strict(),
    build: (a) => ({
      s1: a.variant ?? '', i1: a.dnisDigits ?? -1, i2: a.askAni === undefined ? -1 : R2_ANI[a.askAni],
      i3: a.aniDigits ?? -1, i4: a.autoAcceptMs ?? -1, ...r2OptBits(a),
    }),
  }),
  // MFC/R2, an answered incoming call: charge pulses to the caller's exchange
  // (the variant's metering bits, briefly). The forward side reports MeteringPulse.
  meter: verb({
    op: 'meter', needsChan: true,
    schema: z.object({ pulses: z.number().int().min(1).max(100).default(1) }).strict(),
    build: (a) => ({ i1: a.pulses }),
  }),
  // SS7 link of a span, on its D-channel (timeslot 16): point codes as numbers
  // (the supervisor turns 3-8-3 / 8-8-8 notation into them), network
  // indicator, link code, and the CIC of timeslot N = cicBase + N. Codes
  // change with calls kept (the link realigns); variant and base only when idle.
  setSs7: verb({
    op: 'setSs7', needsChan: true,
    schema: z.object({
      variant: z.enum(SS7_VARIANTS),
      opc: z.number().int().min(0).max(0xffffff),
      dpc: z.number().int().min(0).max(0xffffff),
      ni: z.number().int().min(0).max(3).default(2),
      slc: z.number().int().min(0).max(15).default(0),
      cicBase: z.number().int().min(0).max(4064).default(0),
    }).strict(),
    build: (a) => ({ s1: a.variant, i1: a.opc, i2: a.dpc, i3: a.ni | (a.slc << 4), i4: a.cicBase }),
  }),
  // Group reset (GRS) of every circuit of the span, or a restart of its link.
  ss7Reset: verb({
    op: 'ss7Reset', needsChan: true,
    schema: z.object({ link: z.boolean().default(false) }).strict(),
    build: (a) => ({ i1: a.link ? 1 : 0 }),
  }),
  flash: verb({ op: 'flash', needsChan: true, schema: none, build: () => ({}) }),
  ring: verb({
    op: 'ring', needsChan: true,
    schema: z.object({
      number: number.default(''),
      name: cidName.default(''),
      callerId: z.enum(['bell202', 'v23', 'dtmf', 'none']).default('bell202'),
      cadence: z.tuple([z.number().int().min(100).max(10000), z.number().int().min(100).max(10000)]).optional(),
      // after-first-ring: the spill between the first two rings; before-ring: the spill, then ringing;
      // polarity: a line reversal, the spill, the polarity back, then ringing.
      callerIdWhen: z.enum(keys(CID_WHEN)).default('after-first-ring'),
    }).strict(),
    build: (a) => ({
      s1: a.number, s2: a.name, i1: CID_STANDARDS[a.callerId], i2: a.cadence?.[0] ?? 0, i3: a.cadence?.[1] ?? 0,
      i4: CID_WHEN[a.callerIdWhen],
    }),
  }),
  stopRing: verb({ op: 'stopRing', needsChan: true, schema: none, build: () => ({}) }),
  sendDtmf: verb({
    op: 'sendDtmf', needsChan: true,
    schema: z.object({ digits }).strict(),
    build: (a) => ({ s1: a.digits }),
  }),
  setLine: verb({
    op: 'setLine', needsChan: true,
    schema: z.object({
      callerId: z.enum(keys(CID_STANDARDS)).optional(),
      disconnect: z.array(z.enum(keys(DISCONNECT))).min(1).optional(),
      echoTaps: z.number().int().min(0).max(1024).optional(),
    }).strict(),
    build: (a) => ({
      i1: a.callerId === undefined ? -1 : CID_STANDARDS[a.callerId],
      i2: a.disconnect ? a.disconnect.reduce((m, d) => m | DISCONNECT[d], 0) : 0,
      i3: a.echoTaps ?? -1,
    }),
  }),
  learnCadence: verb({ op: 'learnCadence', needsChan: true, schema: none, build: () => ({}) }),
  setMwi: verb({
    op: 'setMwi', needsChan: true,
    schema: z.object({ on: z.boolean() }).strict(),
    build: (a) => ({ i1: a.on ? 1 : 0 }),
  }),
  // Call waiting on an off-hook FXS phone: a burst of the zone's callwait tone,
  // the CPE alerting signal (2130+2750 Hz); if the phone acknowledges with
  // DTMF D, caller ID follows as FSK (type II). The call is muted meanwhile.
  callWaiting: verb({
    op: 'callWaiting', needsChan: true,
    schema: z.object({
      number: number.default(''),
      name: cidName.default(''),
      callerId: z.enum(['bell202', 'v23']).default('bell202'),
    }).strict(),
    build: (a) => ({ s1: a.number, s2: a.name, i1: CID_STANDARDS[a.callerId] }),
  }),
  // Engine-time timers: `timer` answers {timerId} and TimerFired {timerId}
  // follows after `ms` of engine time, so call timers keep pace with the sim.
  timer: verb({
    op: 'timer', needsChan: false,
    schema: z.object({ ms: z.number().int().min(0).max(24 * 3600 * 1000) }).strict(),
    build: (a) => ({ i1: a.ms }),
  }),
  cancelTimer: verb({
    op: 'cancelTimer', needsChan: false,
    schema: z.object({ timerId: z.number().int().positive() }).strict(),
    build: (a) => ({ i1: a.timerId }),
  }),
  // ---- the virtual PSTN (sim board only) ----
  // On an FXO port the exchange rings us with caller ID; on an R2 timeslot it
  // seizes and sends {dnis, ani, category} by MF when the box asks for them.
  'sim.call': verb({
    op: 'simCall', needsChan: true,
    schema: z.union([z.object({
      dnis: z.string().regex(/^[0-9]{1,32}$/, 'a DNIS is 1 to 32 digits'),
      ani: z.string().regex(/^[0-9]{0,32}$/, 'an ANI is up to 32 digits').default(''),
      category: z.number().int().min(1).max(15).default(1),
      // SS7 spans: the calling number's presentation (the category is taken as ordinary below 10).
      presentation: z.enum(['allowed', 'restricted', 'unavailable']).default('allowed'),
    }).strict(), z.object({
      // FSK caller ID carries any printable bytes, so the exchange can send a
      // hostile number too (DTMF caller ID only digits: the sim refuses others).
      from: z.string().regex(/^[\x20-\x7e]{0,20}$/, 'a caller number is up to 20 printable ASCII characters').default(''),
      name: cidName.default(''),
      callerId: z.enum(['bell202', 'v23', 'dtmf', 'none']).default('bell202'),
      callerIdWhen: z.enum(keys(CID_WHEN)).default('after-first-ring'),
      disconnect: z.enum(keys(DISCONNECT)).default('loop'),
      maxRings: z.number().int().min(0).max(50).default(0),
    }).strict()]),
    build: (a) => ('dnis' in a
      ? { s1: a.dnis, s2: a.ani, i1: a.category, i2: { allowed: 0, restricted: 1, unavailable: 2 }[a.presentation] }
      : { s1: a.from, s2: a.name, i1: CID_STANDARDS[a.callerId], i2: CID_WHEN[a.callerIdWhen], i3: DISCONNECT[a.disconnect], i4: a.maxRings }),
  }),
  // The R2 exchange's side of a timeslot when it takes our calls: how many DNIS
  // digits it collects (0: until silence) and when it asks for our ANI; the same
  // on/off knobs as setR2 (dtmfDialing: its calls into the box by DTMF); and
  // meterEveryMs: a metering pulse that often while our call is answered (0: none).
  'sim.r2': verb({
    op: 'simR2', needsChan: true,
    schema: z.object({
      variant: z.enum(R2_VARIANTS).optional(),
      dnisDigits: z.number().int().min(0).max(32).optional(),
      askAni: z.enum(keys(R2_ANI)).optional(),
      aniDigits: z.number().int().min(0).max(32).optional(),
      meterEveryMs: z.number().int().min(0).max(600000).optional(),
      ...r2OptFields,
    }).strict(),
    build: (a) => ({
      s1: a.variant ?? '', i1: a.dnisDigits ?? -1, i2: a.askAni === undefined ? -1 : R2_ANI[a.askAni], i3: a.aniDigits ?? -1,
      i4: a.meterEveryMs ?? -1, ...r2OptBits(a),
    }),
  }),
  // The R2 exchange blocks (or unblocks) a timeslot towards us.
  'sim.block': verb({
    op: 'simBlock', needsChan: true,
    schema: z.object({ blocked: z.boolean().default(true) }).strict(),
    build: (a) => ({ i1: a.blocked ? 1 : 0 }),
  }),
  'sim.hangup': verb({
    op: 'simHangup', needsChan: true,
    schema: z.object({
      method: z.enum(keys(DISCONNECT)).optional(),
      cause: z.number().int().min(1).max(127).optional().describe('SS7: the REL cause (default 16 normal clearing)'),
    }).strict(),
    build: (a) => ({ i1: a.method ? DISCONNECT[a.method] : 0, i2: a.cause ?? 0 }),
  }),
  // The SS7 far end's own actions on its span (chan: any channel of the span):
  // group reset, group block/unblock, a link cut, frame corruption, an outcome
  // rule for called numbers with a prefix, counters (SimSs7Stats).
  'sim.ss7': verb({
    op: 'simSs7', needsChan: true,
    schema: z.discriminatedUnion('action', [
      z.object({ action: z.literal('grs'), first: z.number().int().min(0).max(4095).default(0), count: z.number().int().min(0).max(31).default(0) }).strict(),
      z.object({ action: z.literal('cgb'), first: z.number().int().min(0).max(4095), count: z.number().int().min(1).max(31) }).strict(),
      z.object({ action: z.literal('cgu'), first: z.number().int().min(0).max(4095), count: z.number().int().min(1).max(31) }).strict(),
      z.object({ action: z.literal('cut'), ms: z.number().int().min(0).max(600000) }).strict(),
      z.object({ action: z.literal('corrupt'), permille: z.number().int().min(0).max(1000), direction: z.enum(['both', 'to-box', 'to-far']).default('both') }).strict(),
      z.object({ action: z.literal('rule'), prefix: z.string().regex(/^[0-9]{0,20}$/), outcome: z.enum(keys(OUTCOMES)), afterMs: z.number().int().min(0).max(600000).default(0) }).strict(),
      z.object({ action: z.literal('stats') }).strict(),
    ]),
    build: (a) => {
      switch (a.action) {
        case 'grs': return { i1: 1, i2: a.first, i3: a.count };
        case 'cgb': return { i1: 2, i2: a.first, i3: a.count };
        case 'cgu': return { i1: 3, i2: a.first, i3: a.count };
        case 'cut': return { i1: 4, i2: a.ms };
        case 'corrupt': return { i1: 5, i2: a.permille, i3: { both: 0, 'to-box': 1, 'to-far': 2 }[a.direction] };
        case 'rule': return { i1: 6, s1: a.prefix, i2: OUTCOMES[a.outcome], i3: a.afterMs };
        default: return { i1: 7 };
      }
    },
  }),
  'sim.offhook': verb({ op: 'simOffhook', needsChan: true, schema: none, build: () => ({}) }),
  'sim.onhook': verb({ op: 'simOnhook', needsChan: true, schema: none, build: () => ({}) }),
  'sim.dial': verb({
    op: 'simDial', needsChan: true,
    schema: z.object({
      digits,
      mode: z.enum(['dtmf', 'pulse']).default('dtmf'),
      onMs: z.number().int().min(10).max(1000).optional(),
      offMs: z.number().int().min(10).max(1000).optional(),
    }).strict(),
    build: (a) => ({ s1: a.digits, i1: a.mode === 'pulse' ? 1 : 0, i2: a.onMs ?? 0, i3: a.offMs ?? 0 }),
  }),
  'sim.flash': verb({
    op: 'simFlash', needsChan: true,
    schema: z.object({ ms: z.number().int().min(100).max(1000).default(500) }).strict(),
    build: (a) => ({ i1: a.ms }),
  }),
  'sim.answer': verb({
    op: 'simAnswer', needsChan: true,
    schema: z.object({ polarity: z.boolean().default(false) }).strict(),
    build: (a) => ({ i1: a.polarity ? 1 : 0 }),
  }),
  'sim.outcome': verb({
    op: 'simOutcome', needsChan: true,
    schema: z.object({
      outcome: z.enum(keys(OUTCOMES)),
      afterMs: z.number().int().min(0).max(120000).default(4000),
      polarity: z.boolean().default(false),
    }).strict(),
    build: (a) => ({ i1: OUTCOMES[a.outcome], i2: a.afterMs, i3: a.polarity ? 1 : 0 }),
  }),
  'sim.talk': verb({
    op: 'simTalk', needsChan: true,
    schema: z.object({ freq: z.number().int().min(0).max(3900), levelDbm0: z.number().min(-50).max(0).default(-13) }).strict(),
    build: (a) => ({ i1: a.freq, f1: a.levelDbm0 }),
  }),
  'sim.listen': verb({
    op: 'simListen', needsChan: true,
    schema: z.object({ freq: z.number().int().min(100).max(3900), ms: z.number().int().min(20).max(10000).default(400) }).strict(),
    build: (a) => ({ i1: a.freq, i2: a.ms }),
  }),
  'sim.impair': verb({
    op: 'simImpair', needsChan: true,
    schema: z.object({
      snrDb: z.number().min(0).max(80).default(0),
      levelDb: z.number().min(-40).max(20).default(0),
      slipEvery: z.number().int().min(0).max(100000).default(0),
      // Every frequency the far end sends (tones, DTMF, caller ID, talk) scaled by 1 + pct/100.
      freqOffsetPct: z.number().min(-5).max(5).default(0),
    }).strict(),
    build: (a) => ({ f1: a.snrDb, f2: a.levelDb, i2: a.slipEvery, i3: Math.round(a.freqOffsetPct * 10000) }),
  }),
  'sim.alarm': verb({
    op: 'simAlarm', needsChan: false,
    // alarms: the span's alarm state (left as it is when absent); errors: line
    // errors to add to its counters, as a noisy or misframed E1 makes DAHDI count.
    schema: z.object({
      span: z.number().int().positive(),
      alarms: z.array(z.enum(keys(ALARMS))).optional(),
      errors: z.object({ bpv: z.number().int().min(0).default(0), crc4: z.number().int().min(0).default(0), ebit: z.number().int().min(0).default(0), fas: z.number().int().min(0).default(0) }).strict().optional(),
    }).strict(),
    build: (a) => ({
      i1: a.span, i2: a.alarms ? a.alarms.reduce((m, x) => m | ALARMS[x], 0) : -1,
      i3: a.errors?.bpv ?? 0, i4: a.errors?.crc4 ?? 0, i5: a.errors?.ebit ?? 0, i6: a.errors?.fas ?? 0,
    }),
  }),
  'sim.phone': verb({
    op: 'simPhone', needsChan: true,
    schema: z.object({ callWaitingAck: z.boolean().default(true) }).strict(),
    build: (a) => ({ i1: a.callWaitingAck ? 1 : 0 }),
  }),
  'sim.autoAnswer': verb({
    op: 'simAutoAnswer', needsChan: true,
    schema: z.object({ rings: z.number().int().min(0).max(20) }).strict(),
    build: (a) => ({ i1: a.rings }),
  }),
};

// Verbs with resources opened on the engine's side of the socket.
export const playArgs = z.object({
  files: z.array(z.string().min(1).max(512)).min(1).max(16),
  loop: z.boolean().default(false),
  queue: z.boolean().default(false),
}).strict();

// respan: an E1 span's signalling changes while the engine runs (only that span's calls end).
export const respanArgs = z.object({
  span: z.number().int().positive(),
  signalling: z.enum(['r2', 'ss7']),
  // The sim board's SS7 far end for the span (our stack): its variant, the box's and its own point code, CIC of timeslot 1.
  far: z.object({
    variant: z.enum(['itu', 'china']).optional(),
    boxPc: z.number().int().nonnegative().optional(),
    farPc: z.number().int().nonnegative().optional(),
    ni: z.number().int().min(0).max(3).optional(),
    cicFirst: z.number().int().nonnegative().optional(),
    answerMs: z.number().int().nonnegative().optional(),
  }).strict().optional(),
}).strict();

export const recordArgs = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a recording name is letters, digits, _ . - (no path)').refine((n) => !n.startsWith('.'), 'a recording name cannot start with a dot').optional(),
  stereo: z.boolean().default(false),
}).strict();

export const ENGINE_VERBS = ['state', 'stats', 'channels', 'play', 'record', ...Object.keys(verbs)];

export function describeZodError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') : 'args'}: ${i.message}`).join('; ');
}
