// The admin face's configuration pages in headless Chromium against a box on
// the sim board (demo configuration): the IVR editor (a key pointed at the
// service queue and saved, a bad destination shown beside its key and not
// saved, a prompt played and uploaded), time conditions (calendar states and
// the "what happens at" preview), screening (an entry refused by field, then
// added and removed), users and tokens; first-load JS of the admin face.
// Screenshots go to out/screenshots/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import type { Box } from '../calls/harness.js';
import type { ApiServer } from '../../src/api/http-server.js';
import { Client } from '../../src/api/test-kit.js';
import { adminSession, UI_DIST, SHOTS, type AdminSession } from './admin-session.js';

const FIXTURE = path.join(process.cwd(), 'test', 'fixtures', 'audio', 'beep-800.wav');
const PASSWORD = 'config pages password';
const HOSTILE = '<img src onerror=f>';

let S: AdminSession;
let box: Box;
let api: ApiServer;
let page: Page;
let admin: Client;
let pageErrors: string[];
let dialogs: string[];
let scripts: Set<string>;
const shot = (name: string) => S.shot(name);

test.before(async () => {
  S = await adminSession({ password: PASSWORD, readyWhen: 'tr[data-queue="service"]', timezoneId: 'America/New_York', dialogs: 'dismiss' });
  ({ box, api, page, admin, pageErrors, dialogs, scripts } = S);
});
test.after(async () => { await S?.close(); });

test('first-load JavaScript of the admin face stays under 200 KB gzip; the configuration pages are not in it', () => {
  let total = 0;
  for (const u of scripts) total += zlib.gzipSync(fs.readFileSync(path.join(UI_DIST, u))).length;
  console.log(JSON.stringify({ figure: 'firstLoadJsGzipBytes', face: 'admin', bytes: total, files: [...scripts] }));
  assert.ok(total < 200 * 1024, `${total} bytes`);
  assert.not.ok([...scripts].some((u) => /ivr-editor|time-panel|screening-panel|users-panel/.test(u)), 'pages load lazily');
});

test('IVR editor: the main menu as a tree; a new key pointed at the service queue is saved', async () => {
  await page.click('button[data-tab="ivr"]');
  const main = page.locator('li.menu[data-menu="main"]');
  await main.locator('tr[data-key="3"]', { hasText: 'queue service' }).waitFor();
  assert.is(await main.locator('.chip[data-prompt="builtin:welcome"]').count(), 1, 'the menu prompt is listed');
  // The play button's source answers through the authenticated route.
  assert.is(await page.evaluate(async () => (await fetch('/api/prompts/zh/builtin/welcome.wav')).status), 200);
  await main.locator('select.new-key').selectOption('4');
  await main.locator('button.add-key').click();
  await page.locator('#dest-type').selectOption('queue');
  await page.locator('#dest-target').selectOption('service');
  await page.click('#dest-apply');
  await main.locator('tr[data-key="4"] [data-field="destination"]', { hasText: 'queue service' }).waitFor();
  await page.locator('#ivr-dirty').waitFor();
  await page.click('#ivr-save');
  await page.locator('#ivr-ok', { hasText: 'Saved' }).waitFor();
  const saved = await admin.ok('config/doc/get', { kind: 'ivr', id: 'main' });
  assert.equal(saved.doc.menus.main.keys['4'], { type: 'queue', queue: 'service' });
  await shot('20-ivr-editor');
});

test('IVR editor: a bad destination is shown next to its key and is not saved', async () => {
  const main = page.locator('li.menu[data-menu="main"]');
  await main.locator('select.new-key').selectOption('5');
  await main.locator('button.add-key').click();
  await page.locator('#dest-type').selectOption('external');
  await page.fill('#dest-target', '12');
  await page.click('#dest-apply');
  const err = main.locator('tr[data-key="5"] .field-error[data-path="menus.main.keys.5.number"]');
  await err.waitFor();
  assert.match(await err.innerText(), /3-20 digits/);
  await page.click('#ivr-save');
  await page.locator('#ivr-error', { hasText: 'Not saved' }).waitFor();
  await shot('21-ivr-bad-destination');
  const stored = await admin.ok('config/doc/get', { kind: 'ivr', id: 'main' });
  assert.is(stored.doc.menus.main.keys['5'], undefined);
  // Fixed by removing it: the error goes away.
  await main.locator('tr[data-key="5"] button.remove').click();
  await page.locator('.field-error').first().waitFor({ state: 'detached' });
});

test('IVR editor: a sub-menu is drawn nested under the key that leads to it', async () => {
  await page.fill('input[name="menu-id"]', 'sales');
  await page.click('#add-menu');
  // Not reachable yet: drawn apart, saying so.
  await page.locator('li.menu[data-menu="sales"] .via', { hasText: 'not reachable' }).waitFor();
  const main = page.locator('li.menu[data-menu="main"]');
  await main.locator('select.new-key').selectOption('6');
  await main.locator('button.add-key').click();
  await page.locator('#dest-type').selectOption('menu');
  await page.locator('#dest-target').selectOption('sales');
  await page.click('#dest-apply');
  await main.locator('ul.tree li.menu[data-menu="sales"] .via', { hasText: 'key 6' }).waitFor();
  await shot('22-ivr-submenu');
});

test('IVR editor: a prompt uploaded from the page; a corrupt file refused naming the field', async () => {
  await page.setInputFiles('#prompt-upload input[name="file"]', { name: 'broken.wav', mimeType: 'audio/wav', buffer: fs.readFileSync(FIXTURE).subarray(0, 40) });
  await page.fill('#prompt-upload input[name="name"]', 'broken');
  await page.click('#prompt-upload button[type="submit"]');
  await page.locator('#upload-result', { hasText: 'body:' }).waitFor();
  await page.setInputFiles('#prompt-upload input[name="file"]', FIXTURE);
  await page.fill('#prompt-upload input[name="name"]', 'spring_sale');
  await page.click('#prompt-upload button[type="submit"]');
  await page.locator('#upload-result', { hasText: 'Uploaded custom:spring_sale' }).waitFor();
  await page.locator('li.menu[data-menu="main"] select.add-prompt option[value="custom:spring_sale"]').first().waitFor({ state: 'attached' });
  assert.ok(fs.existsSync(path.join(box.dataDir, 'prompts', 'custom', 'spring_sale.wav')));
});

test('time conditions: the calendar shows holidays and shifted workdays; the preview answers for a time', async () => {
  await page.click('button[data-tab="schedule"]');
  await page.locator('#calendar').waitFor();
  await page.fill('#month', '2026-10');
  await page.locator('#calendar [data-date="2026-10-02"][data-state="holiday"]').waitFor();
  assert.is(await page.locator('#calendar [data-date="2026-10-10"]').getAttribute('data-state'), 'shifted');
  assert.is(await page.locator('#calendar [data-date="2026-10-12"]').getAttribute('data-state'), 'work');
  assert.is(await page.locator('#calendar [data-date="2026-10-11"]').getAttribute('data-state'), 'off');
  // A Tuesday at 10:00 in the condition's zone (the browser is in New York): the main IVR.
  await page.fill('#preview-caller', '13912345678');
  await page.fill('#preview-at', '2026-11-24T10:00');
  await page.click('#preview-run');
  await page.locator('#preview-destination', { hasText: 'IVR menu main' }).waitFor();
  await page.locator('#preview-trace li[data-kind="timecondition"][data-state="work"]').waitFor();
  await shot('23-time-preview');
  // National Day: the holiday announcement, then voicemail.
  await page.fill('#preview-at', '2026-10-02T10:00');
  await page.click('#preview-run');
  await page.locator('#preview-trace li[data-state="holiday"]').waitFor();
  assert.match(await page.locator('#preview-destination').innerText(), /announcement/);
  // A blocked prefix is answered by screening.
  await page.fill('#preview-caller', '17012345678');
  await page.click('#preview-run');
  await page.locator('#preview-result[data-outcome="blocked"]').waitFor();
});

test('screening: a bad number refused by its field; an entry added and removed; the note is text', async () => {
  await page.click('button[data-tab="screening"]');
  await page.locator('#block-list tr[data-entry="spam-170"]').waitFor();
  await page.fill('#s-id', 'spam-400');
  await page.locator('#s-match').selectOption('prefix');
  await page.fill('#s-value', 'abc');
  await page.fill('#s-note', HOSTILE);
  await page.click('#screen-save');
  await page.locator('#screen-add .field-error[data-path="match.value"]', { hasText: 'digits only' }).waitFor();
  await page.fill('#s-value', '400');
  await page.click('#screen-save');
  const row = page.locator('#block-list tr[data-entry="spam-400"]');
  await row.waitFor();
  assert.match(await row.innerText(), /<img src onerror=f>/);
  assert.is(await page.locator('screening-panel img').count(), 0);
  await shot('24-screening');
  await row.locator('button.remove').click();
  await row.waitFor({ state: 'detached' });
  assert.is((await admin.call('config/doc/get', { kind: 'screening', id: 'spam-400' })).status, 404);
});

test('users: create with a role, disable, reset the password; a token shown once and revoked', async () => {
  await page.click('button[data-tab="users"]');
  await page.locator('#users tr[data-user="admin"]').waitFor();
  await page.fill('#user-create input[name="username"]', 'li');
  await page.fill('#user-create input[name="displayName"]', HOSTILE);
  await page.locator('#user-create select[name="role"]').selectOption('supervisor');
  await page.fill('#user-create input[name="password"]', 'short');
  await page.click('#user-create button[type="submit"]');
  await page.locator('#user-create .field-error[data-path="password"]').waitFor();
  await page.fill('#user-create input[name="password"]', 'supervisor pass 1');
  await page.click('#user-create button[type="submit"]');
  const li = page.locator('#users tr[data-user="li"]');
  await li.waitFor();
  assert.is(await li.locator('select.role').inputValue(), 'supervisor');
  await li.locator('button.reset').click();
  await li.locator('input[name="password"]').fill('another pass 2');
  await li.locator('form button[type="submit"]').click();
  await li.locator('button.reset').waitFor();
  const c = new Client(api.url);
  await c.ok('auth/session/login', { username: 'li', password: 'another pass 2' });
  await li.locator('button.disable').click();
  await li.locator('[data-field="status"]', { hasText: 'Disabled' }).waitFor();
  assert.is((await new Client(api.url).call('auth/session/login', { username: 'li', password: 'another pass 2' })).status, 401);
  await page.fill('#token-create input[name="name"]', 'crm-sync');
  await page.click('#token-create button[type="submit"]');
  const secret = await page.locator('#new-token .secret').innerText();
  assert.match(secret, /^hlt_/);
  await shot('25-users');
  const tok = new Client(api.url);
  tok.bearer = secret;
  assert.ok((await tok.call('calls/cdr/list', {})).status !== 401);
  await page.click('#new-token button');
  await page.locator('#new-token').waitFor({ state: 'detached' });
  assert.not.match(await page.content(), new RegExp(secret));
  await page.locator('#tokens tr[data-token="crm-sync"] button.revoke').click();
  await page.locator('#tokens tr[data-token="crm-sync"]', { hasText: 'Revoked' }).waitFor();
  assert.is((await tok.call('calls/cdr/list', {})).status, 401);
  assert.is(await page.locator('users-panel img').count(), 0);
  assert.equal(dialogs, []);
  assert.equal(pageErrors.filter((e) => !/WebSocket|401|Unauthorized|40[0-9]/.test(e)), [], 'no page errors');
});

test.run();
