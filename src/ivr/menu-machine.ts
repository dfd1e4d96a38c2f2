/**
 * Runs one IVR for one call. Passive and pure: the call layer feeds it what
 * happened (a DTMF digit, the timer it was asked to start fired, the prompt it
 * was asked to play finished) and carries out the actions it returns, in
 * order. It never reads a clock or touches a channel, so a test drives it
 * step by step and the same machine runs on the sim board and on DAHDI.
 *
 * Rules (docs/ivr.md has the long form):
 * - A menu plays its prompt; any key barges in (`stopPlay`). The timeout
 *   (`timeoutMs`) starts only when the prompt has finished.
 * - An unassigned key or a timeout is a failure. The `retries`-th failure in a
 *   menu goes to `onExhausted`; before that `onInvalid` / `onTimeout` when set,
 *   otherwise the invalid/timeout prompt then the menu prompt again.
 * - Entering a menu (`menu`, `back`) resets its failure count; `repeat` does not.
 * - Direct dial: a first digit that begins an extension collects digits with
 *   `interDigitMs` between them; '#' ends the entry early. A key whose digit
 *   also begins an extension waits the same way and is taken if nothing follows.
 * - The machine holds at most one timer and one playback; before `exit` it has
 *   stopped both, so the call layer has nothing to clean up.
 */
import {
  DEFAULT_INVALID_PROMPT,
  DEFAULT_TIMEOUT_PROMPT,
  IVR_KEYS,
  menuDestinations,
  promptList,
  type Destination,
  type ExitDestination,
  type IvrDefinition,
  type IvrMenu,
} from './definition.js';

export type Action =
  /** `id` numbers playbacks so a late "finished" of a stopped one can be told apart. */
  | { type: 'play'; id: number; prompts: string[]; interruptible: true }
  | { type: 'stopPlay' }
  | { type: 'startTimer'; ms: number }
  | { type: 'cancelTimer' }
  /** The IVR is over. `path` is the journal trail: menus entered, keys and
   * dialled numbers, and the words timeout / invalid / exhausted. */
  | { type: 'exit'; destination: ExitDestination; path: string[] };

/** The dial plan's answer for digits dialled from a menu: `yes` they are an
 * extension (dialled at once), `prefix` a longer extension begins with them,
 * `no` neither. */
export type ExtensionMatch = 'yes' | 'prefix' | 'no';

export interface MenuMachineOptions {
  isExtension(digits: string): ExtensionMatch;
}

export type MenuPhase = 'idle' | 'playing' | 'waiting' | 'dialing' | 'done';

/** For the console and the panel. */
export interface MenuMachineState {
  phase: MenuPhase;
  menu: string;
  failures: number;
  digits: string;
  path: string[];
}

/** Deeper `back` history than this is forgotten from the oldest end. */
const MAX_HISTORY = 32;
const MAX_DIAL_DIGITS = 20;

export class MenuMachine {
  private phase: MenuPhase = 'idle';
  private menuId: string;
  private readonly history: string[] = [];
  private readonly path: string[] = [];
  private failures = 0;
  private digits = '';
  private playId = 0;
  private timerRunning = false;

  constructor(
    private readonly ivr: IvrDefinition,
    private readonly opts: MenuMachineOptions,
  ) {
    // A missing menu found mid-call would strand the caller; refuse up front.
    const missing: string[] = [];
    if (!ivr.menus[ivr.start]) missing.push(`start: menu "${ivr.start}" does not exist`);
    for (const [id, menu] of Object.entries(ivr.menus)) {
      for (const [where, d] of menuDestinations(menu)) {
        if (d.type === 'menu' && !ivr.menus[d.menu]) missing.push(`menus.${id}.${where}: menu "${d.menu}" does not exist`);
      }
    }
    if (missing.length) throw new Error(`IVR ${ivr.id} cannot run (validate it first): ${missing.join('; ')}`);
    this.menuId = ivr.start;
  }

  get state(): MenuMachineState {
    return { phase: this.phase, menu: this.menuId, failures: this.failures, digits: this.digits, path: [...this.path] };
  }

  start(): Action[] {
    if (this.phase !== 'idle') throw new Error('MenuMachine.start: already started');
    const out: Action[] = [];
    this.enter(out, this.ivr.start);
    return out;
  }

  /** A DTMF digit (0-9, *, #). Others (A-D) are ignored. */
  onDigit(d: string): Action[] {
    if (this.phase === 'idle' || this.phase === 'done') return [];
    if (!(IVR_KEYS as readonly string[]).includes(d)) return [];
    const out: Action[] = [];
    this.stopAll(out);
    if (this.phase === 'dialing') this.nextDigit(out, d);
    else this.firstKey(out, d);
    return out;
  }

  /** The timer from the last `startTimer` fired. A timer that was cancelled is ignored. */
  onTimer(): Action[] {
    if (!this.timerRunning) return [];
    this.timerRunning = false;
    const out: Action[] = [];
    if (this.phase === 'waiting') {
      this.path.push('timeout');
      this.fail(out, 'timeout');
    } else if (this.phase === 'dialing') {
      this.endDialing(out);
    }
    return out;
  }

  /** The playback from the last `play` finished. Pass its `id` when the call
   * layer may report a stopped playback late; a stale one is then ignored. */
  onPromptFinished(id?: number): Action[] {
    if (this.phase !== 'playing' || (id !== undefined && id !== this.playId)) return [];
    this.phase = 'waiting';
    const out: Action[] = [];
    this.startTimer(out, this.menu.timeoutMs);
    return out;
  }

  private get menu(): IvrMenu {
    return this.ivr.menus[this.menuId]!;
  }

  private firstKey(out: Action[], d: string): void {
    const menu = this.menu;
    const key = menu.keys[d as keyof IvrMenu['keys']];
    const match: ExtensionMatch = menu.directDial && isDigit(d) ? this.opts.isExtension(d) : 'no';
    if (match === 'prefix') {
      this.digits = d;
      this.phase = 'dialing';
      this.startTimer(out, menu.interDigitMs);
    } else if (key) {
      this.path.push(d);
      this.follow(out, key);
    } else if (match === 'yes') {
      this.path.push(d);
      this.exit(out, { type: 'extension', ext: d });
    } else {
      this.path.push(d, 'invalid');
      this.fail(out, 'invalid');
    }
  }

  private nextDigit(out: Action[], d: string): void {
    if (d === '#') return this.endDialing(out);
    this.digits += d;
    const match: ExtensionMatch = isDigit(d) && this.digits.length <= MAX_DIAL_DIGITS ? this.opts.isExtension(this.digits) : 'no';
    if (match === 'prefix') return this.startTimer(out, this.menu.interDigitMs);
    const dialled = this.digits;
    this.digits = '';
    this.path.push(dialled);
    if (match === 'yes') return this.exit(out, { type: 'extension', ext: dialled });
    this.path.push('invalid');
    this.fail(out, 'invalid');
  }

  /** Inter-digit timeout or '#': a lone digit that is a key takes the key. */
  private endDialing(out: Action[]): void {
    const dialled = this.digits;
    this.digits = '';
    const key = dialled.length === 1 ? this.menu.keys[dialled as keyof IvrMenu['keys']] : undefined;
    this.path.push(dialled);
    if (key) return this.follow(out, key);
    this.path.push('invalid');
    this.fail(out, 'invalid');
  }

  private fail(out: Action[], kind: 'timeout' | 'invalid'): void {
    const menu = this.menu;
    this.failures++;
    if (this.failures >= menu.retries) {
      this.path.push('exhausted');
      return this.follow(out, menu.onExhausted);
    }
    const handler = kind === 'timeout' ? menu.onTimeout : menu.onInvalid;
    if (handler) return this.follow(out, handler);
    const notice = kind === 'timeout' ? menu.timeoutPrompt ?? DEFAULT_TIMEOUT_PROMPT : menu.invalidPrompt ?? DEFAULT_INVALID_PROMPT;
    this.play(out, [...promptList(notice), ...promptList(menu.prompt)]);
  }

  private follow(out: Action[], d: Destination): void {
    switch (d.type) {
      case 'menu':
        this.history.push(this.menuId);
        if (this.history.length > MAX_HISTORY) this.history.shift();
        return this.enter(out, d.menu);
      case 'back': {
        const prev = this.history.pop();
        // Only the start menu has no history, and validation refuses `back` there.
        if (prev === undefined) return this.play(out, promptList(this.menu.prompt));
        return this.enter(out, prev);
      }
      case 'repeat':
        return this.play(out, promptList(this.menu.prompt));
      default:
        return this.exit(out, d);
    }
  }

  private enter(out: Action[], id: string): void {
    this.menuId = id;
    this.failures = 0;
    this.path.push(id);
    this.play(out, promptList(this.menu.prompt));
  }

  private exit(out: Action[], d: ExitDestination): void {
    this.phase = 'done';
    const destination = d.type === 'operator' && this.ivr.operator ? this.ivr.operator : d;
    out.push({ type: 'exit', destination, path: [...this.path] });
  }

  private play(out: Action[], prompts: string[]): void {
    this.phase = 'playing';
    out.push({ type: 'play', id: ++this.playId, prompts, interruptible: true });
  }

  private startTimer(out: Action[], ms: number): void {
    this.timerRunning = true;
    out.push({ type: 'startTimer', ms });
  }

  private stopAll(out: Action[]): void {
    if (this.phase === 'playing') out.push({ type: 'stopPlay' });
    if (this.timerRunning) {
      this.timerRunning = false;
      out.push({ type: 'cancelTimer' });
    }
  }
}

function isDigit(d: string): boolean {
  return d >= '0' && d <= '9' && d.length === 1;
}
