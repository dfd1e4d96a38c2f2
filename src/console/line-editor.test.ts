import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineEditor, type EditorEvent } from './line-editor.js';

function editor() {
  let out = '';
  const ed = new LineEditor((s) => { out += s; });
  return { ed, out: () => out, feed: (s: string | Buffer): EditorEvent[] => ed.feedAll(typeof s === 'string' ? Buffer.from(s, 'latin1') : s) };
}

test('Enter ends a line; CR LF counts as one Enter; typed characters are echoed', () => {
  const e = editor();
  assert.equal(e.feed('help\r\nstatus\n'), [{ type: 'line', text: 'help' }, { type: 'line', text: 'status' }]);
  assert.is(e.out(), 'help\r\nstatus\r\n');
});

test('backspace and DEL erase the last character on screen with "\\b \\b"', () => {
  const e = editor();
  assert.equal(e.feed('hepx\x7f\x7flp\x08\x08lp\r'), [{ type: 'line', text: 'help' }]);
  assert.ok(e.out().includes('\b \b'), JSON.stringify(e.out()));
  assert.equal(e.feed('\x7f\x7fa\r'), [{ type: 'line', text: 'a' }], 'backspace on an empty line does nothing');
});

test('a wide (CJK) character is erased two columns at a time; UTF-8 split across reads is kept whole', () => {
  const e = editor();
  const bytes = Buffer.from('王', 'utf8');
  assert.equal(e.feed(bytes.subarray(0, 1)), []);
  assert.equal(e.feed(bytes.subarray(1)), []);
  assert.is(e.ed.text, '王');
  e.feed('\x7f');
  assert.ok(e.out().endsWith('\b\b  \b\b'), JSON.stringify(e.out()));
  assert.is(e.ed.text, '');
});

test('Ctrl-C cancels the line; Ctrl-D on an empty line is eof and is ignored mid-line; Ctrl-U erases the line', () => {
  const e = editor();
  assert.equal(e.feed('acd/agent/pa\x03'), [{ type: 'cancel' }]);
  assert.is(e.ed.text, '');
  assert.equal(e.feed('ab\x04'), [], 'Ctrl-D mid-line');
  assert.equal(e.feed('\x15x\r'), [{ type: 'line', text: 'x' }]);
  assert.equal(e.feed('\x04'), [{ type: 'eof' }]);
});

test('arrow keys and other escape sequences are swallowed, not echoed; other controls never reach the line', () => {
  const e = editor();
  assert.equal(e.feed('a\x1b[A\x1b[1;5Cb\x1bOPc\td\x07\r'), [{ type: 'line', text: 'abcd' }]);
  assert.not.ok(e.out().includes('\x1b'), JSON.stringify(e.out()));
});

test('with echo off (passwords) nothing typed is shown, not even when erased', () => {
  const e = editor();
  e.ed.echo = false;
  assert.equal(e.feed('secret1x\x7f\r'), [{ type: 'line', text: 'secret1' }]);
  assert.is(e.out(), '\r\n');
});

test('a password typed ahead of its prompt is not echoed: the editor stops at each line end', () => {
  const e = editor();
  assert.equal(e.ed.feed('admin\rsecret\r'), { type: 'line', text: 'admin' });
  e.ed.echo = false;
  assert.equal(e.ed.feed(''), { type: 'line', text: 'secret' });
  assert.is(e.out(), 'admin\r\n\r\n');
});

test.run();
