import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { parseCommandLine, pairsToInput, tokenize } from './command-line.js';
import { escapeText, formatResult, formatError } from './format.js';
import { ApiError } from '../api/errors.js';

const pause = z.object({ agent: z.string(), reason: z.string().default('break') }).strict();
const revoke = z.object({ id: z.number().int(), on: z.boolean().optional(), tags: z.array(z.string()).optional(), doc: z.object({ port: z.number() }).optional() }).strict();

test('key=value pairs after the command name; digits stay strings where the schema wants a string', () => {
  const p = parseCommandLine('acd/agent/pause agent=2001 reason=lunch');
  assert.equal(p.words, ['acd/agent/pause']);
  assert.equal(pairsToInput(p.pairs, pause), { agent: '2001', reason: 'lunch' });
});

test('numbers, booleans, lists and nested fields follow the schema; quotes keep spaces', () => {
  const p = parseCommandLine('x/y/z id=3 on=true tags=a,b doc.port=5 --json');
  assert.ok(p.rawJson);
  assert.equal(pairsToInput(p.pairs, revoke), { id: 3, on: true, tags: ['a', 'b'], doc: { port: 5 } });
  assert.equal(tokenize('a name="Wang Li" note=\'it\'\'s\' q="say \\"hi\\""'), ['a', 'name=Wang Li', "note=its", 'q=say "hi"']);
  assert.equal(pairsToInput(parseCommandLine('x/y/z id=abc').pairs, revoke), { id: 'abc' }, 'not a number: left for validation to refuse');
});

test('a JSON object instead of pairs, with --json before or after', () => {
  const p = parseCommandLine('config/doc/get {"kind":"extension","id":"801"}');
  assert.equal([p.words, p.json, p.rawJson], [['config/doc/get'], { kind: 'extension', id: '801' }, false]);
  assert.equal(parseCommandLine('config/doc/get --json {"kind":"extension"}').rawJson, true);
  assert.equal(parseCommandLine('config/doc/get {"kind":"extension"} --json').json, { kind: 'extension' });
});

test('bad lines are validation_failed with the field named', () => {
  const err = (f: () => unknown) => { try { f(); } catch (e) { return (e as ApiError).fields?.[0]?.path; } return 'no error'; };
  assert.is(err(() => parseCommandLine('a/b/c {"kind":')), '(input)');
  assert.is(err(() => parseCommandLine('a/b/c agent="2001')), '(line)');
  assert.is(err(() => parseCommandLine('a/b/c agent=1 stray')), 'stray');
  assert.is(err(() => pairsToInput([['agent', '1'], ['agent', '2']], pause)), 'agent');
  assert.is(err(() => pairsToInput([['__proto__.x', '1']], pause)), '__proto__.x');
});

test('line data is printed with control characters escaped: ESC sequences, BEL, C1 CSI, newlines', () => {
  assert.is(escapeText('\x1b[2J\x1b]0;owned\x07A\u009b1m\nB'), '\\x1b[2J\\x1b]0;owned\\x07A\\x9b1m\\x0aB');
  const text = formatResult([{ caller: '139', callerName: 'EVIL\x1b[31m' }]);
  assert.not.ok(text.includes('\x1b'), text);
  assert.ok(text.includes('EVIL\\x1b[31m'), text);
  assert.is(formatError(new ApiError('validation_failed', 'reason: bad', [{ path: 'reason', message: 'bad\x1b' }])), 'error validation_failed: reason: bad\n  field reason: bad\\x1b');
});

test('lists print as tables with a header and aligned columns; empty answers as ok', () => {
  assert.is(formatResult([{ id: 'a', n: 1 }, { id: 'bbb', n: 22 }]), 'id   n\n---  --\na    1\nbbb  22');
  assert.is(formatResult({}), 'ok');
  assert.is(formatResult({ total: 0, items: [] }), 'total: 0\nitems:\n  (none)');
});

test.run();
