import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ivrSchema } from './definition.js';
import { MenuMachine } from './menu-machine.js';
import { formatIvrIssue, validateIvr, type IvrContext, type IvrValidation } from './validate.js';

const ctx: IvrContext = {
  promptExists: (ref) => ref.startsWith('builtin:') || ref === 'custom:sales',
  extensionExists: (ext) => ['201', '202', '8001'].includes(ext),
  queueExists: (q) => q === 'support',
  voicemailExists: (b) => b === '300',
  ivrExists: (id) => id === 'night',
};

/** An IVR as raw JSON, loosely typed so tests can break it. */
type Raw = { [field: string]: unknown; menus: Record<string, Record<string, unknown> & { keys?: Record<string, unknown> }> };

function base(): Raw {
  return {
    id: 'hotline',
    name: 'Hotline',
    language: 'zh',
    start: 'main',
    menus: {
      main: {
        prompt: ['builtin:welcome', 'builtin:main_menu'],
        keys: { '1': { type: 'menu', menu: 'sales' }, '2': { type: 'queue', queue: 'support' }, '0': { type: 'operator' } },
      },
      sales: { prompt: 'custom:sales', keys: { '1': { type: 'extension', ext: '201' }, '*': { type: 'back' } } },
    },
  };
}

function errors(r: IvrValidation): string[] {
  return r.ok ? [] : r.errors.map(formatIvrIssue);
}

function expectErrors(raw: unknown, ...needles: string[]): string[] {
  const r = validateIvr(raw, ctx);
  const got = errors(r);
  assert.not.ok(r.ok, `expected errors ${JSON.stringify(needles)}, the IVR was accepted`);
  for (const n of needles) assert.ok(got.some((e) => e.includes(n)), `expected an error containing\n  ${n}\ngot\n  ${got.join('\n  ')}`);
  return got;
}

test('a correct IVR is accepted with its defaults filled in', () => {
  const r = validateIvr(base(), ctx);
  assert.ok(r.ok, errors(r).join('\n'));
  if (!r.ok) return;
  const sales = r.ivr.menus.sales!;
  assert.equal(
    { timeoutMs: sales.timeoutMs, interDigitMs: sales.interDigitMs, retries: sales.retries, onExhausted: sales.onExhausted, directDial: sales.directDial },
    { timeoutMs: 5000, interDigitMs: 2000, retries: 3, onExhausted: { type: 'operator' }, directDial: false },
  );
  assert.equal(r.warnings, []);
});

test('schema errors name the field path', () => {
  const raw = base();
  raw.menus.main!.keys!['A'] = { type: 'hangup' };
  raw.menus.main!.keys!['3'] = { type: 'teleport' };
  raw.menus.main!.keys!['4'] = { type: 'extension' };
  raw.menus.sales!.timeoutMS = 3000;
  raw.menus.sales!.prompt = 'sales';
  const got = expectErrors(raw,
    'menus.main.keys.A: a key must be one of 0-9, * or #',
    'menus.main.keys.3.type: type must be one of menu, back, repeat, extension, queue, voicemail, external, operator, hangup or ivr',
    'menus.main.keys.4.ext: Required',
    "menus.sales: Unrecognized key(s) in object: 'timeoutMS'",
    'menus.sales.prompt: must be "builtin:<name>" or "custom:<name>"',
  );
  assert.is(got.length, 5, got.join('\n'));
});

test('menu ids start with a letter and may not be a journal word', () => {
  const raw = base();
  raw.menus['timeout'] = { prompt: 'builtin:timeout' };
  raw.menus['9x'] = { prompt: 'builtin:timeout' };
  expectErrors(raw, 'menus.timeout: "timeout", "invalid" and "exhausted" are reserved', 'menus.9x: a menu id is 1-64 characters');
});

test('the start menu must exist', () => {
  expectErrors({ ...base(), start: 'welcome' }, 'start: menu "welcome" does not exist (menus: "main", "sales")');
});

test('references to menus, extensions, queues, voicemail boxes and IVRs must exist', () => {
  const raw = base();
  raw.menus.sales!.keys = {
    '1': { type: 'extension', ext: '999' },
    '2': { type: 'queue', queue: 'billing' },
    '3': { type: 'menu', menu: 'nope' },
    '4': { type: 'voicemail', box: '301' },
    '5': { type: 'ivr', id: 'weekend' },
    '6': { type: 'ivr', id: 'night' },
    '7': { type: 'external', number: '+8613800138000' },
    '*': { type: 'back' },
  };
  const got = expectErrors(raw,
    'menus.sales.keys.1: extension "999" does not exist',
    'menus.sales.keys.2: queue "billing" does not exist',
    'menus.sales.keys.3: menu "nope" does not exist',
    'menus.sales.keys.4: voicemail box "301" does not exist',
    'menus.sales.keys.5: IVR "weekend" does not exist',
  );
  assert.is(got.length, 5, got.join('\n'));
});

test('an IVR cannot send callers into itself; the IVR operator is checked too', () => {
  const raw = { ...base(), operator: { type: 'queue', queue: 'reception' } };
  raw.menus.main!.keys!['9'] = { type: 'ivr', id: 'hotline' };
  expectErrors(raw, 'menus.main.keys.9: IVR "hotline" is this IVR; to start over use {"type":"menu","menu":"main"}', 'operator: queue "reception" does not exist');
  expectErrors({ ...base(), operator: { type: 'operator' } }, 'operator.type: type must be one of extension, queue, voicemail, external, hangup or ivr');
});

test('back in the start menu has nowhere to go', () => {
  const raw = base();
  raw.menus.main!.keys!['*'] = { type: 'back' };
  expectErrors(raw, 'menus.main.keys.*: "back" in the start menu "main" has nowhere to go back to');
});

test('menus that cannot be reached from the start menu are reported', () => {
  const raw = base();
  raw.menus['orphan'] = { prompt: 'builtin:welcome', keys: { '1': { type: 'hangup' } } };
  const got = expectErrors(raw, 'menus.orphan: menu "orphan" cannot be reached from the start menu "main"');
  assert.is(got.length, 1, got.join('\n'));
});

test('missing prompts are reported per list entry; the default invalid/timeout prompts only when they would play', () => {
  const raw = base();
  raw.menus.main!.prompt = ['builtin:welcome', 'custom:gone'];
  raw.menus.sales!.invalidPrompt = 'custom:oops';
  expectErrors(raw, 'menus.main.prompt.1: prompt "custom:gone" does not exist (zh)', 'menus.sales.invalidPrompt: prompt "custom:oops" does not exist (zh)');

  const noBuiltins: IvrContext = { ...ctx, promptExists: (ref) => ref !== 'builtin:timeout' };
  const r = validateIvr(base(), noBuiltins);
  assert.equal(errors(r), [
    'menus.main.timeoutPrompt: prompt "builtin:timeout" (played when timeoutPrompt is not set) does not exist (zh)',
    'menus.sales.timeoutPrompt: prompt "builtin:timeout" (played when timeoutPrompt is not set) does not exist (zh)',
  ]);
  const quiet = base();
  quiet.menus.main!.onTimeout = { type: 'operator' };
  quiet.menus.sales!.timeoutPrompt = 'custom:sales';
  assert.ok(validateIvr(quiet, noBuiltins).ok, 'onTimeout set: the timeout prompt never plays');
});

test('the prompt check is given the IVR language', () => {
  const langs: string[] = [];
  validateIvr({ ...base(), language: 'en' }, { ...ctx, promptExists: (_r, lang) => (langs.push(lang), true) });
  assert.ok(langs.length > 0 && langs.every((l) => l === 'en'));
});

test('a trap — menus whose every key, timeout and exhaustion leads back among themselves — is refused', () => {
  const raw = base();
  raw.menus.sales = {
    prompt: 'custom:sales',
    keys: { '1': { type: 'menu', menu: 'more' } },
    onExhausted: { type: 'menu', menu: 'more' },
  };
  raw.menus['more'] = { prompt: 'builtin:welcome', keys: { '1': { type: 'menu', menu: 'sales' } }, onExhausted: { type: 'repeat' } };
  const got = expectErrors(raw, 'menus.sales.onExhausted: callers are trapped: from "sales" every key, timeout, invalid key and exhausted retry leads only to menus "sales", "more"');
  assert.is(got.length, 1, got.join('\n'));
});

test('back counts as a way out of a trap when the menu it returns to has one', () => {
  const raw = base();
  raw.menus.sales = { prompt: 'custom:sales', keys: { '*': { type: 'back' } }, onExhausted: { type: 'back' } };
  assert.ok(validateIvr(raw, ctx).ok, errors(validateIvr(raw, ctx)).join('\n'));
});

test('the typical loop: onExhausted back into the menu a silent caller came from', () => {
  const raw = base();
  raw.menus.main!.onExhausted = { type: 'menu', menu: 'sales' };
  raw.menus.sales!.onExhausted = { type: 'menu', menu: 'main' };
  const got = expectErrors(raw, 'a caller who presses nothing goes round "main" → "sales" → "main" forever and the line is never freed');
  assert.is(got.length, 1, got.join('\n'));
  assert.match(got[0]!, /^menus\.(main|sales)\.onExhausted: /);
});

test('a silent loop through onTimeout and back is found; the field named is the one that loops', () => {
  const raw = base();
  raw.menus.main!.onTimeout = { type: 'menu', menu: 'sales' };
  raw.menus.sales!.onExhausted = { type: 'back' };
  const got = expectErrors(raw, 'goes round');
  assert.ok(got.some((e) => e.startsWith('menus.main.onTimeout: ') || e.startsWith('menus.sales.onExhausted: ')), got.join('\n'));
});

test('onExhausted repeat, or a menu exhausting into itself, keeps a silent caller forever', () => {
  let raw = base();
  raw.menus.main!.onExhausted = { type: 'repeat' };
  expectErrors(raw, 'menus.main.onExhausted: a caller who presses nothing hears "main" again and again forever');
  raw = base();
  raw.menus.sales!.onExhausted = { type: 'menu', menu: 'sales' };
  expectErrors(raw, 'menus.sales.onExhausted: a caller who presses nothing hears "sales" again and again');
});

test('a silent caller that ends up with the operator is fine, however many menus lie between', () => {
  const raw = base();
  raw.menus.sales!.onExhausted = { type: 'back' };
  raw.menus.main!.onExhausted = { type: 'hangup' };
  assert.ok(validateIvr(raw, ctx).ok, errors(validateIvr(raw, ctx)).join('\n'));
});

test('the validator and the machine agree on what a silent caller does', () => {
  const cases: [string, (raw: Raw) => void][] = [
    ['exhausted into each other', (r) => { r.menus.main!.onExhausted = { type: 'menu', menu: 'sales' }; r.menus.sales!.onExhausted = { type: 'menu', menu: 'main' }; }],
    ['timeout into back', (r) => { r.menus.main!.onTimeout = { type: 'menu', menu: 'sales' }; r.menus.sales!.onExhausted = { type: 'back' }; }],
    ['back then hangup', (r) => { r.menus.main!.onTimeout = { type: 'menu', menu: 'sales' }; r.menus.main!.retries = 1; r.menus.main!.onExhausted = { type: 'hangup' }; r.menus.sales!.onExhausted = { type: 'back' }; }],
    ['defaults', () => {}],
  ];
  for (const [name, edit] of cases) {
    const raw = base();
    edit(raw);
    const loose = validateIvr(raw, { ...ctx, promptExists: () => true });
    const accepted = loose.ok;
    // Run the machine on the schema-parsed IVR whatever the verdict.
    const m = new MenuMachine(ivrSchema.parse(raw), { isExtension: () => 'no' });
    m.start();
    let exited = false;
    for (let i = 0; i < 500 && !exited; i++) {
      const out = m.state.phase === 'playing' ? m.onPromptFinished() : m.onTimer();
      exited = out.some((a) => a.type === 'exit');
    }
    assert.is(exited, accepted, `${name}: machine ${exited ? 'exits' : 'loops'}, validator ${accepted ? 'accepts' : 'refuses'}`);
  }
});

test('directDial: a key that also begins extensions is allowed, with a warning that states the wait', () => {
  const raw = base();
  raw.menus.main!.directDial = true;
  raw.menus.main!.keys!['8'] = { type: 'queue', queue: 'support' };
  raw.menus.main!.keys!['7'] = { type: 'queue', queue: 'support' };
  const r = validateIvr(raw, { ...ctx, isExtension: (d) => (d === '7' ? 'yes' : '8001'.startsWith(d) ? 'prefix' : 'no') });
  assert.ok(r.ok, errors(r).join('\n'));
  assert.equal(r.warnings.map(formatIvrIssue), [
    'menus.main.keys.7: extension 7 cannot be dialled from this menu: the key 7 takes it',
    'menus.main.keys.8: extensions begin with 8: after 8 the menu waits interDigitMs (2000 ms) for more digits before taking the key',
  ]);
});

test('every problem is reported at once', () => {
  const raw = base();
  raw.menus.main!.keys!['*'] = { type: 'back' };
  raw.menus.sales!.keys!['1'] = { type: 'extension', ext: '999' };
  raw.menus['orphan'] = { prompt: 'custom:none' };
  const got = expectErrors(raw, 'menus.main.keys.*', 'menus.sales.keys.1', 'menus.orphan.prompt', 'menus.orphan: menu "orphan" cannot be reached');
  assert.is(got.length, 4, got.join('\n'));
});

test.run();
