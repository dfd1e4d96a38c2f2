// The dahdi driver takes its channels from what the kernel reports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { detectBoards } from '../boards/detect.js';
import { loadProfiles } from '../boards/profiles.js';
import { dahdiOptionsFromInventory } from './config.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/dahdi/', import.meta.url));
const profiles = loadProfiles();
const inv = (c: string) => detectBoards({ root: fixtures + c, profiles });

test('a TDM410 becomes its analog channels with their kinds', () => {
  const o = dahdiOptionsFromInventory(inv('tdm410'));
  assert.is(o.driver, 'dahdi');
  assert.ok(o.channels!.length > 0);
  for (const c of o.channels!) assert.ok(['fxo', 'fxs'].includes(String(c.kind)), `channel ${c.channo} is ${c.kind}`);
});

test('an E1 card gives bearer channels and its D-channel', () => {
  const o = dahdiOptionsFromInventory(inv('te122'));
  const kinds = new Set(o.channels!.map((c) => c.kind));
  assert.ok(kinds.has('e1'), [...kinds].join());
});

test('no DAHDI, or DAHDI without channels, is a clear error', () => {
  assert.throws(() => dahdiOptionsFromInventory(inv('empty')), /DAHDI is not loaded/);
  assert.throws(() => dahdiOptionsFromInventory(inv('no-such-tree')), /DAHDI is not loaded/);
});

test.run();
