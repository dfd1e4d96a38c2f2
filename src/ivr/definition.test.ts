import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../native/addon.js';
import { IVR_KEYS, ivrSchema, menuDestinations, promptList } from './definition.js';
import { formatIvrIssue, validateIvr } from './validate.js';

const minimal = { id: 'x', name: 'X', language: 'en', start: 'main', menus: { main: { prompt: 'builtin:welcome' } } };

test('a minimal menu gets every default', () => {
  const ivr = ivrSchema.parse(minimal);
  assert.equal(ivr.menus.main, {
    prompt: 'builtin:welcome', keys: {}, timeoutMs: 5000, interDigitMs: 2000, retries: 3,
    onExhausted: { type: 'operator' }, directDial: false,
  });
});

test('all twelve keys are accepted and listed in keypad order', () => {
  const keys = Object.fromEntries(IVR_KEYS.map((k) => [k, { type: 'hangup' }]));
  const ivr = ivrSchema.parse({ ...minimal, menus: { main: { prompt: 'builtin:welcome', keys, onTimeout: { type: 'repeat' } } } });
  assert.equal(menuDestinations(ivr.menus.main!).map(([where]) => where), [...IVR_KEYS.map((k) => `keys.${k}`), 'onTimeout', 'onExhausted']);
});

test('promptList turns one ref or a list into a list', () => {
  assert.equal(promptList('builtin:a'), ['builtin:a']);
  assert.equal(promptList(['builtin:a', 'custom:b']), ['builtin:a', 'custom:b']);
  assert.equal(promptList(undefined), []);
});

test('the example in docs/ivr.md is a valid IVR', () => {
  const doc = fs.readFileSync(path.join(projectRoot(), 'docs', 'ivr.md'), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(json, 'docs/ivr.md has a json example');
  const yes = () => true;
  const r = validateIvr(JSON.parse(json!), { promptExists: yes, extensionExists: yes, queueExists: yes, voicemailExists: yes, ivrExists: yes });
  assert.ok(r.ok, r.ok ? '' : r.errors.map(formatIvrIssue).join('\n'));
});

test.run();
