import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ivrSchema, type IvrDefinition, type IvrInput } from './definition.js';
import { MenuMachine, type Action, type ExtensionMatch } from './menu-machine.js';

// Extensions 201, 202, 8001 and the single-digit 5.
const EXTENSIONS = ['201', '202', '8001', '5'];
function dialPlan(digits: string): ExtensionMatch {
  if (EXTENSIONS.includes(digits)) return 'yes';
  return EXTENSIONS.some((e) => e.startsWith(digits)) ? 'prefix' : 'no';
}

function ivr(over: Partial<IvrInput> = {}): IvrDefinition {
  return ivrSchema.parse({
    id: 'hotline',
    name: 'Hotline',
    language: 'zh',
    start: 'main',
    menus: {
      main: {
        prompt: ['builtin:welcome', 'builtin:main_menu'],
        keys: { '1': { type: 'menu', menu: 'sales' }, '2': { type: 'queue', queue: 'support' }, '0': { type: 'operator' }, '#': { type: 'hangup' } },
      },
      sales: {
        prompt: 'custom:sales',
        keys: {
          '1': { type: 'extension', ext: '201' },
          '2': { type: 'menu', menu: 'east' },
          '9': { type: 'repeat' },
          '*': { type: 'back' },
        },
      },
      east: { prompt: 'custom:east', keys: { '*': { type: 'back' }, '1': { type: 'voicemail', box: '300' } } },
    },
    ...over,
  });
}

const machine = (def = ivr()) => new MenuMachine(def, { isExtension: dialPlan });
const play = (id: number, ...prompts: string[]): Action => ({ type: 'play', id, prompts, interruptible: true });
const timer = (ms: number): Action => ({ type: 'startTimer', ms });
const STOP: Action = { type: 'stopPlay' };
const CANCEL: Action = { type: 'cancelTimer' };

/** Starts and lets the first prompt finish: the machine waits for a key. */
function waiting(m = machine()): MenuMachine {
  m.start();
  m.onPromptFinished();
  return m;
}

test('start plays the start menu prompt, interruptible; the timeout starts only when it finishes', () => {
  const m = machine();
  assert.equal(m.start(), [play(1, 'builtin:welcome', 'builtin:main_menu')]);
  assert.equal(m.state.phase, 'playing');
  assert.equal(m.onPromptFinished(), [timer(5000)]);
  assert.equal(m.state.phase, 'waiting');
});

test('a key during the prompt barges in: stopPlay, then the destination', () => {
  const m = machine();
  m.start();
  assert.equal(m.onDigit('2'), [STOP, { type: 'exit', destination: { type: 'queue', queue: 'support' }, path: ['main', '2'] }]);
});

test('a key after the prompt cancels the timeout', () => {
  const m = waiting();
  assert.equal(m.onDigit('#'), [CANCEL, { type: 'exit', destination: { type: 'hangup' }, path: ['main', '#'] }]);
});

test('a sub-menu key plays the sub-menu; its keys then apply', () => {
  const m = waiting();
  assert.equal(m.onDigit('1'), [CANCEL, play(2, 'custom:sales')]);
  assert.is(m.state.menu, 'sales');
  assert.equal(m.onDigit('1'), [STOP, { type: 'exit', destination: { type: 'extension', ext: '201' }, path: ['main', '1', 'sales', '1'] }]);
});

test('back returns level by level to the menus the caller came from', () => {
  const m = machine();
  m.start();
  m.onDigit('1');
  m.onDigit('2');
  assert.is(m.state.menu, 'east');
  assert.equal(m.onDigit('*'), [STOP, play(4, 'custom:sales')]);
  assert.is(m.state.menu, 'sales');
  assert.equal(m.onDigit('*'), [STOP, play(5, 'builtin:welcome', 'builtin:main_menu')]);
  assert.is(m.state.menu, 'main');
  assert.equal(m.onDigit('2')[1], { type: 'exit', destination: { type: 'queue', queue: 'support' }, path: ['main', '1', 'sales', '2', 'east', '*', 'sales', '*', 'main', '2'] });
});

test('repeat replays the menu prompt without counting a failure', () => {
  const m = waiting();
  m.onDigit('1');
  m.onPromptFinished();
  m.onTimer(); // one failure in sales
  assert.is(m.state.failures, 1);
  assert.equal(m.onDigit('9'), [STOP, play(4, 'custom:sales')]);
  assert.is(m.state.menu, 'sales');
  assert.is(m.state.failures, 1);
});

test('a timeout plays the timeout prompt, then the menu again, and restarts the wait after it', () => {
  const m = waiting();
  assert.equal(m.onTimer(), [play(2, 'builtin:timeout', 'builtin:welcome', 'builtin:main_menu')]);
  assert.equal(m.onPromptFinished(), [timer(5000)]);
  assert.is(m.state.failures, 1);
});

test('an unassigned key plays the invalid prompt and the menu again', () => {
  const m = waiting();
  assert.equal(m.onDigit('7'), [CANCEL, play(2, 'builtin:invalid', 'builtin:welcome', 'builtin:main_menu')]);
  assert.equal(m.state.path, ['main', '7', 'invalid']);
});

test('the journal path of the brief: main, 1, sales, timeout, 2', () => {
  const m = waiting();
  m.onDigit('1');
  m.onPromptFinished();
  m.onTimer();
  const out = m.onDigit('2');
  assert.equal(out, [STOP, play(4, 'custom:east')]);
  assert.equal(m.state.path, ['main', '1', 'sales', 'timeout', '2', 'east']);
});

test('after `retries` failures (timeouts and invalid keys together) the caller goes to onExhausted, operator by default', () => {
  const m = waiting();
  m.onTimer();
  m.onDigit('7');
  m.onPromptFinished();
  const out = m.onTimer();
  assert.equal(out, [{ type: 'exit', destination: { type: 'operator' }, path: ['main', 'timeout', '7', 'invalid', 'timeout', 'exhausted'] }]);
  assert.is(m.state.phase, 'done');
});

test('retries counts: retries 1 exhausts on the first failure, even with onTimeout set', () => {
  const def = ivr();
  def.menus.main!.retries = 1;
  def.menus.main!.onTimeout = { type: 'menu', menu: 'sales' };
  def.menus.main!.onExhausted = { type: 'hangup' };
  const m = waiting(machine(def));
  assert.equal(m.onTimer(), [{ type: 'exit', destination: { type: 'hangup' }, path: ['main', 'timeout', 'exhausted'] }]);
});

test('onExhausted may lead to a menu, whose own failure count starts at zero', () => {
  const def = ivr();
  def.menus.main!.retries = 2;
  def.menus.main!.onExhausted = { type: 'menu', menu: 'east' };
  const m = waiting(machine(def));
  m.onTimer();
  m.onPromptFinished();
  assert.equal(m.onTimer(), [play(3, 'custom:east')]);
  assert.equal(m.state, { phase: 'playing', menu: 'east', failures: 0, digits: '', path: ['main', 'timeout', 'timeout', 'exhausted', 'east'] });
  // back from there returns to main: the exhausted hop counts as a visit.
  assert.equal(m.onDigit('*'), [STOP, play(4, 'builtin:welcome', 'builtin:main_menu')]);
});

test('onTimeout and onInvalid replace the notice-and-repeat', () => {
  const def = ivr();
  def.menus.main!.onTimeout = { type: 'operator' };
  def.menus.main!.onInvalid = { type: 'menu', menu: 'sales' };
  let m = waiting(machine(def));
  assert.equal(m.onTimer(), [{ type: 'exit', destination: { type: 'operator' }, path: ['main', 'timeout'] }]);
  m = waiting(machine(def));
  assert.equal(m.onDigit('6'), [CANCEL, play(2, 'custom:sales')]);
  assert.equal(m.state.path, ['main', '6', 'invalid', 'sales']);
});

test('onTimeout repeat replays the menu without the notice and still counts toward exhaustion', () => {
  const def = ivr();
  def.menus.main!.onTimeout = { type: 'repeat' };
  const m = waiting(machine(def));
  assert.equal(m.onTimer(), [play(2, 'builtin:welcome', 'builtin:main_menu')]);
  m.onPromptFinished();
  m.onTimer();
  m.onPromptFinished();
  assert.equal(m.onTimer()[0], { type: 'exit', destination: { type: 'operator' }, path: ['main', 'timeout', 'timeout', 'timeout', 'exhausted'] });
});

test('a menu may name its own invalid and timeout prompts', () => {
  const def = ivr();
  def.menus.main!.invalidPrompt = ['custom:oops', 'builtin:please_hold'];
  def.menus.main!.timeoutPrompt = 'custom:hello';
  const m = waiting(machine(def));
  assert.equal(m.onDigit('5')[1], play(2, 'custom:oops', 'builtin:please_hold', 'builtin:welcome', 'builtin:main_menu'));
  m.onPromptFinished();
  assert.equal(m.onTimer(), [play(3, 'custom:hello', 'builtin:welcome', 'builtin:main_menu')]);
});

test('entering a menu resets its failures; a key does not', () => {
  const m = waiting();
  m.onTimer();
  m.onPromptFinished();
  m.onTimer();
  assert.is(m.state.failures, 2);
  m.onDigit('1');
  assert.is(m.state.failures, 0);
});

test('operator goes to the IVR operator when it has one', () => {
  const m = waiting(machine(ivr({ operator: { type: 'extension', ext: '8001' } })));
  assert.equal(m.onDigit('0'), [CANCEL, { type: 'exit', destination: { type: 'extension', ext: '8001' }, path: ['main', '0'] }]);
});

// ---- direct dial

function directDial(): IvrDefinition {
  const def = ivr();
  def.menus.main!.directDial = true;
  def.menus.main!.keys['8'] = { type: 'queue', queue: 'eight' };
  def.menus.main!.keys['5'] = { type: 'queue', queue: 'five' };
  return def;
}

test('direct dial: digits that begin an extension are collected with the inter-digit timeout and dialled when complete', () => {
  const m = machine(directDial());
  m.start();
  assert.equal(m.onDigit('2'), [STOP, timer(2000)]);
  assert.equal(m.state.phase, 'dialing');
  assert.equal(m.onDigit('0'), [CANCEL, timer(2000)]);
  assert.equal(m.onDigit('2'), [CANCEL, { type: 'exit', destination: { type: 'extension', ext: '202' }, path: ['main', '202'] }]);
});

test('direct dial: key 2 normally leads to its queue, but here 2 begins extensions, so it waits; alone it is the key', () => {
  const m = machine(directDial());
  m.start();
  m.onDigit('2');
  assert.equal(m.onTimer(), [{ type: 'exit', destination: { type: 'queue', queue: 'support' }, path: ['main', '2'] }]);
});

test('direct dial: key 8 and extension 8001 — 8 then silence takes the key, 8001 dials the extension', () => {
  let m = waiting(machine(directDial()));
  assert.equal(m.onDigit('8'), [CANCEL, timer(2000)]);
  assert.equal(m.onTimer(), [{ type: 'exit', destination: { type: 'queue', queue: 'eight' }, path: ['main', '8'] }]);
  m = waiting(machine(directDial()));
  for (const d of '800') m.onDigit(d);
  assert.equal(m.onDigit('1')[1], { type: 'exit', destination: { type: 'extension', ext: '8001' }, path: ['main', '8001'] });
});

test('direct dial: # ends the entry at once, as the inter-digit timeout would', () => {
  const m = waiting(machine(directDial()));
  m.onDigit('8');
  assert.equal(m.onDigit('#'), [CANCEL, { type: 'exit', destination: { type: 'queue', queue: 'eight' }, path: ['main', '8'] }]);
});

test('direct dial: an incomplete number at the inter-digit timeout is an invalid entry', () => {
  const m = waiting(machine(directDial()));
  m.onDigit('2');
  m.onDigit('0');
  assert.equal(m.onTimer(), [play(2, 'builtin:invalid', 'builtin:welcome', 'builtin:main_menu')]);
  assert.equal(m.state.path, ['main', '20', 'invalid']);
  assert.is(m.state.failures, 1);
});

test('direct dial: a digit that cannot continue any extension is invalid at once', () => {
  const m = waiting(machine(directDial()));
  m.onDigit('2');
  assert.equal(m.onDigit('9'), [CANCEL, play(2, 'builtin:invalid', 'builtin:welcome', 'builtin:main_menu')]);
  assert.equal(m.state.path, ['main', '29', 'invalid']);
  assert.is(m.state.digits, '');
});

test('direct dial: a single-digit extension is dialled, unless a key has that digit (the key wins)', () => {
  const def = ivr();
  def.menus.main!.directDial = true;
  let m = waiting(machine(def));
  assert.equal(m.onDigit('5'), [CANCEL, { type: 'exit', destination: { type: 'extension', ext: '5' }, path: ['main', '5'] }]);
  m = waiting(machine(directDial()));
  assert.equal(m.onDigit('5')[1], { type: 'exit', destination: { type: 'queue', queue: 'five' }, path: ['main', '5'] });
});

test('without directDial, a digit that begins an extension is just an unassigned key', () => {
  const m = waiting();
  assert.equal(m.onDigit('8'), [CANCEL, play(2, 'builtin:invalid', 'builtin:welcome', 'builtin:main_menu')]);
});

// ---- the contract with the call layer

test('a late "prompt finished" for a stopped playback is ignored when the id is passed', () => {
  const m = machine();
  m.start();
  m.onDigit('1'); // stops playback 1, plays 2
  assert.equal(m.onPromptFinished(1), []);
  assert.is(m.state.phase, 'playing');
  assert.equal(m.onPromptFinished(2), [timer(5000)]);
});

test('a timer that was cancelled, or fires while a prompt plays, is ignored', () => {
  const m = machine();
  m.start();
  assert.equal(m.onTimer(), []);
  m.onPromptFinished();
  m.onDigit('1');
  assert.equal(m.onTimer(), []);
  assert.is(m.state.menu, 'sales');
});

test('after exit, and before start, the machine ignores every input', () => {
  const fresh = machine();
  assert.equal(fresh.onDigit('1'), []);
  assert.equal(fresh.onTimer(), []);
  assert.equal(fresh.onPromptFinished(), []);
  const m = waiting();
  m.onDigit('#');
  assert.equal(m.onDigit('1'), []);
  assert.equal(m.onTimer(), []);
  assert.equal(m.onPromptFinished(), []);
});

test('DTMF A-D (not on phones) is ignored, not an invalid key', () => {
  const m = waiting();
  assert.equal(m.onDigit('A'), []);
  assert.is(m.state.failures, 0);
  assert.is(m.state.phase, 'waiting');
});

test('never two timers or two playbacks: every startTimer/play is preceded by ending the previous one', () => {
  // Random walk over inputs, tracking what the call layer would have running.
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let run = 0; run < 200; run++) {
    const m = machine(directDial());
    let playing = false;
    let timing = false;
    const apply = (out: Action[]) => {
      for (const a of out) {
        if (a.type === 'play') { assert.not.ok(playing, 'play while playing'); playing = true; }
        if (a.type === 'stopPlay') { assert.ok(playing, 'stopPlay with nothing playing'); playing = false; }
        if (a.type === 'startTimer') { assert.not.ok(timing, 'two timers'); timing = true; }
        if (a.type === 'cancelTimer') { assert.ok(timing, 'cancelTimer with no timer'); timing = false; }
        if (a.type === 'exit') assert.ok(!playing && !timing, 'exit left a prompt or timer running');
      }
    };
    apply(m.start());
    for (let step = 0; step < 60 && m.state.phase !== 'done'; step++) {
      const r = rnd(10);
      if (r < 3 && playing) { playing = false; apply(m.onPromptFinished()); }
      else if (r < 6 && timing) { timing = false; apply(m.onTimer()); }
      else apply(m.onDigit('0123456789*#'[rnd(12)]!));
    }
  }
});

test('start twice throws; an IVR whose menus point nowhere is refused before any call', () => {
  const m = machine();
  m.start();
  assert.throws(() => m.start(), /already started/);
  const def = ivr();
  def.menus.main!.keys['4'] = { type: 'menu', menu: 'nope' };
  assert.throws(() => machine(def), /menus\.main\.keys\.4: menu "nope" does not exist/);
});

test.run();
