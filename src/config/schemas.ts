// The supervisor's configuration: one zod schema per kind of document, every
// field with a default and a description of what it is. Routing, time
// conditions and IVR schemas live beside their code and are registered here.
import { z } from 'zod';
import { patternProblem } from '../routing/pattern.js';

export const extNumber = z.string().regex(/^[0-9]{2,6}$/, 'an extension number is 2 to 6 digits');
export const phoneNumber = z.string().regex(/^[0-9*#]{1,24}$/, 'a number is 1 to 24 digits (and * #)');
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an id is 1 to 40 letters, digits, _ or -');
export const classOfService = z.enum(['internal', 'local', 'long-distance', 'international']);
export const recordingMode = z.enum(['always', 'never', 'on-demand']);
export const language = z.enum(['zh', 'en']);

export const extensionSchema = z.object({
  ext: extNumber.describe('the number dialled to reach it'),
  name: z.string().max(40).default('').describe('shown as caller-ID name on other phones'),
  port: z.number().int().positive().optional().describe('the FXS channel of its analog phone'),
  cos: classOfService.default('local').describe('how far it may dial out'),
  recording: recordingMode.optional().describe('unset: the route, queue or trunk decides'),
  language: language.optional(),
  callWaiting: z.boolean().default(true),
  dnd: z.boolean().default(false),
  ringSec: z.number().int().min(5).max(120).default(25).describe('rings before no-answer handling'),
  forward: z.object({
    always: phoneNumber.optional(),
    busy: phoneNumber.optional(),
    noAnswer: phoneNumber.optional(),
  }).strict().default({}),
  followMe: z.object({
    enabled: z.boolean().default(false),
    numbers: z.array(phoneNumber).max(5).default([]),
    ringSec: z.number().int().min(5).max(120).default(20),
  }).strict().default({}),
  pickupGroup: z.string().max(20).optional(),
  voicemail: z.object({
    enabled: z.boolean().default(true),
    pin: z.string().regex(/^[0-9]{4,8}$/, 'a PIN is 4 to 8 digits').optional(),
    email: z.string().email().optional(),
    attachAudio: z.boolean().default(true),
  }).strict().default({}),
}).strict();
export type Extension = z.infer<typeof extensionSchema>;

export const trunkSchema = z.object({
  id,
  name: z.string().max(40).default(''),
  ports: z.array(z.number().int().positive()).min(1).describe('FXO lines or E1 timeslots of this trunk group, hunted in order'),
  callerId: z.enum(['auto', 'bell202', 'v23', 'dtmf', 'none']).default('auto'),
  disconnect: z.array(z.enum(['polarity', 'loop', 'busy', 'congestion'])).min(1).default(['loop', 'busy', 'congestion']),
  answerSupervision: z.enum(['polarity', 'none']).default('none').describe('none: an outgoing call counts as answered when dialing ends'),
  dialMode: z.enum(['dtmf', 'pulse']).default('dtmf'),
  recording: recordingMode.optional(),
  ani: z.string().regex(/^[0-9]{0,20}$/, 'digits only').optional().describe('E1: the number sent as the caller on outgoing calls (unset: the extension\'s own number)'),
  r2: z.object({
    variant: z.enum(['china', 'itu']).default('china'),
    dnisDigits: z.number().int().min(0).max(32).default(0).describe('digits of the called number to collect; 0: until the exchange ends it'),
    askAni: z.enum(['after-dnis', 'first', 'never']).default('after-dnis').describe('when to ask the caller\'s number on incoming calls'),
    category: z.number().int().min(1).max(15).default(1).describe('calling party category sent on outgoing calls'),
  }).strict().optional().describe('MFC/R2 (China No.1) for this trunk\'s E1 timeslots: the category goes out on outgoing calls; variant, DNIS digits and ANI requests apply only where the span has no R2 settings of its own (E1 page)'),
}).strict();
export type Trunk = z.infer<typeof trunkSchema>;

const screenMatch = z.object({
  type: z.enum(['exact', 'prefix', 'pattern', 'anonymous']),
  value: z.string().max(40).default(''),
}).strict().superRefine((m, ctx) => {
  if (m.type !== 'anonymous' && !m.value) ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${m.type} match needs a value` });
  if ((m.type === 'exact' || m.type === 'prefix') && m.value && !/^[0-9*#+]+$/.test(m.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'digits only' });
  if (m.type === 'pattern' && m.value) {
    const problem = patternProblem(m.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  }
});

export const screeningSchema = z.object({
  id,
  list: z.enum(['block', 'vip']),
  match: screenMatch,
  action: z.enum(['busy', 'congestion', 'hangup', 'voicemail', 'announcement']).default('busy').describe('what a blocked caller gets'),
  prompt: z.string().max(80).optional().describe('announcement for action "announcement"'),
  destination: z.unknown().optional().describe('where a VIP goes, skipping the IVR'),
  priority: z.number().int().min(0).max(100).default(10).describe('queue priority for a VIP'),
  note: z.string().max(200).default(''),
  expiresAt: z.string().datetime().optional(),
  addedBy: z.string().max(40).default('admin'),
}).strict();
export type ScreeningEntry = z.infer<typeof screeningSchema>;

// A group voicemail box (every extension also has its own box, numbered as
// the extension): messages for a team, lamps lit on each member's phone.
export const mailboxSchema = z.object({
  id: z.string().regex(/^[0-9]{2,8}$/, 'a mailbox number is 2 to 8 digits'),
  name: z.string().max(40).default(''),
  pin: z.string().regex(/^[0-9]{4,8}$/, 'a PIN is 4 to 8 digits').optional(),
  emails: z.array(z.string().email()).max(10).default([]),
  members: z.array(extNumber).max(100).default([]).describe('extensions whose message lamp shows this box'),
  attachAudio: z.boolean().default(true),
}).strict();
export type Mailbox = z.infer<typeof mailboxSchema>;

export const FEATURE_CODES = {
  record: '*8', recordPause: '*9', park: '70', groupPickup: '*40', directedPickup: '**', voicemail: '*97',
  voicemailAny: '*98', forwardOn: '*72', forwardOff: '*73', forwardBusyOn: '*90', forwardBusyOff: '*91',
  forwardNoAnswerOn: '*92', forwardNoAnswerOff: '*93', dndOn: '*78', dndOff: '*79', blockLast: '*60',
  dayNight: '*50', recordPrompt: '*77',
  agentLogin: '*45', agentLogout: '*46', agentPause: '*47', agentReady: '*48', listen: '*41', whisper: '*42', barge: '*43', intercept: '*44',
} as const;
export type FeatureName = keyof typeof FEATURE_CODES;

export const settingsSchema = z.object({
  operator: extNumber.optional().describe('extension that takes calls nobody else can'),
  language: language.default('zh'),
  zone: z.enum(['cn', 'us', 'eu']).default('cn'),
  interDigitMs: z.number().int().min(1000).max(10000).default(4000).describe('analog phones: end of dialing after this pause'),
  recordStereo: z.boolean().default(true),
  park: z.object({
    first: z.number().int().min(1).max(9900).default(71),
    count: z.number().int().min(1).max(99).default(30),
    timeoutSec: z.number().int().min(10).max(3600).default(120),
  }).strict().default({}),
  featureCodes: z.record(z.enum(Object.keys(FEATURE_CODES) as [FeatureName, ...FeatureName[]]), z.string().regex(/^[0-9*#]{1,6}$/)).default({}),
  voicemail: z.object({
    maxMessageSec: z.number().int().min(10).max(600).default(120),
    retentionDays: z.number().int().min(1).max(3650).default(60),
  }).strict().default({}),
  storage: z.object({
    recordingRetentionDays: z.number().int().min(0).max(3650).default(0).describe('0 keeps recordings until deleted by hand'),
    minFreeMb: z.number().int().min(50).max(1000000).default(500).describe('below this free space no new recording starts'),
  }).strict().default({}),
  acd: z.object({
    pauseReasons: z.record(z.string().regex(/^[0-9]$/), z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/)).default({ 1: 'lunch', 2: 'training', 3: 'meeting', 4: 'break' })
      .describe('the digit keyed after the pause code, to its reason'),
    pauseLimitSec: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/), z.number().int().min(60).max(86400)).default({})
      .describe('a pause for this reason ends by itself after this long (lunch: 3600); unset: until the agent is ready'),
    supervisors: z.array(z.object({
      ext: extNumber.describe('the supervisor\'s phone'),
      may: z.array(z.enum(['listen', 'whisper', 'barge', 'intercept'])).default(['listen', 'whisper', 'barge', 'intercept']),
      queues: z.array(z.string().max(40)).default([]).describe('agents of these queues; empty: every agent'),
    }).strict()).max(50).default([]).describe('phones that may monitor agents by feature code'),
  }).strict().default({}),
  smtp: z.object({
    host: z.string().min(1).max(200),
    port: z.number().int().min(1).max(65535).default(25),
    secure: z.boolean().default(false),
    user: z.string().max(200).optional(),
    pass: z.string().max(200).optional(),
    from: z.string().email(),
  }).strict().optional(),
}).strict();
export type Settings = z.infer<typeof settingsSchema>;
