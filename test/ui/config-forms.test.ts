// The admin's configuration forms in headless Chromium against a box on the
// sim board (demo configuration): the page loads lazily; an extension added
// through its form, a wrong ext refused by the box and shown beside the field
// with everything typed kept; a port conflict (a cross-document check only the
// box makes) beside the port, and leaving that changed form asks first; a trunk's R2 block edited and refused beyond its
// limit; a new E1 trunk with ports typed as ranges and R2 switched on, then
// deleted after a confirmation; an inbound route's destination chosen by type
// and a missing queue refused beside it; a referenced item's delete refused; settings
// saved from their storage section; Chinese labels. Every save is checked
// through the API. Screenshots go to out/screenshots/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { Client } from '../../src/api/test-kit.js';
import { adminSession, UI_DIST, type AdminSession } from './admin-session.js';

const PASSWORD = 'config forms password';
const HOSTILE = '<img src onerror=f>';

let S: AdminSession;
let page: Page;
let admin: Client;
const form = () => page.locator('#editor schema-form');
const input = (name: string) => form().locator(`[name="${name}"]`);

test.before(async () => {
  S = await adminSession({ password: PASSWORD, readyWhen: 'tr[data-queue="service"]', dialogs: 'dismiss' });
  ({ page, admin } = S);
});
test.after(async () => { await S?.close(); });

const gzip = (files: Iterable<string>) => [...files].reduce((n, u) => n + zlib.gzipSync(fs.readFileSync(path.join(UI_DIST, u))).length, 0);

test('the forms page is not in the first load; it opens on the extensions', async () => {
  assert.not.ok([...S.scripts].some((u) => /config-forms-panel/.test(u)), `first load: ${[...S.scripts].join(', ')}`);
  const first = gzip(S.scripts);
  assert.ok(first < 200 * 1024, `${first} bytes`);
  const before = new Set(S.scripts);
  await page.click('button[data-tab="forms"]');
  await page.locator('#items[data-kind="extension"] tr[data-id="801"]').waitFor();
  const lazy = [...S.scripts].filter((u) => !before.has(u));
  assert.ok(lazy.some((u) => /config-forms-panel/.test(u)), 'loaded when opened');
  console.log(JSON.stringify({ figure: 'formsPageJsGzipBytes', firstLoad: first, formsPage: gzip(lazy), files: lazy }));
  assert.is(await page.locator('button[data-tab="config"]').innerText(), 'Advanced (JSON)');
  assert.is(await page.locator('#items tr[data-id="805"] td[data-col="port"]').innerText(), '9');
});

test('a wrong ext is refused by the box beside the field, and what was typed stays', async () => {
  await page.click('#add-item');
  await input('ext').fill('1');
  await input('name').fill(HOSTILE);
  await input('ringSec').fill('30');
  await input('callWaiting').uncheck();
  await input('voicemail.pin').fill('1234');
  await input('followMe.numbers').fill('13912345678, 801');
  await page.click('#form-save');
  const err = form().locator('.field-error[data-path="ext"]');
  await err.waitFor();
  assert.is(await err.innerText(), 'an extension number is 2 to 6 digits', 'the box\'s own message');
  assert.match(await page.locator('#form-error').innerText(), /Not saved/);
  await S.shot('40-forms-extension-refused');
  assert.is(await input('ext').inputValue(), '1');
  assert.is(await input('name').inputValue(), HOSTILE);
  assert.is(await input('ringSec').inputValue(), '30');
  assert.is(await input('callWaiting').isChecked(), false);
  assert.is(await input('voicemail.pin').inputValue(), '1234');
  assert.is(await input('followMe.numbers').inputValue(), '13912345678, 801');
  assert.is((await admin.call('config/doc/get', { kind: 'extension', id: '1' })).status, 404, 'nothing saved');
  // Typing in the field takes the box's word away; saved once right.
  await input('ext').fill('809');
  await err.waitFor({ state: 'detached' });
  await page.click('#form-save');
  await page.locator('#forms-ok', { hasText: 'Saved 809' }).waitFor();
  const row = page.locator('#items tr[data-id="809"]');
  await row.waitFor();
  assert.is(await row.locator('td[data-col="name"]').innerText(), HOSTILE, 'a name is text');
  assert.is(await page.locator('config-forms-panel img').count(), 0);
  const saved = (await admin.ok('config/doc/get', { kind: 'extension', id: '809' })).doc;
  assert.equal([saved.ext, saved.name, saved.ringSec, saved.callWaiting, saved.voicemail.pin, saved.followMe.numbers, saved.cos],
    ['809', HOSTILE, 30, false, '1234', ['13912345678', '801'], 'local']);
  assert.is(saved.port, undefined, 'a blank optional port is left out');
});

test('a duplicate keeping a phone port another extension has is refused beside the port; leaving the changed form asks first', async () => {
  await page.locator('#items tr[data-id="808"] button.duplicate').click();
  assert.is(await input('ext').inputValue(), '', 'the copy needs its own number');
  assert.is(await input('port').inputValue(), '12');
  await input('ext').fill('810');
  await page.click('#form-save');
  await form().locator('.field-error[data-path="port"]', { hasText: 'port 12 already belongs to extension 808' }).waitFor();
  assert.is(await input('ext').inputValue(), '810');
  // Leaving a changed form asks first; keeping it keeps every value.
  await page.click('#form-cancel');
  await page.click('#keep-editing');
  assert.is(await input('ext').inputValue(), '810');
  await page.click('button[data-collection="trunk"]');
  await page.locator('#unsaved').waitFor();
  await page.click('#discard');
  await page.locator('#items[data-kind="trunk"]').waitFor();
  await page.locator('#editor').waitFor({ state: 'detached' });
  assert.is((await admin.call('config/doc/get', { kind: 'extension', id: '810' })).status, 404);
});

test('a trunk\'s R2 settings: over the limit refused by the box, then saved', async () => {
  const e1 = page.locator('#items tr[data-id="e1"]');
  await e1.waitFor();
  assert.is(await e1.locator('td[data-col="ports"]').innerText(), '13-27,29-43', 'ports shown as ranges');
  await e1.locator('button.edit').click();
  assert.is(await input('id').getAttribute('readonly'), '', 'a saved item keeps its id');
  assert.is(await input('r2:on').isChecked(), true);
  await input('r2.category').fill('20');
  await page.click('#form-save');
  await form().locator('.field-error[data-path="r2.category"]', { hasText: '15' }).waitFor();
  assert.is(await input('r2.category').inputValue(), '20');
  await input('r2.category').fill('2');
  await input('r2.dnisDigits').fill('4');
  await input('r2.askAni').selectOption('first');
  await S.shot('41-forms-trunk-r2');
  await page.click('#form-save');
  await page.locator('#forms-ok', { hasText: 'Saved e1' }).waitFor();
  const r2 = (await admin.ok('config/doc/get', { kind: 'trunk', id: 'e1' })).doc.r2;
  assert.equal(r2, { variant: 'china', dnisDigits: 4, askAni: 'first', category: 2 });
});

test('a new E1 trunk (a second card\'s ports): ports typed as ranges, R2 switched on; deleted after confirming', async () => {
  await page.click('#add-item');
  assert.is(await input('r2:on').isChecked(), false, 'R2 is off for a new trunk');
  assert.is(await input('r2.category').count(), 0);
  await input('id').fill('e1b');
  await input('name').fill('Second E1');
  await input('ports').fill('75-77,80');
  await form().locator('.list-count', { hasText: '4 items' }).waitFor();
  await input('ports').fill('77-75');
  await page.click('#form-save');
  await page.locator('#form-error', { hasText: '77-75' }).waitFor();
  await input('ports').fill('75-77,80');
  await input('r2:on').check();
  await input('r2.category').fill('3');
  await form().locator('[name="disconnect"][value="polarity"]').check();
  await page.click('#form-save');
  await page.locator('#items tr[data-id="e1b"]').waitFor();
  const doc = (await admin.ok('config/doc/get', { kind: 'trunk', id: 'e1b' })).doc;
  assert.equal(doc.ports, [75, 76, 77, 80]);
  assert.equal(doc.r2, { variant: 'china', dnisDigits: 0, askAni: 'after-dnis', category: 3 });
  assert.equal(doc.disconnect, ['polarity', 'loop', 'busy', 'congestion'], 'the default set plus polarity, in the schema\'s order');
  const row = page.locator('#items tr[data-id="e1b"]');
  await row.locator('button.delete').click();
  await row.locator('.cancel-delete').click();
  assert.is((await admin.call('config/doc/get', { kind: 'trunk', id: 'e1b' })).status, 200, 'cancel keeps it');
  await row.locator('button.delete').click();
  await S.shot('42-forms-confirm-delete');
  await row.locator('.confirm-delete').click();
  await row.waitFor({ state: 'detached' });
  await page.locator('#forms-ok', { hasText: 'Deleted e1b' }).waitFor();
  assert.is((await admin.call('config/doc/get', { kind: 'trunk', id: 'e1b' })).status, 404);
});

test('an inbound route: its destination chosen by type, a missing queue refused beside the queue field', async () => {
  await page.click('button[data-collection="inboundRoute"]');
  await page.locator('#items tr[data-id="hotline400"]').waitFor();
  await page.click('#add-item');
  await input('id').fill('vip-line');
  await input('did').fill('4008001235');
  await input('trunks').fill('e1');
  await input('destination.type').selectOption('queue');
  await input('destination.queue').fill('nope');
  await page.click('#form-save');
  await form().locator('.field-error[data-path="destination.queue"]', { hasText: 'queue nope does not exist' }).waitFor();
  assert.is(await input('did').inputValue(), '4008001235');
  await input('destination.queue').fill('service');
  await page.click('#form-check');
  await page.locator('#forms-ok', { hasText: 'Valid' }).waitFor();
  assert.is((await admin.call('config/doc/get', { kind: 'inboundRoute', id: 'vip-line' })).status, 404, 'a check saves nothing');
  await page.click('#form-save');
  await page.locator('#items tr[data-id="vip-line"] td[data-col="destination"]', { hasText: 'queue service' }).waitFor();
  const r = (await admin.ok('config/doc/get', { kind: 'inboundRoute', id: 'vip-line' })).doc;
  assert.equal([r.did, r.trunks, r.destination, r.enabled], ['4008001235', ['e1'], { type: 'queue', queue: 'service' }, true]);
});

test('deleting an item others refer to is refused with the box\'s reason', async () => {
  await page.click('button[data-collection="extension"]');
  const op = page.locator('#items tr[data-id="801"]');
  await op.locator('button.delete').click();
  await op.locator('.confirm-delete').click();
  await page.locator('#forms-error', { hasText: 'operator' }).waitFor();
  assert.is(await op.count(), 1);
  assert.is((await admin.call('config/doc/get', { kind: 'extension', id: '801' })).status, 200);
});

test('settings in sections: the storage guard saved; queues, routes and agents drawn from their schemas', async () => {
  await page.click('button[data-collection="settings"]');
  const storage = form().locator('section.group[data-group="storage"]');
  await storage.waitFor();
  for (const g of ['general', 'recording', 'voicemail', 'acd']) assert.is(await form().locator(`section.group[data-group="${g}"]`).count(), 1, g);
  // A reference is typed with the known ids offered.
  assert.is(await input('operator').getAttribute('list'), 's-operator');
  assert.ok(await form().locator('datalist#s-operator option[value="809"]').count() === 1, 'the extension added above is offered');
  await input('storage.minFreeMb').fill('800');
  await input('voicemail.retentionDays').fill('30');
  await page.click('#form-save');
  await page.locator('#forms-ok', { hasText: 'Saved main' }).waitFor();
  const s = (await admin.ok('config/doc/get', { kind: 'settings', id: 'main' })).doc;
  assert.equal([s.storage.minFreeMb, s.voicemail.retentionDays, s.operator], [800, 30, '801']);
  await S.shot('43-forms-settings');
  await page.click('button[data-collection="queue"]');
  await page.locator('#items tr[data-id="service"] button.edit').click();
  await form().locator('.row[data-row="members.0"] [name="members.0.agent"]').waitFor();
  await form().locator('fieldset[data-field="overflow"]').waitFor();
  await S.shot('44-forms-queue');
  await page.click('button[data-collection="inboundRoute"]');
  await page.locator('#items tr[data-id="main"] button.edit').click();
  // A recursive destination ("then") stays editable as JSON.
  await form().locator('fieldset[data-field="byState"] textarea[name="byState.lunch.then"]').waitFor();
  await page.click('button[data-collection="agent"]');
  await page.locator('#items tr[data-id="2001"]').waitFor();
});

test('Chinese labels for the collections and the common fields', async () => {
  await page.click('#lang');
  await page.locator('button[data-collection="extension"]', { hasText: '分机与话机' }).click();
  await page.locator('#items th', { hasText: '分机号' }).waitFor();
  await page.click('#add-item');
  await form().locator('label', { hasText: '呼叫等待' }).waitFor();
  await S.shot('45-forms-zh');
  await page.click('#lang');
  assert.equal(S.dialogs, []);
  assert.equal(S.pageErrors.filter((e) => !/WebSocket|401|Unauthorized|40[0-9]/.test(e)), [], 'no page errors');
});

test.run();
