// A box on the sim board (demo configuration) with its API, and headless
// Chromium signed in as the admin: what the panel's admin-page tests share.
// Page errors, dialogs and the scripts loaded are collected for the tests.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBox, demoConfig, TUESDAY_10AM, type Box } from '../calls/harness.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { Client } from '../../src/api/test-kit.js';
import { createLogger } from '../../src/log.js';

export const UI_DIST = path.join(process.cwd(), 'ui', 'dist');
export const SHOTS = path.join(process.cwd(), 'out', 'screenshots');

export interface AdminSession {
  box: Box; api: ApiServer; browser: Browser; page: Page; admin: Client;
  pageErrors: string[]; dialogs: string[]; scripts: Set<string>;
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function adminSession(opts: { password: string; readyWhen: string; timezoneId?: string; dialogs?: 'accept' | 'dismiss' }): Promise<AdminSession> {
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) throw new Error('ui/dist is not built: npm run build:ui');
  fs.mkdirSync(SHOTS, { recursive: true });
  const box = await startBox(demoConfig(), { at: TUESDAY_10AM });
  const api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  const admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: opts.password });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 }, ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}) });
  const page = await ctx.newPage();
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const scripts = new Set<string>();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.on('dialog', (d) => { dialogs.push(d.message()); void (opts.dialogs === 'accept' ? d.accept() : d.dismiss()); });
  page.on('response', (r) => { if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname); });
  await page.goto(`${api.url}/`);
  await page.fill('#username', 'admin');
  await page.fill('#password', opts.password);
  await page.click('#submit');
  await page.locator(opts.readyWhen).waitFor();
  return {
    box, api, browser, page, admin, pageErrors, dialogs, scripts,
    shot: (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }),
    async close() { await browser.close(); await api.close(); await box.stop(); },
  };
}
