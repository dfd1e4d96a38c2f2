// Configuration is checked on save, as a whole and field by field: bad input
// is refused with a message naming the field, and nothing half-saved remains.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { openDatabase } from '../store/db.js';
import { ConfigService, ConfigError } from './config-service.js';
import { promptExists, importPrompt, PromptError } from '../prompts/library.js';
import { projectRoot } from '../native/addon.js';

const demo = () => JSON.parse(fs.readFileSync(path.join(projectRoot(), 'config', 'demo.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-config-'));
const dirs = { projectRoot: projectRoot(), dataDir };
const fresh = () => new ConfigService(new Store(openDatabase(':memory:')), { promptExists: (r, l) => promptExists(r, l, dirs) });

function refused(fn: () => unknown, ...needles: string[]): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ConfigError);
    for (const n of needles) assert.ok((e as Error).message.includes(n), `expected "${n}" in: ${(e as Error).message}`);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

test('the demo configuration is valid and round-trips through export', () => {
  const c = fresh();
  c.importBundle(demo());
  assert.is(c.extensions().length, 8);
  const again = fresh();
  again.importBundle(c.exportBundle());
  assert.equal(again.exportBundle(), c.exportBundle());
});

test('an IVR whose menus loop with no way out is refused and nothing is imported', () => {
  const c = fresh();
  c.importBundle(demo());
  const bad = demo();
  bad.ivr!.main = {
    id: 'main', name: 'Loop', language: 'zh', start: 'a',
    menus: {
      a: { prompt: 'builtin:welcome', keys: { '1': { type: 'menu', menu: 'b' } }, onExhausted: { type: 'menu', menu: 'b' } },
      b: { prompt: 'builtin:welcome', keys: { '1': { type: 'menu', menu: 'a' } }, onExhausted: { type: 'menu', menu: 'a' } },
    },
  };
  const e = refused(() => c.importBundle(bad), 'ivr.main');
  assert.ok(e.errors.some((x) => /loop|never|trap/i.test(x.message)), e.message);
  assert.is(c.doc('ivr', 'main')!.name, 'Main menu', 'the old configuration is untouched');
});

test('a route to a queue that does not exist names the field', () => {
  const c = fresh();
  c.importBundle(demo());
  const route = { ...demo().inboundRoute!.main, byState: { default: { type: 'queue', queue: 'sales' } } };
  refused(() => c.put('inboundRoute', 'main', route), 'byState.default.queue', 'queue sales does not exist');
});

test('a malformed number pattern is refused with the position', () => {
  const c = fresh();
  c.importBundle(demo());
  refused(() => c.put('outboundRoute', 'city', { ...demo().outboundRoute!.city, patterns: ['_9[0-'] }), 'patterns.0');
  refused(() => c.put('screening', 'x', { id: 'x', list: 'block', match: { type: 'pattern', value: '_13[' } }), 'match.value');
});

test('wrong fields name themselves: unknown keys, bad ports, duplicate ports, missing operator', () => {
  const c = fresh();
  c.importBundle(demo());
  refused(() => c.put('extension', '809', { ext: '809', prot: 13 }), 'Unrecognized key');
  refused(() => c.put('extension', '809', { ext: '809', port: 6 }), 'port', 'already belongs to extension 802');
  refused(() => c.put('extension', '810', { ext: '809' }), 'ext');
  refused(() => c.put('settings', 'main', { operator: '999' }), 'operator', 'extension 999 does not exist');
  refused(() => c.remove('extension', '801'), 'operator');
  assert.ok(c.extension('801'), 'a refused removal removes nothing');
});

test('a corrupt prompt file is refused on upload and cannot be referenced', async () => {
  const bad = path.join(dataDir, 'bad.wav');
  fs.writeFileSync(bad, Buffer.concat([Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt '), Buffer.alloc(20, 7)]));
  try {
    await importPrompt(bad, 'greeting', dirs);
    assert.unreachable('corrupt file accepted');
  } catch (e) {
    assert.instance(e, PromptError);
  }
  const c = fresh();
  c.importBundle(demo());
  refused(() => c.put('inboundRoute', 'main', { ...demo().inboundRoute!.main, byState: { default: { type: 'announcement', prompt: 'custom:greeting' } } }), 'prompt custom:greeting does not exist');
});

test('a configuration imported by another process is picked up by the running one', () => {
  const file = path.join(dataDir, 'shared.db');
  const env = { promptExists: (r: string, l: 'zh' | 'en') => promptExists(r, l, dirs) };
  const running = new ConfigService(Store.open(file), env);
  running.importBundle(demo());
  assert.not.ok(running.reloadIfChanged(), 'its own writes are not a change from outside');
  const cli = new ConfigService(Store.open(file), env);
  const next = demo();
  next.extension!['801'] = { ...next.extension!['801'], name: 'Front desk' };
  cli.importBundle(next);
  assert.is(running.extension('801')!.name, 'Operator');
  assert.ok(running.reloadIfChanged());
  assert.is(running.extension('801')!.name, 'Front desk');
});

test.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
test.run();
