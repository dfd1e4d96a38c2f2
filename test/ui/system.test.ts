// The System page and the agent console's call handling in headless Chromium
// against a box on the sim board. System: the OS network listed, a static
// setting refused by field then staged with the "applies at the next network
// restart" notice, time zone and NTP, log lines filtered, searched (hostile
// text stays text) and downloaded, the backup policy with the progress bar
// left at 100 %, a customer CSV imported and exported with progress bars.
// Agent console: "pick up your phone" while it rings (no answer button), hold
// and resume, hang-up, the wrap-up saved with tags on the call and the
// customer's history, the call in "my calls" with its recording playing in
// the browser, and click-to-dial from the customer's record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBox, demoConfig, farCall, farWait, journalWait, ended, TUESDAY_10AM, type Box } from '../calls/harness.js';
import { farEnd } from '../calls/far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';
import { UI_DIST, SHOTS } from './admin-session.js';

const PASSWORD = 'system page password';
const AGENT_PASSWORD = 'agent zhao password';
const CUSTOMER = '13912340077';
const HOSTILE = 'probe <img src=x onerror=alert(7)> end';

let box: Box;
let api: ApiServer;
let browser: Browser;
let page: Page;
let agentPage: Page;
let admin: Client;
const pageErrors: string[] = [];
const dialogs: string[] = [];
let customerId = 0;

function config() {
  const c = demoConfig();
  const route = c.inboundRoute!.main as { byState: Record<string, unknown> };
  route.byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  (c.agent!['2001'] as { user?: string }).user = 'zhao';
  (c.queue!.service as { recording?: string }).recording = 'always';
  return c;
}

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => pageErrors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  p.on('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
  return p;
}

async function signIn(p: Page, user: string, pass: string): Promise<void> {
  await p.goto(`${api.url}/`);
  await p.fill('#username', user);
  await p.fill('#password', pass);
  await p.click('#submit');
}

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test.before(async () => {
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) throw new Error('ui/dist is not built: npm run build:ui');
  fs.mkdirSync(SHOTS, { recursive: true });
  box = await startBox(config(), { at: TUESDAY_10AM, speed: 1 });
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: PASSWORD });
  await admin.ok('users/user/create', { username: 'zhao', displayName: 'Zhao Lei', role: 'agent', password: AGENT_PASSWORD });
  customerId = (await admin.ok('crm/customer/create', { name: 'Sun Mei', company: 'Meihua Tea', phones: [{ number: CUSTOMER }] })).id;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await newPage();
  await signIn(page, 'admin', PASSWORD);
  await page.locator('button[data-tab="system"]').waitFor();
});
test.after(async () => { await browser?.close(); await api?.close(); await box?.stop(); });

test('network: the OS interfaces listed; a static setting refused by field, then staged with the next-restart notice', async () => {
  await page.click('button[data-tab="system"]');
  await page.click('button[data-section="network"]');
  await page.locator('#interfaces tr[data-iface="lo"] .addr', { hasText: '127.0.0.1/8' }).waitFor();
  assert.match(await page.locator('#network-applies').innerText(), /next network restart/);
  await page.check('input[name="mode"][value="static"]');
  await page.fill('#net-address', '192.168.1.10/24');
  await page.fill('#net-gateway', '10.0.0.1');
  await page.fill('#net-dns', '223.5.5.5');
  await page.locator('#net-dns').dispatchEvent('change');
  await page.click('#network-save');
  await page.locator('[data-field-error="gateway"]', { hasText: 'not inside 192.168.1.10/24' }).waitFor();
  await shot(page, '50-system-network-error');
  await page.fill('#net-gateway', '192.168.1.1');
  await page.click('#network-save');
  await page.locator('#network-saved').waitFor();
  assert.equal((await admin.ok('system/network/get')).staged, { interface: 'eth0', mode: 'static', address: '192.168.1.10/24', gateway: '192.168.1.1', dns: ['223.5.5.5'] });

  await page.fill('#time-zone', 'Mars/Base');
  await page.click('#time-save');
  await page.locator('[data-field-error="timezone"]').waitFor();
  await page.fill('#time-zone', 'Asia/Urumqi');
  await page.fill('#time-ntp', 'ntp.aliyun.com\n10.0.0.5');
  await page.locator('#time-ntp').dispatchEvent('change');
  await page.click('#time-save');
  await page.locator('#time-saved').waitFor();
  assert.equal((await admin.ok('system/time/get')).settings, { timezone: 'Asia/Urumqi', ntp: ['ntp.aliyun.com', '10.0.0.5'] });
  await shot(page, '51-system-network-time');
});

test('logs: filtered by level, searched, hostile text shown as text, downloaded as a file', async () => {
  const log = createLogger({ app: 'hotline' }, () => {});
  log.info('routine line for the log page');
  log.error(HOSTILE, { chan: 3 });
  await page.click('button[data-section="logs"]');
  await page.locator('#log-lines .line', { hasText: 'routine line for the log page' }).waitFor();
  await page.selectOption('#log-level', 'error');
  await page.locator('#log-lines .line', { hasText: 'routine line' }).waitFor({ state: 'detached' });
  const levels = await page.locator('#log-lines .line').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
  assert.ok(levels.length > 0 && levels.every((l) => l === 'error'), `levels ${levels}`);
  await page.fill('#log-search', 'onerror=alert(7)');
  await page.locator('#log-count', { hasText: /^1$/ }).waitFor();
  assert.is(await page.locator('#log-lines .msg').innerText(), HOSTILE, 'shown verbatim');
  assert.is(await page.locator('system-logs img').count(), 0, 'no element from the text');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-download')]);
  assert.match(download.suggestedFilename(), /^hotline-log-.*\.jsonl$/);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  assert.is(JSON.parse(text.trim()).msg, HOSTILE);
  await shot(page, '52-system-logs');
});

test('backups: the policy keeps the last 2; making one shows its progress bar, left at 100 %', async () => {
  await page.click('button[data-section="backups"]');
  await page.locator('#backup-policy').waitFor();
  await page.fill('#keep-last', '2');
  await page.check('#daily');
  await page.fill('#daily-hour', '4');
  await page.click('#policy-save');
  await page.locator('#policy-saved').waitFor();
  assert.equal((await admin.ok('system/backup-policy/get')).keepLast, 2);
  for (let i = 0; i < 3; i++) {
    await page.click('#create-backup');
    await page.locator('#backup-progress[data-phase="done"] progress[value="100"]').waitFor();
    await page.locator('#create-backup:not([disabled])').waitFor();
    await new Promise((r) => setTimeout(r, 1100));   // names carry the second
  }
  await page.waitForFunction(() => true);
  assert.is((await admin.ok('system/backup/list')).backups.length, 2);
  assert.is(await page.locator('#backups tr[data-backup]').count(), 2);
  await shot(page, '53-system-backup-policy');
});

test('customers: a CSV imported with a progress bar to the last row; a bad one lists its problems; export downloads with its bar', async () => {
  await page.click('button[data-section="customers"]');
  const rows = Array.from({ length: 700 }, (_, i) => `Kehu ${i},Gongsi ${i % 9},,1380013${String(i).padStart(4, '0')}`);
  await page.setInputFiles('#import-file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(['name,company,address,phones', ...rows].join('\n')) });
  await page.locator('#import-progress[data-phase="done"]').waitFor();
  assert.match(await page.locator('#import-progress').innerText(), /700 \/ 700 rows/);
  assert.match(await page.locator('#csv-result').innerText(), /700 customers imported/);
  await page.setInputFiles('#import-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phones\nGood,13900000000\n,not a number\n') });
  await page.locator('#csv-error li', { hasText: 'phones' }).first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  await page.locator('#export-progress[data-phase="done"]').waitFor();
  assert.match(download.suggestedFilename(), /^customers-.*\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  assert.ok(csv.includes('Kehu 699') && csv.includes('Sun Mei'), 'every customer exported');
  assert.match(await page.locator('#export-progress').innerText(), /701 \/ 701 rows/);
  await shot(page, '54-system-customers-csv');
});

test('agent console: pick up while ringing, hold and resume, hang up, wrap-up with tags, my calls with the recording playing, click-to-dial', async () => {
  agentPage = await newPage();
  await signIn(agentPage, 'zhao', AGENT_PASSWORD);
  await agentPage.locator('#me-login').click();
  await agentPage.locator('#my-state [data-state="ready"]').waitFor();

  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await farCall(box, 1, CUSTOMER, { name: 'SUN M' });
  const journey = (await joined).journey!;
  await rang;
  await agentPage.locator('#pickup-hint', { hasText: 'Pick up your phone (ext. 804)' }).waitFor();
  assert.is(await agentPage.locator('button', { hasText: /^Answer$/ }).count(), 0, 'no fake answer button');
  await agentPage.locator('#customer .customer-name', { hasText: 'Sun Mei' }).waitFor();
  await shot(agentPage, '55-agent-pick-up');

  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  const recording = journalWait(box, (e) => e.event === 'RecordingStarted' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  await recording;
  await box.far.sim('talk', 1, { freq: 700 });
  await agentPage.locator('#call-phase[data-phase="talking"]').waitFor();
  const held = journalWait(box, (e) => e.event === 'CallHeld' && e.journey === journey);
  await agentPage.click('#call-hold');
  await held;
  await agentPage.locator('#held').waitFor();
  await shot(agentPage, '56-agent-on-hold');
  const resumed = journalWait(box, (e) => e.event === 'CallResumed' && e.journey === journey);
  await agentPage.click('#call-unhold');
  await resumed;
  await agentPage.locator('#call-hold').waitFor();
  await new Promise((r) => setTimeout(r, 1500));    // a recording worth playing
  const done = journalWait(box, ended(journey));
  await agentPage.click('#call-hangup');
  await done;
  await farEnd(box).hangUp(8);

  // The wrap-up of the call just taken opens by itself.
  const form = agentPage.locator(`#wrapup[data-journey="${journey}"]`);
  await form.waitFor();
  await agentPage.check('#wrapup-tags input[value="sale"]');
  await agentPage.fill('#wrapup-custom', 'vip-lead');
  await agentPage.fill('#wrapup-note', 'Wants 20 kg of <b>oolong</b>; quote by Friday');
  await agentPage.click('#wrapup-save');
  await agentPage.locator('#wrapup-saved', { hasText: 'customer' }).waitFor();
  const cdr = box.sup.store.cdr.get(journey)!;
  assert.ok(cdr.tags.includes('sale') && cdr.tags.includes('vip-lead'), `CDR tags ${cdr.tags}`);
  const notes = (await admin.ok('crm/customer/history', { id: customerId })).filter((h: { type: string }) => h.type === 'note');
  assert.is(notes[0].note.body, '[sale, vip-lead] Wants 20 kg of <b>oolong</b>; quote by Friday');

  // My calls: the row with its tags and note (as text) and the recording playing.
  const row = agentPage.locator(`#my-history tr[data-journey="${journey}"]`);
  await row.locator('.wrap-tags', { hasText: 'Sale' }).waitFor();
  assert.is(await row.locator('td.note').innerText(), 'Wants 20 kg of <b>oolong</b>; quote by Friday');
  assert.is(await agentPage.locator('my-calls b').count(), 0);
  await row.locator('button[data-action="play"]').first().click();
  const audio = row.locator('audio');
  await audio.waitFor();
  const rec = box.sup.store.recordings.forJourney(journey)[0]!;
  assert.is(await audio.getAttribute('src'), `/api/recordings/${rec.id}.wav`);
  const played = await audio.evaluate((a: HTMLAudioElement) => new Promise<{ duration: number; error: number | null }>((resolve) => {
    const fin = () => resolve({ duration: a.duration, error: a.error?.code ?? null });
    if (a.readyState >= 1) fin(); else { a.addEventListener('loadedmetadata', fin); a.addEventListener('error', fin); }
  }));
  assert.is(played.error, null, 'the browser decodes the recording');
  assert.ok(played.duration > 1, `a recording of ${played.duration} s`);
  await shot(agentPage, '57-agent-wrapup-history');

  // Click-to-dial from the customer's record: the agent's phone rings first.
  await agentPage.click('#me-ready').catch(() => {});
  const dialBtn = agentPage.locator(`screen-pop button.dial[data-number="${CUSTOMER}"]`);
  await dialBtn.waitFor();
  const phone = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  const clicked = journalWait(box, (e) => e.event === 'ClickToDial');
  await dialBtn.click();
  assert.is((await clicked).data.number, `9${CUSTOMER}`, 'dialled with the outside-line prefix');
  await phone;
  await agentPage.locator('#dial-ringing', { hasText: `9${CUSTOMER}` }).waitFor();
  const outJourney = (await clicked).journey!;
  const outDone = journalWait(box, ended(outJourney));
  await box.far.sim('answer', 8);
  await new Promise((r) => setTimeout(r, 500));
  await farEnd(box).hangUp(8);
  await outDone;
});

test('recordings: the player and the exported call-record CSV use the same recording id as the CDR', async () => {
  await page.click('button[data-tab="recordings"]');
  const row = page.locator('#recorded-calls tbody tr').first();
  await row.waitFor();
  const journey = (await row.getAttribute('data-journey'))!;
  const cdr = box.sup.store.cdr.get(journey)!;
  await row.locator('button[data-action="play"]').click();
  const src = await page.locator('#player audio').first().getAttribute('src');
  assert.is(src, `/api/recordings/${cdr.recordings[0]}.wav`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-calls')]);
  assert.match(download.suggestedFilename(), /^calls-.*\.csv$/);
  const lines = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
  const header = lines[0]!.split(',');
  const cells = lines.find((l) => l.startsWith(`"${journey}"`))!.split(',');
  assert.is(cells[header.indexOf('"recordings"')], `"${cdr.recordings[0]}"`);
  assert.is(cells[header.indexOf('"recordingUrls"')], `"${src}"`);
});

test('no page errors, no dialogs', () => {
  assert.equal(pageErrors.filter((e) => !/status of (401|400|409)/.test(e)), []);
  assert.equal(dialogs, []);
});

test.run();
