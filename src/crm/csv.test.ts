// The CSV parser takes what spreadsheets write (quotes, newlines in cells,
// CRLF, BOM) and survives what attackers write; the writer defuses formulas.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv, formatCsv, safeCell } from './csv.js';

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);

test('quotes, doubled quotes, embedded newlines, CRLF and a BOM', () => {
  assert.equal(fields('\ufeffname,note\r\n"Wang, Li","said ""hi""\r\nthen left"\r\nZhao,plain\r\n'), [
    ['name', 'note'], ['Wang, Li', 'said "hi"\r\nthen left'], ['Zhao', 'plain'],
  ]);
  assert.equal(fields('a,b\nc,d'), [['a', 'b'], ['c', 'd']], 'no final newline');
  assert.equal(fields('a,b\rc,d\r'), [['a', 'b'], ['c', 'd']], 'old Mac line ends');
  assert.equal(fields('a,,\n'), [['a', '', '']]);
});

test('rows are numbered as a spreadsheet shows them, even with newlines inside cells', () => {
  const { records } = parseCsv('h\n"x\ny"\n\nz\n');
  assert.equal(records.map((r) => r.row), [1, 2, 3, 4]);
  assert.equal(records[3]!.fields, ['z']);
});

test('hostile input: a huge field, an unclosed quote, too many columns, too many rows', () => {
  const huge = parseCsv(`a,b\n${'x'.repeat(1_000_000)},ok\n`);
  assert.is(huge.records[1]!.fields[0]!.length, 10_000, 'cut at the limit');
  assert.is(huge.records[1]!.fields[1], 'ok');
  assert.equal(huge.problems, [{ row: 2, message: 'field 1 is longer than 10000 characters' }]);
  const open = parseCsv('a\n"never closed\nmore');
  assert.is(open.problems[0]!.row, 2);
  assert.match(open.problems[0]!.message, /not closed/);
  const wide = parseCsv(`${','.repeat(500)}\n`);
  assert.is(wide.records[0]!.fields.length, 100);
  assert.is(wide.problems.length, 1);
  const long = parseCsv('x\n'.repeat(50), { maxRows: 10 });
  assert.is(long.records.length, 10);
  assert.match(long.problems[0]!.message, /more than 10 rows/);
  const quotes = parseCsv('"'.repeat(100_001));
  assert.ok(quotes.records.length <= 1);
});

test('formula text is read as text and written with a leading quote', () => {
  assert.equal(fields('=1+2,@SUM(A1),-3,+86 139\n'), [['=1+2', '@SUM(A1)', '-3', '+86 139']]);
  for (const s of ['=cmd|\' /C calc\'!A0', '+1', '-1', '@x', '\tx', '\rx']) assert.is(safeCell(s)[0], "'", JSON.stringify(s));
  assert.is(safeCell('Wang'), 'Wang');
  const out = formatCsv([['a', 'b'], ['=HYPERLINK("http://x")', 'line\nbreak']]);
  assert.is(out, '\ufeffa,b\r\n"\'=HYPERLINK(""http://x"")","line\nbreak"\r\n');
  assert.equal(parseCsv(out).records[1]!.fields, ['\'=HYPERLINK("http://x")', 'line\nbreak'], 'what we write we read back');
});

test.run();
