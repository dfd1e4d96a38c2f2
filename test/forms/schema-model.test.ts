// The admin forms' model on the box's real schemas (as config/schema/get
// serves them): which control each field gets, the first value of a new
// document matching what the box would store, trunk ports typed as ranges,
// cheap checks, the box's field errors placed beside the right field, and
// blank optional fields left out of what is sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectionSchemas } from '../../src/config/form-schemas.js';
import { KIND_SCHEMAS, type ConfigKind } from '../../src/config/kinds.js';
import {
  fieldKind, discriminator, unionOption, isOptionalBlock, initialValue, humanise, parseList, formatList, checkValue,
  parseNumber, setIn, getIn, fieldPaths, placeErrors, pruneForSave, blocks, type JsonSchema,
} from '../../ui/src/forms/schema-model.js';

const schemaOf = (kind: ConfigKind): JsonSchema => collectionSchemas().find((c) => c.kind === kind)!.schema as JsonSchema;
const prop = (s: JsonSchema, path: string): JsonSchema => path.split('.').reduce((x, k) => x.properties![k]!, s);

test('every collection the config commands serve has a schema, an id field and the hot flag', () => {
  const kinds = collectionSchemas().map((c) => c.kind).sort();
  assert.equal(kinds, Object.keys(KIND_SCHEMAS).sort());
  const ext = collectionSchemas().find((c) => c.kind === 'extension')!;
  assert.is(ext.idField, 'ext');
  assert.is(collectionSchemas().find((c) => c.kind === 'settings')!.singleton, 'main');
  assert.is(prop(ext.schema as JsonSchema, 'ext').description, 'the number dialled to reach it');
  assert.is(prop(ext.schema as JsonSchema, 'ringSec').default, 25);
});

test('trunk fields: text, selects, a port list, disconnect checks and the optional R2 block', () => {
  const trunk = schemaOf('trunk');
  const kinds = Object.fromEntries(Object.entries(trunk.properties!).map(([k, s]) => [k, fieldKind(s)]));
  assert.equal(kinds, {
    id: 'text', name: 'text', ports: 'list', callerId: 'select', disconnect: 'checks', answerSupervision: 'select',
    dialMode: 'select', recording: 'select', ani: 'text', r2: 'object',
  });
  assert.ok(isOptionalBlock(prop(trunk, 'r2'), false), 'r2 is switched on and off');
  assert.not.ok(isOptionalBlock(prop(schemaOf('extension'), 'voicemail'), false), 'a defaulted object is always there');
  assert.is(fieldKind(prop(trunk, 'r2.category')), 'number');
  assert.is(prop(trunk, 'r2.category').maximum, 15);
});

test('what cannot be drawn as fields is raw JSON; destinations are chosen by their type', () => {
  assert.is(fieldKind(prop(schemaOf('screening'), 'destination')), 'json', 'destination: unknown');
  const dest = prop(schemaOf('inboundRoute'), 'destination');
  assert.is(fieldKind(dest), 'union');
  assert.is(discriminator(dest), 'type');
  const ann = unionOption(dest, { type: 'announcement', prompt: 'x' })!;
  assert.is(fieldKind(ann.properties!.then!), 'json', 'the recursive "then" stays JSON');
  assert.is(fieldKind(prop(schemaOf('inboundRoute'), 'byState')), 'record');
  const queue = schemaOf('queue');
  assert.is(fieldKind(prop(queue, 'members')), 'rows');
  assert.is(fieldKind(prop(queue, 'skills')), 'record');
  assert.is(fieldKind(prop(queue, 'exitKeys')), 'record');
  assert.is(fieldKind(prop(queue, 'strategy')), 'select', 'the preprocessed enum is still a select');
  assert.is(fieldKind(prop(queue, 'overflow.maxWait')), 'union');
  const settings = schemaOf('settings');
  assert.is(fieldKind(prop(settings, 'featureCodes')), 'record');
  assert.is(fieldKind(prop(settings, 'acd.supervisors')), 'rows');
  assert.is(fieldKind(prop(settings, 'acd.supervisors').items!.properties!.may!), 'checks');
  assert.ok(isOptionalBlock(prop(settings, 'smtp'), false));
});

test('a new document starts as the box would store it', () => {
  for (const kind of ['extension', 'settings', 'queue', 'agent', 'mailbox'] as ConfigKind[]) {
    const first = initialValue(schemaOf(kind)) as Record<string, unknown>;
    // Fill the id fields the admin must type; the rest are the schema's defaults.
    const typed = { ...first, ...(kind === 'extension' ? { ext: '899' } : kind === 'settings' ? {} : { id: kind === 'queue' ? 'q1' : '899' }), ...(kind === 'agent' ? { ext: '801' } : {}) };
    const parsed = KIND_SCHEMAS[kind].safeParse(typed);
    assert.ok(parsed.success, `${kind}: ${JSON.stringify(parsed.success ? '' : parsed.error.issues)}`);
    assert.equal(typed, parsed.data, `${kind}: the form shows what would be stored`);
  }
  const ext = initialValue(schemaOf('extension')) as { voicemail: { enabled: boolean }; ext: string };
  assert.is(ext.voicemail.enabled, true, 'a defaulted {} is filled with its fields\' defaults');
  assert.is(ext.ext, '', 'a required string starts blank');
  assert.equal(initialValue(prop(schemaOf('trunk'), 'r2')), { variant: 'china', dnisDigits: 0, askAni: 'after-dnis', category: 1 });
});

test('ports typed as ranges are expanded and shown as ranges again', () => {
  const items = prop(schemaOf('trunk'), 'ports').items!;
  const r = parseList('1-4,13-27', items);
  assert.equal(r.problems, []);
  assert.equal(r.values, [1, 2, 3, 4, ...Array.from({ length: 15 }, (_, i) => 13 + i)]);
  assert.is(formatList(r.values, items), '1-4,13-27');
  assert.is(formatList([13, 14, 15, 16, 29, 30, 31, 5, 7, 8], items), '13-16,29-31,5,7,8');
  assert.equal(parseList('1, 2 3，4', items).values, [1, 2, 3, 4], 'commas, spaces and the Chinese comma');
  const back = parseList('27-13', items);
  assert.equal(back.problems, [{ code: 'range', item: '27-13' }]);
  assert.ok(blocks(back.problems[0]!), 'a backwards range stops the save');
  const zero = parseList('0,1', items);
  assert.equal(zero.problems, [{ code: 'item', item: '0', problem: { code: 'min', limit: 1 } }]);
  assert.not.ok(blocks(zero.problems[0]!), 'an out-of-range port is a hint: the box judges');
  assert.equal(zero.values, [0, 1]);
  const abc = parseList('1,x', items);
  assert.ok(blocks(abc.problems[0]!), '"x" is no number');
  const emails = parseList('a@b.cn, nope', prop(schemaOf('mailbox'), 'emails').items!);
  assert.equal(emails.values, ['a@b.cn', 'nope']);
  assert.equal(emails.problems, [{ code: 'item', item: 'nope', problem: { code: 'email' } }]);
});

test('cheap checks: patterns, limits, required and enums', () => {
  const ext = schemaOf('extension');
  assert.equal(checkValue(prop(ext, 'ext'), '1', true), { code: 'pattern' });
  assert.is(checkValue(prop(ext, 'ext'), '801', true), undefined);
  assert.equal(checkValue(prop(ext, 'ext'), '', true), { code: 'required' });
  assert.is(checkValue(prop(ext, 'voicemail.pin'), '', false), undefined, 'a blank optional PIN is no problem');
  assert.equal(checkValue(prop(ext, 'ringSec'), 200, false), { code: 'max', limit: 120 });
  assert.equal(checkValue(prop(ext, 'ringSec'), 7.5, false), { code: 'integer' });
  assert.equal(checkValue(prop(ext, 'port'), 0, false), { code: 'min', limit: 1 }, 'positive() as exclusiveMinimum');
  assert.equal(checkValue(prop(ext, 'cos'), 'galactic', false), { code: 'enum' });
  assert.equal(checkValue(prop(ext, 'name'), 'x'.repeat(41), false), { code: 'maxLength', limit: 40 });
  assert.equal(checkValue(prop(schemaOf('trunk'), 'ports'), [], true), { code: 'minItems', limit: 1 });
  assert.is(parseNumber(''), undefined);
  assert.ok(Number.isNaN(parseNumber('12abc')!));
  assert.is(parseNumber(' 42 '), 42);
});

test('the box\'s errors go beside the deepest field they name; the rest above the form', () => {
  const trunk = schemaOf('trunk');
  const doc = { id: 'e1', ports: [13, 14], r2: { variant: 'china', category: 1 } };
  const paths = fieldPaths(trunk, doc);
  assert.ok(paths.includes('r2.category') && paths.includes('ports'));
  const placed = placeErrors([
    { path: 'ports.1', message: 'port 14 already belongs to extension 805' },
    { path: 'r2.category', message: 'Number must be less than or equal to 15' },
    { path: '(document)', message: 'Unrecognized key(s) in object: \'x\'' },
    { path: 'nothing.here', message: '?' },
  ], paths);
  assert.equal(placed.get('ports')!.map((e) => e.path), ['ports.1']);
  assert.equal(placed.get('r2.category')!.length, 1);
  assert.equal(placed.get('')!.map((e) => e.path), ['(document)', 'nothing.here']);
  const queue = schemaOf('queue');
  const q = { id: 'q', members: [{ agent: '2001' }, { agent: '9999' }], overflow: { maxWait: { type: 'extension', ext: '1' } }, exitKeys: { 0: { type: 'operator' } } };
  const qp = fieldPaths(queue, q);
  assert.ok(qp.includes('members.1.agent'), 'rows');
  assert.ok(qp.includes('overflow.maxWait.ext'), 'union fields');
  assert.ok(qp.includes('exitKeys.0.type'), 'record values');
  assert.equal([...placeErrors([{ path: 'members.1.agent', message: 'agent 9999 does not exist' }], qp).keys()], ['members.1.agent']);
});

test('what is sent: blank optional fields left out, required blanks kept for the box to name', () => {
  const ext = schemaOf('extension');
  const out = pruneForSave(ext, { ext: '', name: '', pickupGroup: '', voicemail: { enabled: true, pin: '', email: '' }, forward: { always: '' } });
  assert.equal(out, { ext: '', voicemail: { enabled: true }, forward: {} }, 'a blank name is the default blank name');
  const trunk = pruneForSave(schemaOf('trunk'), { id: 't', ports: [1], r2: undefined, ani: '' });
  assert.equal(trunk, { id: 't', ports: [1] });
  const dest = prop(schemaOf('inboundRoute'), 'destination');
  assert.equal(pruneForSave(dest, { type: 'announcement', prompt: 'p', then: undefined }), { type: 'announcement', prompt: 'p' });
});

test('paths: set and get by dotted path, undefined removes, arrays by index', () => {
  const v = setIn({ a: { b: 1 } }, 'a.c', 2);
  assert.equal(v, { a: { b: 1, c: 2 } });
  assert.equal(setIn(v, 'a.b', undefined), { a: { c: 2 } });
  assert.equal(setIn({ m: [{ x: 1 }, { x: 2 }] }, 'm.1.x', 3), { m: [{ x: 1 }, { x: 3 }] });
  assert.is(getIn({ m: [{ x: 1 }] }, 'm.0.x'), 1);
  assert.is(getIn({}, 'a.b.c'), undefined);
});

test('labels: schema keys as words, units in brackets', () => {
  assert.is(humanise('callWaiting'), 'Call waiting');
  assert.is(humanise('dnisDigits'), 'DNIS digits');
  assert.is(humanise('r2'), 'R2');
  assert.is(humanise('maxWaitSec'), 'Max wait (s)');
  assert.is(humanise('minFreeMb'), 'Min free (MB)');
  assert.is(humanise('ext'), 'Ext');
});

test.run();
