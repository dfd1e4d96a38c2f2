// The System page and the dashboard in headless Chromium against a box on the
// sim board: an admin makes a backup (the progress bar, then the file listed
// and downloadable), a damaged file offered for restore is refused saying
// why, a good one is verified and shown as pending until cancelled; the
// dashboard lists every voice channel of the sim board with its state, and a
// hostile file name stays text. Screenshots go to out/screenshots/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Box } from '../calls/harness.js';
import type { ApiServer } from '../../src/api/http-server.js';
import type { Client } from '../../src/api/test-kit.js';
import { adminSession, UI_DIST, SHOTS, type AdminSession } from './admin-session.js';

const PASSWORD = 'system pages password';

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
  S = await adminSession({ password: PASSWORD, readyWhen: 'button[data-tab="system"]', dialogs: 'accept' });
  ({ box, api, page, admin, pageErrors, dialogs, scripts } = S);
});
test.after(async () => { await S?.close(); });

test('an admin makes a backup: progress shows, then the file is listed and downloads', async () => {
  await page.click('button[data-tab="system"]');
  await page.locator('#no-backups').waitFor();
  await page.click('#create-backup');
  const row = page.locator('#backups tr[data-backup]');
  await row.first().waitFor();
  const name = await row.first().getAttribute('data-backup');
  assert.match(name!, /^hotline-backup-.*\.tar$/);
  assert.ok(fs.existsSync(path.join(box.dataDir, 'backups', name!)));
  const href = await row.first().locator('a').getAttribute('href');
  const status = await page.evaluate(async (u) => (await fetch(u!)).status, href);
  assert.is(status, 200, 'the download link answers for the signed-in admin');
  await shot('40-system-backups');
});

test('restore: a damaged file is refused saying why; a good one is verified and pending until cancelled', async () => {
  await page.setInputFiles('#restore-file', { name: 'junk.tar', mimeType: 'application/x-tar', buffer: Buffer.from('not a backup '.repeat(100)) });
  const err = page.locator('#restore-error');
  await err.waitFor();
  assert.match(await err.innerText(), /Refused: .*not a tar archive/);
  const name = (await admin.ok('system/backup/list')).backups[0].name as string;
  await page.setInputFiles('#restore-file', { name: '<b>x</b>.tar', mimeType: 'application/x-tar', buffer: fs.readFileSync(path.join(box.dataDir, 'backups', name)) });
  await page.locator('#restore-result', { hasText: 'Verified' }).waitFor();
  const pending = page.locator('#pending-restore');
  await pending.waitFor();
  assert.match(await pending.innerText(), /<b>x<\/b>\.tar/, 'the uploaded file name is shown as text');
  await shot('41-system-restore-pending');
  await page.click('#cancel-restore');
  await pending.waitFor({ state: 'detached' });
  assert.is((await admin.ok('system/restore/status')).pending, null);
});

test('the dashboard lists every voice channel of the sim board with its state, and the spans', async () => {
  await page.click('button[data-tab="dashboard"]');
  const voice = box.sup.engine.channels.filter((c) => c.kind !== 'dchan' && c.kind !== 'none');
  await page.locator('#channels tbody tr').first().waitFor();
  assert.is(await page.locator('#channels tbody tr').count(), voice.length, `${voice.length} voice channels`);
  for (const c of voice.slice(0, 3)) {
    const cells = await page.locator(`#channels tr[data-chan="${c.chan}"] td`).allInnerTexts();
    assert.is(cells[3], c.kind);
    assert.ok(cells[4]!.length > 0, `channel ${c.chan} shows a state`);
  }
  const spans = new Set(box.sup.engine.channels.map((c) => c.span));
  assert.is(await page.locator('#spans .span').count(), spans.size, 'every span is listed');
  await shot('42-dashboard');
});

test('no page errors (the 401 before sign-in and the refused upload\'s 400 are expected)', () => {
  assert.equal(pageErrors.filter((e) => !/status of (401|400)/.test(e)), []);
  assert.equal(dialogs, []);
});

test.run();
