// E1 span settings: point codes in either notation for each variant, the
// limits of 14- and 24-bit codes, and signalling blocks that must match the
// signalling type, each refused with the field named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spanSchema, pointCodeValue, pointCodeText, cicOfTimeslot, timeslotOfCic, ss7SpanSchema, r2SpanSchema } from './span-schema.js';

test('point codes: numbers and dashed fields, per variant', () => {
  assert.is(pointCodeValue('2-100-1', 'itu'), (2 << 11) | (100 << 3) | 1);
  assert.is(pointCodeValue(16383, 'itu'), 16383);
  assert.is(pointCodeValue('10-20-30', 'china'), (10 << 16) | (20 << 8) | 30);
  assert.is(pointCodeValue('16777215', 'china'), 16777215);
  assert.is(pointCodeText(pointCodeValue('10-20-30', 'china') as number, 'china'), '10-20-30');
  assert.is(pointCodeText(pointCodeValue('7-255-7', 'itu') as number, 'itu'), '7-255-7');
  assert.match(String(pointCodeValue(16384, 'itu')), /0\.\.16383/);
  assert.match(String(pointCodeValue('8-1-1', 'itu')), /field 1 .* 0\.\.7/);
  assert.match(String(pointCodeValue('1-2', 'china')), /8-8-8/);
  assert.match(String(pointCodeValue('a-b-c', 'china')), /point code/);
});

test('an SS7 span: valid settings keep what was written, defaults filled', () => {
  const s = spanSchema.parse({ span: 4, signalling: 'ss7', ss7: { opc: '10-20-30', dpc: 0x0a141f } });
  assert.is(s.ss7?.variant, 'china');
  assert.is(s.ss7?.opc, '10-20-30');
  assert.is(s.ss7?.networkIndicator, 'national');
  assert.is(s.crc4, true);
  assert.is(s.lineCode, 'hdb3');
});

test('bad span settings name the field', () => {
  const paths = (raw: unknown) => {
    const r = spanSchema.safeParse(raw);
    assert.not.ok(r.success, 'expected a refusal');
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.ok(paths({ span: 4, signalling: 'ss7' }).some((p) => p.startsWith('ss7:')));
  assert.ok(paths({ span: 4, signalling: 'ss7', ss7: { variant: 'itu', opc: 20000, dpc: 1 } }).some((p) => /^ss7\.opc: .*16383/.test(p)));
  assert.ok(paths({ span: 4, signalling: 'ss7', ss7: { opc: 5, dpc: 5 } }).some((p) => p.startsWith('ss7.dpc: ')));
  assert.ok(paths({ span: 3, signalling: 'r2', ss7: { opc: 1, dpc: 2 } }).some((p) => p.startsWith('ss7: ')));
  assert.ok(paths({ span: 3, signalling: 'pri' }).some((p) => p.startsWith('signalling: ')));
  assert.ok(paths({ span: 3, signalling: 'r2', lineCode: 'b8zs' }).some((p) => p.startsWith('lineCode: ')));
});

test('an R2 span: every knob has a default, the on/off ones off, and each is described', () => {
  const s = spanSchema.parse({ span: 3, signalling: 'r2', r2: {} });
  assert.equal(s.r2, {
    variant: 'china', dnisDigits: 0, askAni: 'after-dnis', aniDigits: 0, acceptAfterMs: 0,
    immediateAccept: false, skipCategory: false, doubleAnswer: false, dtmfDialing: false, dtmfDetection: false,
  });
  for (const [k, f] of Object.entries(r2SpanSchema.shape)) assert.ok(f.description && f.description.length > 10, `r2.${k} has no description`);
  const on = r2SpanSchema.parse({ immediateAccept: true, skipCategory: true, doubleAnswer: true, dtmfDialing: true, dtmfDetection: true, dnisDigits: 11, aniDigits: 12, askAni: 'first' });
  assert.is(on.doubleAnswer, true);
  assert.is(on.dtmfDetection, true);
  assert.is(on.askAni, 'first');
});

test('bad R2 knobs name the field', () => {
  const paths = (raw: unknown) => {
    const r = spanSchema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };
  assert.equal(paths({ span: 3, signalling: 'r2', r2: { doubleAnswer: 'yes' } }), ['r2.doubleAnswer']);
  assert.equal(paths({ span: 3, signalling: 'r2', r2: { dtmfDialing: 1 } }), ['r2.dtmfDialing']);
  assert.equal(paths({ span: 3, signalling: 'r2', r2: { dnisDigits: 33 } }), ['r2.dnisDigits']);
  assert.equal(paths({ span: 3, signalling: 'r2', r2: { meterEveryMs: 1000 } }), ['r2'], 'an unknown R2 knob is refused');
});

test('CICs follow timeslots; timeslot 16 has none', () => {
  const s = ss7SpanSchema.parse({ opc: 1, dpc: 2, cicBase: 32 });
  assert.is(cicOfTimeslot(s, 1), 33);
  assert.is(cicOfTimeslot(s, 16), undefined);
  assert.is(timeslotOfCic(s, 63), 31);
  assert.is(timeslotOfCic(s, 48), undefined);
  assert.is(timeslotOfCic(s, 5), undefined);
});

test.run();
