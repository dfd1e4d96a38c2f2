/**
 * IVR definition, as data: one IVR is a set of named menus, each a prompt and
 * what each key does. Stored as JSON and edited from the panel, so every field
 * that has a sensible value has a default and unknown fields are refused (a
 * typo such as `timeoutMS` must not silently fall back to the default).
 *
 * The destinations here are this module's own: `src/routing/destination.ts`
 * is written separately, and the call layer maps an IVR's exit destination
 * onto it. `menu`, `back` and `repeat` stay inside the IVR; every other type
 * ends the IVR (see `ExitDestination`).
 *
 * See docs/ivr.md for the format, the validation rules and the menu semantics.
 */
import { z } from 'zod';

/** Keys a caller can press, in keypad order. */
export const IVR_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type IvrKey = (typeof IVR_KEYS)[number];

/** Words the journal path uses besides menu ids and keys, so menus may not be named so. */
export const PATH_WORDS = ['timeout', 'invalid', 'exhausted'] as const;

export const IVR_LANGUAGES = ['zh', 'en'] as const;
export type IvrLanguage = (typeof IVR_LANGUAGES)[number];

/** Prompt played on an invalid key or a timeout when the menu names none. */
export const DEFAULT_INVALID_PROMPT = 'builtin:invalid';
export const DEFAULT_TIMEOUT_PROMPT = 'builtin:timeout';

const NAME = /^[a-z0-9_-]{1,64}$/;

export const promptRefSchema = z
  .string()
  .regex(/^(builtin|custom):[a-z0-9_-]{1,64}$/, 'must be "builtin:<name>" or "custom:<name>", the name of 1-64 characters a-z, 0-9, _ or -');

/** One prompt, or several played back to back. */
export const promptRefsSchema = z.union([promptRefSchema, z.array(promptRefSchema).min(1, 'must list at least one prompt')]);
export type PromptRefs = z.output<typeof promptRefsSchema>;

export const menuIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a menu id is 1-64 characters a-z, 0-9, _ or -, starting with a letter')
  .refine((id) => !(PATH_WORDS as readonly string[]).includes(id), {
    message: `"timeout", "invalid" and "exhausted" are reserved (the call journal uses them)`,
  });

export const ivrIdSchema = z.string().regex(NAME, 'an IVR id is 1-64 characters a-z, 0-9, _ or -');

const keySchema = z.enum(IVR_KEYS, { errorMap: () => ({ message: 'a key must be one of 0-9, * or #' }) });

const menuDest = z.object({ type: z.literal('menu'), menu: menuIdSchema }).strict();
const backDest = z.object({ type: z.literal('back') }).strict();
const repeatDest = z.object({ type: z.literal('repeat') }).strict();
const extensionDest = z.object({ type: z.literal('extension'), ext: z.string().regex(/^[0-9]{1,10}$/, 'an extension is 1-10 digits') }).strict();
const queueDest = z.object({ type: z.literal('queue'), queue: z.string().min(1).max(64) }).strict();
const voicemailDest = z.object({ type: z.literal('voicemail'), box: z.string().min(1).max(64) }).strict();
const externalDest = z
  .object({ type: z.literal('external'), number: z.string().regex(/^\+?[0-9]{3,20}$/, 'a number is 3-20 digits, optionally after a +') })
  .strict();
const operatorDest = z.object({ type: z.literal('operator') }).strict();
const hangupDest = z.object({ type: z.literal('hangup') }).strict();
const ivrDest = z.object({ type: z.literal('ivr'), id: ivrIdSchema }).strict();

const DEST_TYPES = 'menu, back, repeat, extension, queue, voicemail, external, operator, hangup or ivr';
const destinationErrors: z.ZodErrorMap = (issue, ctx) =>
  issue.code === 'invalid_union_discriminator'
    ? { message: `type must be one of ${DEST_TYPES}` }
    : { message: ctx.defaultError };

export const destinationSchema = z.discriminatedUnion(
  'type',
  [menuDest, backDest, repeatDest, extensionDest, queueDest, voicemailDest, externalDest, operatorDest, hangupDest, ivrDest],
  { errorMap: destinationErrors },
);
export type Destination = z.output<typeof destinationSchema>;

/** Destinations that leave the IVR: what an `exit` action carries. */
export type ExitDestination = Exclude<Destination, { type: 'menu' | 'back' | 'repeat' }>;

/** The IVR's own operator: where `{type:"operator"}` leads when set (otherwise
 * the system operator). It cannot itself be `operator` or stay in the IVR. */
export const ivrOperatorSchema = z.discriminatedUnion(
  'type',
  [extensionDest, queueDest, voicemailDest, externalDest, hangupDest, ivrDest],
  { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: 'type must be one of extension, queue, voicemail, external, hangup or ivr' } : { message: ctx.defaultError }) },
);

export const menuSchema = z
  .object({
    prompt: promptRefsSchema,
    keys: z.record(keySchema, destinationSchema).default({}),
    /** Wait for the first key after the prompt finished. */
    timeoutMs: z.number().int().min(1000).max(60000).default(5000),
    /** Wait for the next digit of a directly dialled extension (and after a key
     * that also begins an extension). */
    interDigitMs: z.number().int().min(500).max(10000).default(2000),
    /** Failures (timeouts plus invalid keys) before `onExhausted`. */
    retries: z.number().int().min(1).max(10).default(3),
    invalidPrompt: promptRefsSchema.optional(),
    timeoutPrompt: promptRefsSchema.optional(),
    onTimeout: destinationSchema.optional(),
    onInvalid: destinationSchema.optional(),
    onExhausted: destinationSchema.default({ type: 'operator' }),
    directDial: z.boolean().default(false),
  })
  .strict();
export type IvrMenu = z.output<typeof menuSchema>;

export const ivrSchema = z
  .object({
    id: ivrIdSchema,
    name: z.string().min(1).max(100),
    language: z.enum(IVR_LANGUAGES, { errorMap: () => ({ message: 'language must be "zh" or "en"' }) }),
    start: menuIdSchema,
    operator: ivrOperatorSchema.optional(),
    menus: z.record(menuIdSchema, menuSchema).refine((m) => Object.keys(m).length > 0, 'an IVR needs at least one menu'),
  })
  .strict();

/** A parsed IVR, defaults filled in. */
export type IvrDefinition = z.output<typeof ivrSchema>;
/** An IVR as written in JSON, defaults optional. */
export type IvrInput = z.input<typeof ivrSchema>;

/** A menu's prompt field as a list. */
export function promptList(refs: PromptRefs | undefined): string[] {
  if (refs === undefined) return [];
  return typeof refs === 'string' ? [refs] : [...refs];
}

export function isExitDestination(d: Destination): d is ExitDestination {
  return d.type !== 'menu' && d.type !== 'back' && d.type !== 'repeat';
}

/** Every destination of a menu with the field it sits in (`keys.1`, `onTimeout`, ...). */
export function menuDestinations(menu: IvrMenu): [string, Destination][] {
  const out: [string, Destination][] = [];
  for (const k of IVR_KEYS) {
    const d = menu.keys[k];
    if (d) out.push([`keys.${k}`, d]);
  }
  if (menu.onTimeout) out.push(['onTimeout', menu.onTimeout]);
  if (menu.onInvalid) out.push(['onInvalid', menu.onInvalid]);
  out.push(['onExhausted', menu.onExhausted]);
  return out;
}
