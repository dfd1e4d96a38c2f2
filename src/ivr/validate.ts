/**
 * Checks an IVR before it is saved or run: the schema, then what the schema
 * cannot see (references to menus, extensions, queues, voicemail boxes, other
 * IVRs and prompts; menus nobody can reach; callers who can never leave).
 * Every problem is reported, each with the dotted path of the field to fix,
 * so the panel can put the message next to it.
 *
 * Two loop checks, because they fail differently:
 * - a trap: a set of menus from which no key, timeout, invalid key or
 *   exhausted retry ever reaches a destination;
 * - a silent loop: a caller who presses nothing (or a line whose far end hung
 *   up without a disconnect signal, common on analog trunks) is sent round
 *   menus forever, so the channel is never freed. This follows the no-input
 *   path exactly as MenuMachine does.
 */
import type { z } from 'zod';
import {
  DEFAULT_INVALID_PROMPT,
  DEFAULT_TIMEOUT_PROMPT,
  ivrSchema,
  isExitDestination,
  menuDestinations,
  promptList,
  type Destination,
  type IvrDefinition,
  type IvrLanguage,
  type IvrMenu,
  type PromptRefs,
} from './definition.js';
import type { ExtensionMatch } from './menu-machine.js';

export interface IvrIssue {
  /** Dotted field path, e.g. `menus.sales.keys.3`; `(root)` for the whole IVR. */
  path: string;
  /** What is wrong, without the path. */
  message: string;
}

export interface IvrContext {
  /** `lang` is the IVR's language, for libraries that keep prompts per language. */
  promptExists(ref: string, lang: IvrLanguage): boolean;
  extensionExists(ext: string): boolean;
  queueExists(queue: string): boolean;
  voicemailExists(box: string): boolean;
  ivrExists(id: string): boolean;
  /** The dial plan, when known: warns where a key of a directDial menu also
   * begins extensions. The same function the MenuMachine is given. */
  isExtension?(digits: string): ExtensionMatch;
}

export type IvrValidation =
  | { ok: true; ivr: IvrDefinition; warnings: IvrIssue[] }
  | { ok: false; errors: IvrIssue[]; warnings: IvrIssue[] };

/** `menus.sales.keys.3: menu "nope" does not exist` */
export function formatIvrIssue(i: IvrIssue): string {
  return `${i.path}: ${i.message}`;
}

export function validateIvr(raw: unknown, ctx: IvrContext): IvrValidation {
  const parsed = ivrSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: schemaIssues(parsed.error.issues), warnings: [] };
  const ivr = parsed.data;
  const errors: IvrIssue[] = [];
  const warnings: IvrIssue[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });

  const ids = Object.keys(ivr.menus);
  const startOk = ivr.menus[ivr.start] !== undefined;
  if (!startOk) err('start', `menu "${ivr.start}" does not exist (menus: ${ids.map((i) => `"${i}"`).join(', ')})`);
  if (ivr.operator) checkDestination(ivr, ctx, 'operator', ivr.operator, undefined, err);

  for (const [id, menu] of Object.entries(ivr.menus)) {
    const at = `menus.${id}`;
    checkPrompts(ctx, ivr.language, `${at}.prompt`, menu.prompt, err);
    checkNotice(ctx, ivr.language, at, menu, 'invalid', err);
    checkNotice(ctx, ivr.language, at, menu, 'timeout', err);
    for (const [where, d] of menuDestinations(menu)) checkDestination(ivr, ctx, `${at}.${where}`, d, id, err);
    if (menu.directDial && ctx.isExtension) directDialWarnings(ctx.isExtension, at, menu, warnings);
  }

  if (startOk) {
    const order = reachable(ivr);
    for (const id of ids) {
      if (!order.has(id)) err(`menus.${id}`, `menu "${id}" cannot be reached from the start menu "${ivr.start}"`);
    }
    const trapped = findTraps(ivr, order, err);
    findSilentLoops(ivr, order, trapped, err);
  }

  return errors.length ? { ok: false, errors, warnings } : { ok: true, ivr, warnings };
}

// ---- schema issues

function schemaIssues(issues: z.ZodIssue[]): IvrIssue[] {
  const out: IvrIssue[] = [];
  for (const i of issues) {
    if (i.code === 'invalid_union') {
      // A prompt is a string or a list: report the branch the value was meant
      // for, not zod's "Invalid input".
      const meant = i.unionErrors.find((e) => !e.issues.some((u) => u.code === 'invalid_type' && u.path.length === i.path.length));
      if (meant) {
        out.push(...schemaIssues(meant.issues));
        continue;
      }
    }
    out.push({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message });
  }
  return out;
}

// ---- references

type Report = (path: string, message: string) => void;

function checkDestination(ivr: IvrDefinition, ctx: IvrContext, path: string, d: Destination, menuId: string | undefined, err: Report): void {
  switch (d.type) {
    case 'menu':
      if (!ivr.menus[d.menu]) err(path, `menu "${d.menu}" does not exist`);
      break;
    case 'back':
      if (menuId === ivr.start) err(path, `"back" in the start menu "${ivr.start}" has nowhere to go back to`);
      break;
    case 'extension':
      if (!ctx.extensionExists(d.ext)) err(path, `extension "${d.ext}" does not exist`);
      break;
    case 'queue':
      if (!ctx.queueExists(d.queue)) err(path, `queue "${d.queue}" does not exist`);
      break;
    case 'voicemail':
      if (!ctx.voicemailExists(d.box)) err(path, `voicemail box "${d.box}" does not exist`);
      break;
    case 'ivr':
      if (d.id === ivr.id) err(path, `IVR "${d.id}" is this IVR; to start over use {"type":"menu","menu":"${ivr.start}"}`);
      else if (!ctx.ivrExists(d.id)) err(path, `IVR "${d.id}" does not exist`);
      break;
    case 'repeat':
    case 'external':
    case 'operator':
    case 'hangup':
      break;
  }
}

function checkPrompts(ctx: IvrContext, lang: IvrLanguage, path: string, refs: PromptRefs, err: Report): void {
  if (typeof refs === 'string') {
    if (!ctx.promptExists(refs, lang)) err(path, `prompt "${refs}" does not exist (${lang})`);
    return;
  }
  refs.forEach((r, i) => {
    if (!ctx.promptExists(r, lang)) err(`${path}.${i}`, `prompt "${r}" does not exist (${lang})`);
  });
}

/** The invalid/timeout prompt, when set or when the default one will be played. */
function checkNotice(ctx: IvrContext, lang: IvrLanguage, at: string, menu: IvrMenu, kind: 'invalid' | 'timeout', err: Report): void {
  const field = kind === 'invalid' ? 'invalidPrompt' : 'timeoutPrompt';
  const set = menu[field];
  if (set !== undefined) return checkPrompts(ctx, lang, `${at}.${field}`, set, err);
  const handler = kind === 'invalid' ? menu.onInvalid : menu.onTimeout;
  if (handler || menu.retries < 2) return; // never played
  const dflt = kind === 'invalid' ? DEFAULT_INVALID_PROMPT : DEFAULT_TIMEOUT_PROMPT;
  if (!ctx.promptExists(dflt, lang)) err(`${at}.${field}`, `prompt "${dflt}" (played when ${field} is not set) does not exist (${lang})`);
}

function directDialWarnings(isExtension: (d: string) => ExtensionMatch, at: string, menu: IvrMenu, warnings: IvrIssue[]): void {
  for (const k of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const) {
    if (!menu.keys[k]) continue;
    const m = isExtension(k);
    if (m === 'prefix') {
      warnings.push({
        path: `${at}.keys.${k}`,
        message: `extensions begin with ${k}: after ${k} the menu waits interDigitMs (${menu.interDigitMs} ms) for more digits before taking the key`,
      });
    } else if (m === 'yes') {
      warnings.push({ path: `${at}.keys.${k}`, message: `extension ${k} cannot be dialled from this menu: the key ${k} takes it` });
    }
  }
}

// ---- the menu graph

function menuTargets(menu: IvrMenu): string[] {
  return menuDestinations(menu).flatMap(([, d]) => (d.type === 'menu' ? [d.menu] : []));
}

/** Menus reachable from the start, in breadth-first order, each with the menu
 * it was first entered from (for a plausible `back` history). */
function reachable(ivr: IvrDefinition): Map<string, string | undefined> {
  const parent = new Map<string, string | undefined>([[ivr.start, undefined]]);
  const queue = [ivr.start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const t of menuTargets(ivr.menus[id]!)) {
      if (ivr.menus[t] && !parent.has(t)) {
        parent.set(t, id);
        queue.push(t);
      }
    }
  }
  return parent;
}

/** Reports sets of reachable menus with no way out at all; returns their ids. */
function findTraps(ivr: IvrDefinition, order: Map<string, string | undefined>, err: Report): Set<string> {
  const ids = [...order.keys()];
  const preds = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  for (const id of ids) for (const t of menuTargets(ivr.menus[id]!)) preds.get(t)?.add(id);
  // `back` returns to some menu that led here: any predecessor.
  const next = (id: string): string[] => {
    const menu = ivr.menus[id]!;
    const out = menuTargets(menu);
    if (menuDestinations(menu).some(([, d]) => d.type === 'back')) out.push(...preds.get(id)!);
    return out.filter((t) => order.has(t));
  };
  const canExit = new Set(ids.filter((id) => {
    const menu = ivr.menus[id]!;
    return menu.directDial || menuDestinations(menu).some(([, d]) => isExitDestination(d));
  }));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (!canExit.has(id) && next(id).some((t) => canExit.has(t))) {
        canExit.add(id);
        changed = true;
      }
    }
  }
  const trapped = new Set(ids.filter((id) => !canExit.has(id)));
  const reported = new Set<string>();
  for (const id of ids) {
    if (!trapped.has(id) || reported.has(id)) continue;
    const set = [id];
    for (let i = 0; i < set.length; i++) for (const t of next(set[i]!)) if (!set.includes(t)) set.push(t);
    set.forEach((m) => reported.add(m));
    err(
      `menus.${id}.onExhausted`,
      `callers are trapped: from "${id}" every key, timeout, invalid key and exhausted retry leads only to ${list(set)}, ` +
        `none of which reaches a destination; send onExhausted to one, e.g. {"type":"operator"}`,
    );
  }
  return trapped;
}

/** Where a caller who presses nothing goes from a freshly entered menu, and the field that says so. */
function silentExit(menu: IvrMenu): [string, Destination] {
  if (menu.retries > 1 && menu.onTimeout && menu.onTimeout.type !== 'repeat') return ['onTimeout', menu.onTimeout];
  return ['onExhausted', menu.onExhausted];
}

function findSilentLoops(ivr: IvrDefinition, order: Map<string, string | undefined>, trapped: Set<string>, err: Report): void {
  const reported = new Set<string>();
  for (const id of order.keys()) {
    if (trapped.has(id)) continue;
    const history: string[] = [];
    for (let p = order.get(id); p !== undefined; p = order.get(p)) history.unshift(p);
    const cycle = silentWalk(ivr, id, history);
    if (!cycle || cycle.every((m) => trapped.has(m))) continue;
    const key = [...cycle].sort().join(' ');
    if (reported.has(key)) continue;
    reported.add(key);
    const first = cycle[0]!;
    const [field] = silentExit(ivr.menus[first]!);
    const round = cycle.length === 1 ? `hears "${first}" again and again` : `goes round ${[...cycle, first].map((m) => `"${m}"`).join(' → ')}`;
    err(
      `menus.${first}.${field}`,
      `a caller who presses nothing ${round} forever and the line is never freed; ` +
        `send onExhausted (or onTimeout) of one of these menus to a destination, e.g. {"type":"operator"} or {"type":"hangup"}`,
    );
  }
}

/** Follows the no-input path from `id`; null when it leaves the IVR, else the
 * menus it cycles through. An exiting walk first pops at most the whole
 * history and then moves forward through distinct menus (popping back to a
 * menu it moved forward from would repeat a state), so it ends within
 * history + menus steps; anything longer is a loop. */
function silentWalk(ivr: IvrDefinition, start: string, history: string[]): string[] | null {
  const limit = history.length + Object.keys(ivr.menus).length + 2;
  const seen: string[] = [];
  let id = start;
  for (let step = 0; step < 2 * limit; step++) {
    if (step >= limit) seen.push(id);
    const [, d] = silentExit(ivr.menus[id]!);
    if (isExitDestination(d)) return null;
    if (d.type === 'menu') {
      if (!ivr.menus[d.menu]) return null; // reported as a missing menu
      history.push(id);
      id = d.menu;
    } else if (d.type === 'back' && history.length) {
      id = history.pop()!;
    } else {
      return [id]; // repeat, or back with nowhere to go: the same menu again
    }
  }
  return [...new Set(seen)];
}

function list(ids: string[]): string {
  return ids.length === 1 ? `menu "${ids[0]}"` : `menus ${ids.map((i) => `"${i}"`).join(', ')}`;
}
