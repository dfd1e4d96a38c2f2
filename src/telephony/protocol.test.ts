import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameDecoder, encodeFrame, MAX_FRAME, FrameError } from './protocol.js';

test('frames split across chunks are reassembled in order', () => {
  const dec = new FrameDecoder();
  const buf = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: 'ü<>' })]);
  const out: unknown[] = [];
  for (let i = 0; i < buf.length; i++) dec.push(buf.subarray(i, i + 1), (v) => out.push(v), () => assert.unreachable());
  assert.equal(out, [{ a: 1 }, { b: 'ü<>' }]);
});

test('bad JSON in a frame is reported and the next frame still decodes', () => {
  const dec = new FrameDecoder();
  const bad = Buffer.from('{x');
  const head = Buffer.alloc(4); head.writeUInt32BE(bad.length);
  const errs: FrameError[] = [];
  const out: unknown[] = [];
  dec.push(Buffer.concat([head, bad, encodeFrame([1, 2])]), (v) => out.push(v), (e) => errs.push(e));
  assert.is(errs.length, 1);
  assert.is(errs[0]!.fatal, false);
  assert.equal(out, [[1, 2]]);
});

test('a frame longer than the limit is fatal', () => {
  const dec = new FrameDecoder();
  const head = Buffer.alloc(4); head.writeUInt32BE(MAX_FRAME + 1);
  const errs: FrameError[] = [];
  dec.push(head, () => assert.unreachable(), (e) => errs.push(e));
  assert.is(errs[0]?.fatal, true);
});

test.run();
