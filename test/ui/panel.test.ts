// The web panel in a real headless Chromium against a running box (sim board,
// demo configuration with workday calls routed to the service queue): the
// first-run admin password, the wallboard live from the acd topic, a queue
// call seen as offered, a hostile caller name shown as text, the agent
// console's screen pop. Screenshots go to out/screenshots/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBox, demoConfig, farCall, farWait, journalWait, ended, TUESDAY_10AM, type Box } from '../calls/harness.js';
import { farEnd } from '../calls/far-end.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';

const UI_DIST = path.join(process.cwd(), 'ui', 'dist');
const SHOTS = path.join(process.cwd(), 'out', 'screenshots');
const PASSWORD = 'panel password 1';
// Caller ID carries at most 20 bytes for the number and for the name (MDMF):
// markup that would become an element if it were ever parsed as HTML.
const HOSTILE_NAME = '<img src onerror=f>';
const HOSTILE_NUMBER = '139<img src=x>0001';

let box: Box;
let api: ApiServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];

function config() {
  const c = demoConfig();
  const route = c.inboundRoute!.main as { byState: Record<string, unknown> };
  route.byState.work = { type: 'queue', queue: 'service' };
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  return c;
}

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => pageErrors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  p.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  return p;
}

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test.before(async () => {
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) throw new Error('ui/dist is not built: npm run build:ui');
  fs.mkdirSync(SHOTS, { recursive: true });
  box = await startBox(config(), { at: TUESDAY_10AM, speed: 1 });   // real time: the agent's phone rings long enough to look at
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await newPage();
});
test.after(async () => {
  await browser?.close();
  await api?.close();
  await box?.stop();
});

test('first start: the panel asks for the admin password twice, checks it, then signs in to the wallboard', async () => {
  const res = await fetch(`${api.url}/`);
  assert.match(await res.text(), /<script type="module" src="\/app\.js"><\/script>/);
  assert.match(res.headers.get('content-security-policy')!, /script-src 'self'/);
  await page.goto(`${api.url}/`);
  await page.locator('sign-in-form h2', { hasText: 'choose the admin password' }).waitFor();
  await page.fill('#password', 'short');
  await page.fill('#password2', 'short');
  await page.click('#submit');
  await page.locator('#password-error', { hasText: 'At least 8 characters' }).waitFor();
  await page.fill('#password', PASSWORD);
  await page.fill('#password2', `${PASSWORD}x`);
  await page.click('#submit');
  await page.locator('#password2-error', { hasText: 'differ' }).waitFor();
  await shot(page, '01-setup');
  await page.fill('#password2', PASSWORD);
  await page.click('#submit');
  await page.locator('tr[data-queue="service"]').waitFor();
  assert.is((box.sup.store.stmt("SELECT role FROM users WHERE username = 'admin'").get() as { role: string }).role, 'admin');
  await shot(page, '02-wallboard');
});

test('an agent logged in through the API shows as ready on the wallboard, pushed', async () => {
  const admin = new Client(api.url);
  await admin.ok('auth/session/login', { username: 'admin', password: PASSWORD });
  await admin.ok('acd/agent/login', { agent: '2001' });
  await page.locator('tr[data-agent="2001"] [data-state="ready"]', { hasText: 'Ready' }).waitFor();
  await page.locator('tr[data-queue="service"] [data-field="loggedIn"]', { hasText: '1' }).waitFor();
});

test('a caller to the queue is offered to the agent; the hostile caller name is text, never markup; the agent console pops the number', async () => {
  const admin = new Client(api.url);
  await admin.ok('auth/session/login', { username: 'admin', password: PASSWORD });
  await admin.ok('users/user/create', { username: '2001', displayName: 'Wang Fang', role: 'agent', password: 'agent password 1' });
  const agentPage = await newPage();
  await agentPage.goto(`${api.url}/`);
  await agentPage.fill('#username', '2001');
  await agentPage.fill('#password', 'agent password 1');
  await agentPage.click('#submit');
  await agentPage.locator('#my-state [data-state="ready"]').waitFor();

  const f = farEnd(box);
  const joined = journalWait(box, (e) => e.event === 'QueueJoined');
  const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8);
  await farCall(box, 1, HOSTILE_NUMBER, { name: HOSTILE_NAME });
  const journey = (await joined).journey!;
  await rang;
  await page.locator('tr[data-queue="service"] [data-field="offered"]', { hasText: '1' }).waitFor();
  await page.locator('tr[data-agent="2001"] [data-state="reserved"]').waitFor();
  await agentPage.locator('#current-call .caller', { hasText: '1390001' }).waitFor();
  await agentPage.locator('#new-customer input[name="number"]').waitFor();
  await shot(agentPage, '04-agent-ringing');

  const name = box.sup.store.cdr.get(journey)!.callerName;
  assert.is(name, HOSTILE_NAME, 'the line delivered markup in the name');
  const cell = page.locator(`tr[data-journey="${journey}"] .caller-name`);
  await cell.waitFor();
  assert.is(await cell.innerText(), name, 'shown verbatim as text');
  await shot(page, '03-wallboard-call');

  const up = journalWait(box, (e) => e.event === 'QueueAnswered' && e.journey === journey);
  await box.far.sim('answer', 8);
  await up;
  await page.locator('tr[data-agent="2001"] [data-state="on-call"]').waitFor();
  await page.locator('tr[data-queue="service"] [data-field="answered"]', { hasText: '1' }).waitFor();
  const done = journalWait(box, ended(journey));
  await box.far.sim('hangup', 1);
  await done;
  await f.hangUp(8);
  await page.locator(`tr[data-journey="${journey}"] [data-disposition="answered"]`).waitFor();

  // Nothing the line sent became an element, in any shadow root.
  const imgs = async (p: Page) => p.evaluate(() => {
    let n = 0;
    const walk = (root: Document | ShadowRoot) => { n += root.querySelectorAll('img').length; for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot); };
    walk(document);
    return n;
  });
  assert.is(await imgs(page), 0);
  assert.is(await imgs(agentPage), 0);
  assert.equal(dialogs, [], 'no script ran');
  await agentPage.context().close();
});

test('the language switch turns the panel into Chinese and is remembered', async () => {
  await page.click('#lang');
  await page.locator('th', { hasText: '排队' }).first().waitFor();
  assert.is(await page.evaluate(() => localStorage.getItem('hotline.lang')), 'zh');
  await page.reload();
  await page.locator('th', { hasText: '排队' }).first().waitFor();
  await shot(page, '05-wallboard-zh');
  await page.click('#lang');
});

test('admin configuration: queues listed, a document edited as JSON, a bad value named by its field', async () => {
  await page.click('button[data-tab="config"]');
  await page.locator('ul[data-kind="queue"] button[data-id="service"]').click();
  const text = await page.locator('#doc').inputValue();
  const doc = JSON.parse(text) as Record<string, unknown>;
  await page.fill('#doc', JSON.stringify({ ...doc, wrapUpSec: -5 }, null, 2));
  await page.click('#validate');
  await page.locator('#field-errors li', { hasText: 'wrapUpSec' }).waitFor();
  await shot(page, '06-config-error');
  await page.fill('#doc', '{ not json');
  await page.click('#validate');
  await page.locator('#config-error', { hasText: 'Not valid JSON' }).waitFor();
  await page.fill('#doc', text);
  await page.click('#validate');
  await page.locator('#ok', { hasText: 'Valid' }).waitFor();
  await page.click('button[data-tab="wallboard"]');
  await page.locator('tr[data-queue="service"]').waitFor();
});

test('first-load JavaScript per face, gzip, stays under 200 KB', async () => {
  const sizes: Record<string, number> = {};
  for (const [face, user, pass] of [['supervisor-admin', 'admin', PASSWORD], ['agent', '2001', 'agent password 1']] as const) {
    const p = await newPage();
    const urls = new Set<string>();
    p.on('response', (r) => { if (r.request().resourceType() === 'script') urls.add(new URL(r.url()).pathname); });
    await p.goto(`${api.url}/`);
    await p.fill('#username', user);
    await p.fill('#password', pass);
    await p.click('#submit');
    await p.locator(face === 'agent' ? '#my-state' : 'tr[data-queue="service"]').waitFor();
    let total = 0;
    for (const u of urls) total += zlib.gzipSync(fs.readFileSync(path.join(UI_DIST, u))).length;
    sizes[face] = total;
    await p.context().close();
  }
  console.log(`  first-load JS (gzip): ${Object.entries(sizes).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}`);
  for (const v of Object.values(sizes)) assert.ok(v < 200 * 1024);
  assert.equal(pageErrors.filter((e) => !/WebSocket|401|Unauthorized/.test(e)), [], 'no page errors');
});

test.run();
