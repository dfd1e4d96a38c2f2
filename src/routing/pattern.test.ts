import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PatternError, bestMatch, cachedPattern, compareSpecificity, compilePattern, patternSchema, type PatternErrorKind } from './pattern.js';

function patternError(src: string, kind: PatternErrorKind, position: number, ...needles: string[]): void {
  try {
    compilePattern(src);
  } catch (e) {
    assert.instance(e, PatternError, `expected a PatternError for ${JSON.stringify(src)}`);
    const pe = e as PatternError;
    assert.is(pe.kind, kind, `kind for ${JSON.stringify(src)}: ${pe.message}`);
    assert.is(pe.position, position, `position for ${JSON.stringify(src)}: ${pe.message}`);
    assert.is(pe.code, 'bad_pattern');
    for (const n of needles) assert.ok(pe.message.includes(n), `expected "${n}" in: ${pe.message}`);
    return;
  }
  assert.unreachable(`expected ${JSON.stringify(src)} to be rejected`);
}

const yes = (src: string, ...numbers: string[]) => {
  const p = compilePattern(src);
  for (const n of numbers) assert.ok(p.matches(n), `${src} should match ${JSON.stringify(n)}`);
};
const no = (src: string, ...numbers: string[]) => {
  const p = compilePattern(src);
  for (const n of numbers) assert.not.ok(p.matches(n), `${src} should not match ${JSON.stringify(n)}`);
};

test('an exact number matches only itself', () => {
  assert.is(compilePattern('13800138000').kind, 'exact');
  yes('13800138000', '13800138000');
  no('13800138000', '1380013800', '138001380001', '13800138001', '');
});

test('feature codes with * and # are exact, not prefixes', () => {
  assert.is(compilePattern('*72').kind, 'exact');
  assert.is(compilePattern('**').kind, 'exact');
  assert.is(compilePattern('*').kind, 'exact');
  yes('*72', '*72');
  no('*72', '*7', '*721');
  yes('#', '#');
  yes('**', '**');
  no('**', '*', '***');
});

test('digits followed by * mean "starts with", the digits themselves included', () => {
  const p = compilePattern('138*');
  assert.is(p.kind, 'prefix');
  yes('138*', '138', '1380', '13800138000');
  no('138*', '13', '139', '1390013800', '', '0138');
  // The literal spelling of a number ending in * needs the pattern form.
  yes('_138*', '138*');
  no('_138*', '138', '1380');
});

test('X, Z and N are 0-9, 1-9 and 2-9, in either case', () => {
  yes('_X', '0', '9');
  no('_X', '*', '#', 'a', '', '12');
  yes('_Z', '1', '9');
  no('_Z', '0');
  yes('_N', '2', '9');
  no('_N', '0', '1');
  yes('_nxz', '201', '919');
  no('_nxz', '100', '210');
});

test('classes take digits, ranges, * and #', () => {
  yes('_1[3-58]X', '130', '149', '159', '189');
  no('_1[3-58]X', '120', '160', '170', '199');
  yes('_[*#]1', '*1', '#1');
  no('_[*#]1', '01');
  yes('_[0-9]', '5');
  yes('_[55]', '5');
});

test('. needs one more character, ! accepts none', () => {
  yes('_9.', '90', '9138001380001', '9*#');
  no('_9.', '9', '8', '');
  yes('_9!', '9', '90', '9123');
  no('_9!', '', '8');
  yes('_!', '', '123');
  yes('_.', '1');
  no('_.', '');
});

test('- is a readability separator in patterns', () => {
  yes('_NXX-XXXX', '2345678');
  no('_NXX-XXXX', '234-5678');
});

test('min and max length follow the wildcards', () => {
  const len = (s: string) => {
    const p = compilePattern(s);
    return [p.minLength, p.maxLength];
  };
  assert.equal(len('13800138000'), [11, 11]);
  assert.equal(len('138*'), [3, Infinity]);
  assert.equal(len('_9XX'), [3, 3]);
  assert.equal(len('_9.'), [2, Infinity]);
  assert.equal(len('_9!'), [1, Infinity]);
});

test('canMatchMore says whether to keep collecting digits', () => {
  const mobile = compilePattern('_1[3-9]XXXXXXXXX');
  assert.ok(mobile.canMatchMore(''));
  assert.ok(mobile.canMatchMore('1'));
  assert.ok(mobile.canMatchMore('1380013800'));
  assert.not.ok(mobile.canMatchMore('13800138000'), 'a whole mobile number cannot grow');
  assert.not.ok(mobile.canMatchMore('12'), 'a wrong second digit never matches');
  assert.not.ok(mobile.canMatchMore('138001380001'));

  const outside = compilePattern('_9.');
  assert.ok(outside.canMatchMore('9'));
  assert.ok(outside.canMatchMore('9138'));
  assert.not.ok(outside.canMatchMore('8'));

  const exact = compilePattern('8001');
  assert.ok(exact.canMatchMore('800'));
  assert.not.ok(exact.canMatchMore('8001'));
  assert.not.ok(exact.canMatchMore('801'));

  assert.ok(compilePattern('138*').canMatchMore('138'));
  assert.ok(compilePattern('138*').canMatchMore('13'));
  assert.not.ok(compilePattern('138*').canMatchMore('139'));
});

test('malformed patterns name the position and the character', () => {
  patternError('_1[3-', 'unclosed_class', 3, 'position 3', "'['");
  patternError('_1[]X', 'empty_class', 3, 'empty class', 'position 3');
  patternError('_1[5-3]', 'bad_range', 5, '5-3', 'backwards', 'position 5');
  patternError('_1[-3]', 'bad_range', 4, 'position 4');
  patternError('_1[3-]', 'bad_range', 5, 'position 5');
  patternError('_1[1-3-5]', 'bad_range', 7, 'position 7');
  patternError('_1[3a]', 'bad_char', 5, "'a'", 'position 5');
  patternError('_1A2', 'bad_char', 3, "'A'", 'position 3');
  patternError('_12]', 'bad_char', 4, "']'", 'no matching');
  patternError('1380013800a', 'bad_char', 11, "'a'", 'position 11');
  patternError('13X', 'bad_char', 3, "'X'", "leading '_'");
  patternError('138.', 'bad_char', 4, "'.'");
  patternError('138 00', 'bad_char', 4, "' '", 'position 4');
  patternError('_9.1', 'wildcard_not_last', 4, "'1'", 'must come last');
  patternError('_9!X', 'wildcard_not_last', 4);
  patternError('', 'empty', 1, 'empty');
  patternError('_', 'empty', 2, "nothing after '_'");
  patternError('_--', 'empty', 2);
  patternError('1'.repeat(41), 'too_long', 41, '41 characters', 'at most 40');
  compilePattern('1'.repeat(40));
});

test('the error message quotes the pattern', () => {
  try {
    compilePattern('_1[3-');
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, `pattern "_1[3-": '[' at position 3 is never closed with ']'`);
  }
});

test('specificity puts exact first, then narrower classes, wildcards last', () => {
  const order = [
    '13800138000',
    '_13800138000',
    '_138[01]XXXXXXX',
    '_138XXXXXXXX',
    '_13[89]XXXXXXXX',
    '_1[3-9]XXXXXXXXX',
    '_1XXXXXXXXXX',
    '_1.',
    '_1!',
    '_X.',
    '_!',
  ];
  const shuffled = [...order].reverse().map(compilePattern);
  shuffled.sort(compareSpecificity);
  assert.equal(shuffled.map((p) => p.source), order);
});

test('a pattern without a tail beats the same pattern with one', () => {
  const sorted = ['_12!', '_12', '12*'].map(compilePattern).sort(compareSpecificity).map((p) => p.source);
  assert.equal(sorted, ['_12', '12*', '_12!']);
});

test('bestMatch picks the most specific matching pattern whatever the list order', () => {
  const srcs = ['_X.', '_1[3-9]XXXXXXXXX', '138*', '13800138000', '_010XXXXXXXX'];
  for (const list of [srcs, [...srcs].reverse()]) {
    const ps = list.map(compilePattern);
    assert.is(bestMatch(ps, '13800138000')?.source, '13800138000');
    assert.is(bestMatch(ps, '13900139000')?.source, '_1[3-9]XXXXXXXXX');
    assert.is(bestMatch(ps, '13812')?.source, '138*');
    assert.is(bestMatch(ps, '01012345678')?.source, '_010XXXXXXXX');
    assert.is(bestMatch(ps, '0755')?.source, '_X.');
    assert.is(bestMatch(ps, ''), undefined);
  }
  assert.is(bestMatch([], '1'), undefined);
});

test('patternSchema turns a PatternError into an issue', () => {
  assert.ok(patternSchema.safeParse('_9.').success);
  const r = patternSchema.safeParse('_9[');
  assert.not.ok(r.success);
  if (!r.success) assert.match(r.error.issues[0]!.message, /position 3/);
});

test('cachedPattern compiles once per source and still throws for bad input', () => {
  assert.is(cachedPattern('_9.'), cachedPattern('_9.'));
  assert.throws(() => cachedPattern('_9['), (e: unknown) => e instanceof PatternError);
});

test.run();
