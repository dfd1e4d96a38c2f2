// The feature-code table in docs/calls.md is the one users read: it must list
// exactly the codes the phones obey.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { FEATURE_CODES, settingsSchema } from '../config/schemas.js';
import { parseFeature, featureCode } from './feature-codes.js';
import { projectRoot } from '../native/addon.js';

test('docs/calls.md lists every feature code as the code defines it', () => {
  const doc = fs.readFileSync(path.join(projectRoot(), 'docs', 'calls.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (\w+) \| `([0-9*#]+)` \|/gm)].map((m) => [m[1], m[2]]);
  assert.equal(Object.fromEntries(rows), { ...FEATURE_CODES });
});

test('the longest code wins and settings override the defaults', () => {
  const s = settingsSchema.parse({});
  assert.equal(parseFeature(s, '*9712'), { name: 'voicemail', arg: '12' });
  assert.equal(parseFeature(s, '*98800#'), { name: 'voicemailAny', arg: '800#' });
  assert.equal(parseFeature(s, '**803#'), { name: 'directedPickup', arg: '803#' });
  const custom = settingsSchema.parse({ featureCodes: { record: '*1' } });
  assert.is(featureCode(custom, '5*1', ['record']), 'record');
  assert.is(featureCode(custom, '*8', ['record']), null);
});

test.run();
