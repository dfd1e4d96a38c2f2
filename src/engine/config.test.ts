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

test('an E1 span dahdi_cfg set up as CAS is MFC/R2; one with a D-channel is SS7 bearers plus the link', () => {
  const r2 = dahdiOptionsFromInventory(inv('te122-r2')).channels!;
  assert.ok(r2.length >= 30 && r2.every((c) => c.kind === 'e1-r2'), [...new Set(r2.map((c) => c.kind))].join());
  assert.not.ok(r2.some((c) => c.channo === 16), 'timeslot 16 carries the CAS bits, no channel');
  const ss7 = dahdiOptionsFromInventory(inv('te122')).channels!;
  assert.equal(ss7.filter((c) => c.kind === 'dchan').map((c) => c.channo), [16]);
  assert.is(ss7.filter((c) => c.kind === 'e1').length, 30);
});

test('no DAHDI, or DAHDI without channels, is a clear error', () => {
  assert.throws(() => dahdiOptionsFromInventory(inv('empty')), /DAHDI is not loaded/);
  assert.throws(() => dahdiOptionsFromInventory(inv('no-such-tree')), /DAHDI is not loaded/);
});

test.run();
