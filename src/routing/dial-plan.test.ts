import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHINA_DIAL_PLAN, chinaDialPlan, classifyNumber, cosRank, isCompleteNumber, type NumberClass } from './dial-plan.js';
import { compilePattern } from './pattern.js';

const cls = (n: string, plan = CHINA_DIAL_PLAN, ext: string[] = []) => classifyNumber(n, plan, ext).class;

test('every rule of the China table is a valid pattern', () => {
  for (const r of CHINA_DIAL_PLAN.rules) compilePattern(r.pattern);
  for (const r of chinaDialPlan({ localAreaCode: '0755', localDigits: 8 }).rules) compilePattern(r.pattern);
});

test('China numbers classify as the dial plan table says', () => {
  const table: [string, NumberClass][] = [
    ['110', 'emergency'],
    ['119', 'emergency'],
    ['120', 'emergency'],
    ['122', 'emergency'],
    ['112', 'service'],
    ['114', 'service'],
    ['10086', 'service'],
    ['10000', 'service'],
    ['12345', 'service'],
    ['12306', 'service'],
    ['11185', 'service'],
    ['95555', 'service'],
    ['955888', 'service'],
    ['96511', 'service'],
    ['4008001234', 'service'],
    ['8008101234', 'service'],
    ['62345678', 'local'],
    ['6234567', 'local'],
    ['80012345', 'local'],
    ['13800138000', 'mobile'],
    ['19912345678', 'mobile'],
    ['013800138000', 'mobile'],
    ['01062345678', 'long-distance'],
    ['02162345678', 'long-distance'],
    ['075562345678', 'long-distance'],
    ['07556234567', 'long-distance'],
    ['0044207946000', 'international'],
    ['001212555', 'international'],
    ['12800138000', 'unknown'],
    ['0123', 'unknown'],
    ['1234567', 'unknown'],
    ['00', 'unknown'],
    ['', 'unknown'],
  ];
  for (const [n, c] of table) assert.is(cls(n), c, `${n}`);
});

test('extensions are internal, but never shadow an emergency number', () => {
  assert.is(cls('8001', CHINA_DIAL_PLAN, ['8001']), 'internal');
  assert.is(cls('110', CHINA_DIAL_PLAN, ['110']), 'emergency');
});

test('the own area code makes a long-distance form local', () => {
  const sz = chinaDialPlan({ localAreaCode: '0755' });
  assert.is(cls('075562345678', sz), 'local');
  assert.is(cls('01062345678', sz), 'long-distance');
  assert.is(classifyNumber('075562345678', sz).label, 'local, with own area code 0755');
  assert.is(sz.name, 'China (0755)');
  assert.throws(() => chinaDialPlan({ localAreaCode: '755' }), /area code "755"/);
});

test('required class of service per number class, with the mobile knob', () => {
  const need = (n: string, plan = CHINA_DIAL_PLAN) => classifyNumber(n, plan).requiredCos;
  assert.is(need('110'), null);
  assert.is(need('62345678'), 'local');
  assert.is(need('13800138000'), 'local');
  assert.is(need('4008001234'), 'local');
  assert.is(need('01062345678'), 'long-distance');
  assert.is(need('0044207946000'), 'international');
  assert.is(need('12800138000'), 'international', 'unknown numbers need the widest class');
  assert.is(need('13800138000', chinaDialPlan({ mobileCos: 'long-distance' })), 'long-distance');
  assert.ok(cosRank('internal') < cosRank('local') && cosRank('local') < cosRank('long-distance') && cosRank('long-distance') < cosRank('international'));
});

test('emergency numbers can be replaced, e.g. adding Beijing 999', () => {
  const bj = chinaDialPlan({ emergency: [{ number: '999', label: 'Red Cross ambulance (Beijing)' }, { number: '110', label: 'police' }] });
  assert.is(cls('999', bj), 'emergency');
  assert.is(cls('999'), 'unknown');
  assert.is(cls('119', bj), 'unknown', 'not listed = not emergency in that plan');
});

test('a number is complete when no longer number of the plan starts with it', () => {
  const complete = ['110', '119', '120', '122', '13800138000', '4008001234', '10086', '12345', '01062345678', '02162345678', '075562345678', '62345678'];
  const incomplete = ['', '1', '11', '12', '1380013800', '114', '121', '95555', '6234567', '07556234567', '0044207946000', '400800123'];
  for (const n of complete) assert.ok(isCompleteNumber(n), `${n} should be complete`);
  for (const n of incomplete) assert.not.ok(isCompleteNumber(n), `${n} should not be complete`);
  assert.not.ok(isCompleteNumber('12800138000'), 'not a number of the plan at all');
});

test('localDigits 7 makes 7-digit local numbers complete and 8-digit ones unknown', () => {
  const seven = chinaDialPlan({ localDigits: 7 });
  assert.ok(isCompleteNumber('6234567', seven));
  assert.is(cls('62345678', seven), 'unknown');
  const eight = chinaDialPlan({ localDigits: 8 });
  assert.is(cls('6234567', eight), 'unknown');
  assert.ok(isCompleteNumber('62345678', eight));
});

test.run();
