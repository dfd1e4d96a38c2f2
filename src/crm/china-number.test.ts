// China numbers: +86 / 0086 / 86 normalised away, mobiles by carrier, fixed
// lines by city; anything else is left uninterpreted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeNumber, chinaRegion, numberVariants } from './china-number.js';

test('normalising country codes, trunk prefixes and separators', () => {
  assert.is(normalizeNumber('+86 139-1234-5678'), '13912345678');
  assert.is(normalizeNumber('008613912345678'), '13912345678');
  assert.is(normalizeNumber('8613912345678'), '13912345678');
  assert.is(normalizeNumber('013912345678'), '13912345678');
  assert.is(normalizeNumber('+86 21 6123 4567'), '02161234567');
  assert.is(normalizeNumber('(021) 6123-4567'), '02161234567');
  assert.is(normalizeNumber('+1 415 555 0100'), '+14155550100');
  assert.is(normalizeNumber('0044 20 7946 0000'), '+442079460000');
  assert.is(normalizeNumber('<img src=x onerror=alert(1)>'), null);
  assert.is(normalizeNumber(''), null);
});

test('mobile prefixes name the carrier', () => {
  assert.equal(chinaRegion('13912345678'), { type: 'mobile', prefix: '139', carrier: 'China Mobile', carrierZh: '中国移动' });
  assert.is((chinaRegion('+8618612345678') as { carrier: string }).carrier, 'China Unicom');
  assert.is((chinaRegion('19912345678') as { carrier: string }).carrier, 'China Telecom');
  assert.is((chinaRegion('19212345678') as { carrier: string }).carrier, 'China Broadnet');
  assert.is((chinaRegion('17012345678') as { carrier: string }).carrier, 'Virtual operator');
});

test('area codes name the city', () => {
  const city = (n: string) => (chinaRegion(n) as { city: string | null }).city;
  assert.is(city('01062345678'), 'Beijing');
  assert.is(city('02161234567'), 'Shanghai');
  assert.is(city('+86 20 8888 0000'), 'Guangzhou');
  assert.is(city('075586001234'), 'Shenzhen');
  assert.is(city('057188001234'), 'Hangzhou');
  assert.equal(chinaRegion('09981234567'), { type: 'fixed', areaCode: '0998', city: null });
  assert.is(chinaRegion('4008123123')!.type, 'service');
  assert.is(chinaRegion('95588')!.type, 'service');
  assert.is(chinaRegion('110')!.type, 'special');
  assert.is(chinaRegion('62345678')!.type, 'local');
  assert.is(chinaRegion('+14155550100')!.type, 'international');
  assert.is(chinaRegion('<img src=x onerror=alert(1)>'), null);
  assert.is(chinaRegion('1'.repeat(10_000)), null);
});

test('a number matches the forms caller ID may take', () => {
  assert.equal(numberVariants('13912345678').sort(), ['008613912345678', '013912345678', '13912345678', '+8613912345678', '8613912345678'].sort());
  assert.ok(numberVariants('02161234567').includes('+862161234567'));
});

test.run();
