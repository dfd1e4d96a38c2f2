// The E1 page in headless Chromium against a sim box with the demo's two E1
// spans (span 3 MFC/R2, span 4 China SS7): the SS7 link's state and counters,
// CICs on the circuits, the span settings form (a bad point code refused
// beside its field with what was typed kept, then saved and applied; R2 knobs
// saved; a signalling type the board does not run flagged, and applied with
// the Apply now button while the engine runs), and an SS7 circuit blocked and
// unblocked from its tile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import type { Client } from '../../src/api/test-kit.js';
import { adminSession, type AdminSession } from './admin-session.js';

const PASSWORD = 'e1 page password';

let S: AdminSession;
let page: Page;
let admin: Client;
let errorsBefore = 0;

test.before(async () => {
  S = await adminSession({ password: PASSWORD, readyWhen: 'button[data-tab="e1"]' });
  ({ page, admin } = S);
  // The sign-in page's session probe answers 401 before the admin signs in: only errors after it count.
  errorsBefore = S.pageErrors.length;
});
test.after(async () => { await S?.close(); });

const span = (n: number) => page.locator(`section[data-span="${n}"]`);

test('the SS7 span shows its link up with counters, and CICs on its circuits', async () => {
  await page.click('button[data-tab="e1"]');
  await span(4).locator('.link[data-link-state="up"]').waitFor({ timeout: 20000 });
  assert.match(await span(4).locator('.link').innerText(), /SS7 link: up .*MSU \d+\/\d+/);
  assert.match(await span(4).locator('.circuit[data-chan="50"]').innerText(), /TS7 · CIC 7/);
  assert.is(await span(4).locator('.circuit').count(), 30, 'thirty bearers: timeslot 16 is the link');
  assert.match(await span(3).locator('h3').innerText(), /MFC\/R2/);
  assert.match(await span(4).locator('.line-errors').innerText(), /Line errors: BPV 0 · CRC-4 0 · E-bit 0 · FAS 0/);
  await S.shot('50-e1-spans');
});

test('span settings: a bad point code is refused beside its field and kept; the fix saves and applies', async () => {
  await span(4).locator('button[data-action="settings"]').click();
  const form = span(4).locator('span-settings');
  await form.locator('input[name="ss7.opc"]').fill('10-20-300');
  await form.locator('input[name="name"]').fill('Telecom <b>SS7</b>');
  await form.locator('button[type="submit"]').click();
  const err = form.locator('[data-error-for="ss7.opc"]');
  await err.waitFor();
  assert.match(await err.innerText(), /0\.\.255/);
  assert.is(await form.locator('input[name="ss7.opc"]').inputValue(), '10-20-300', 'what was typed stays');
  assert.is(await form.locator('input[name="name"]').inputValue(), 'Telecom <b>SS7</b>');
  await S.shot('51-e1-span-settings-refused');
  await form.locator('input[name="ss7.opc"]').fill('10-20-30');
  await form.locator('button[type="submit"]').click();
  await form.locator('#span-message', { hasText: 'Saved' }).waitFor();
  const doc = (await admin.ok('config/doc/get', { kind: 'span', id: '4' })).doc;
  assert.equal([doc.name, doc.ss7.opc, doc.ss7.dpc, doc.ss7.variant], ['Telecom <b>SS7</b>', '10-20-30', '10-20-31', 'china']);
  await span(4).locator('.link[data-link-state="up"]').waitFor({ timeout: 20000 });
});

test('R2 knobs save; a signalling type the board does not run is flagged with an Apply now button', async () => {
  await span(3).locator('button[data-action="settings"]').click();
  const form = span(3).locator('span-settings');
  await form.locator('input[name="r2.dnisDigits"]').fill('8');
  await form.locator('select[name="r2.askAni"]').selectOption('first');
  await form.locator('button[type="submit"]').click();
  await form.locator('#span-message', { hasText: 'Saved' }).waitFor();
  const r2 = (await admin.ok('config/doc/get', { kind: 'span', id: '3' })).doc.r2;
  assert.equal([r2.dnisDigits, r2.askAni], [8, 'first']);
  await form.locator('select[name="signalling"]').selectOption('ss7');
  await form.locator('input[name="ss7.opc"]').fill('1-2-3');
  await form.locator('input[name="ss7.dpc"]').fill('1-2-4');
  await form.locator('button[type="submit"]').click();
  await form.locator('#span-message', { hasText: 'Saved' }).waitFor();
  await page.locator('#mismatch-3').waitFor();
  assert.match(await page.locator('#mismatch-3').innerText(), /configured as ss7 but the board runs r2/);
  assert.match(await page.locator('#apply-3').innerText(), /Apply now \(ends calls on this span\)/);
  await S.shot('52-e1-mismatch');
});

test('Apply now re-lays span 3 as SS7 while the engine runs: its link comes up, span 4\'s link stays up', async () => {
  await page.locator('#apply-3').click();
  await span(3).locator('.link[data-link-state="up"]').waitFor({ timeout: 20000 });
  assert.is(await page.locator('#mismatch-3').count(), 0, 'no mismatch once applied');
  assert.is(await span(3).locator('.circuit').count(), 30, 'thirty bearers: timeslot 16 is the link now');
  assert.is(await span(4).locator('.link').getAttribute('data-link-state'), 'up');
  await S.shot('53-e1-applied');
  const audit = await admin.ok('audit/entry/list', { command: 'e1/span/apply' });
  assert.match(JSON.stringify(audit), /span 3 switched from r2 to ss7/);
  // Back to R2 for what follows (through the API: the same command).
  await admin.ok('config/doc/put', { kind: 'span', id: '3', doc: { span: 3, signalling: 'r2', r2: { variant: 'china' } } });
  const back = await admin.ok('e1/span/apply', { span: 3 });
  assert.equal([back.signalling, back.changed], ['r2', true]);
});

test('an SS7 circuit is blocked from its tile (BLO acknowledged) and unblocked', async () => {
  const tile = span(4).locator('.circuit[data-chan="50"]');
  await tile.locator('button[data-action="block"]').click();
  await span(4).locator('.circuit[data-chan="50"][data-state="blocked-local"]').waitFor({ timeout: 10000 });
  await span(4).locator('.circuit[data-chan="50"] button[data-action="unblock"]').click();
  await span(4).locator('.circuit[data-chan="50"][data-state="idle"]').waitFor({ timeout: 10000 });
  assert.equal(S.pageErrors.slice(errorsBefore), []);
});

test.run();
