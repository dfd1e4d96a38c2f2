import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeDestination, destinationSchema, type Destination } from './destination.js';

const all: Destination[] = [
  { type: 'extension', ext: '8001' },
  { type: 'queue', queue: 'sales' },
  { type: 'ivr', menu: 'main' },
  { type: 'voicemail', box: '800' },
  { type: 'timecondition', id: 'office' },
  { type: 'external', number: '13800138000' },
  { type: 'hangup' },
  { type: 'busy' },
  { type: 'congestion' },
  { type: 'announcement', prompt: 'closed', then: { type: 'voicemail', box: '800' } },
  { type: 'announcement', prompt: 'closed' },
  { type: 'operator' },
];

const issues = (input: unknown) => {
  const r = destinationSchema.safeParse(input);
  assert.not.ok(r.success, `expected ${JSON.stringify(input)} to be rejected`);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('every destination type parses back to itself', () => {
  for (const d of all) assert.equal(destinationSchema.parse(d), d);
});

test('announcements nest, and a bad nested destination is reported at its path', () => {
  const nested = { type: 'announcement', prompt: 'a', then: { type: 'announcement', prompt: 'b', then: { type: 'queue', queue: 'q' } } };
  assert.equal(destinationSchema.parse(nested), nested);
  const bad = issues({ type: 'announcement', prompt: 'a', then: { type: 'queue' } });
  assert.ok(bad.some((i) => i.startsWith('then.queue:')), bad.join('; '));
});

test('unknown types, typo keys and bad numbers are rejected', () => {
  assert.ok(issues({ type: 'fax' })[0]!.includes('Invalid discriminator'));
  assert.ok(issues({ type: 'extension', exten: '8001' }).length > 0);
  assert.ok(issues({ type: 'extension', ext: '8001', extra: 1 }).some((i) => i.includes('Unrecognized')));
  assert.ok(issues({ type: 'extension', ext: '80a1' }).some((i) => i.startsWith('ext:')));
  assert.ok(issues({ type: 'external', number: '138 0013 8000' }).some((i) => i.startsWith('number:')));
  assert.ok(issues({ type: 'queue', queue: '' }).some((i) => i.startsWith('queue:')));
  assert.ok(destinationSchema.safeParse({ type: 'external', number: '+8613800138000' }).success);
});

test('descriptions read as a journal line', () => {
  assert.equal(all.map(describeDestination), [
    'extension 8001',
    'queue sales',
    'IVR menu main',
    'voicemail box 800',
    'time condition office',
    'external number 13800138000',
    'hang up',
    'busy tone',
    'congestion tone',
    'announcement closed, then voicemail box 800',
    'announcement closed, then hang up',
    'operator',
  ]);
});

test.run();
