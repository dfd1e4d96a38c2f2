// Panel figures the web panel issue names, in headless Chromium against a sim
// box on loopback:
// - first-load JavaScript per face (gzip), against the whole panel's
//   JavaScript (every file in ui/dist, gzip) measured in the same run: the
//   ratio is what lazy loading saves;
// - time to interactive per face (navigation start to the face's first data);
// - screen pop: the agent's phone rings (the far end's SimPhoneRang) to the
//   caller's form visible in the agent console, against the same call's ring
//   to the supervisor deciding to offer it (QueueOffered), the server's part.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { startBox, demoConfig, journalWait, farWait, TUESDAY_10AM } from '../test/calls/harness.js';
import { startApiServer } from '../src/api/http-server.js';
import { Client } from '../src/api/test-kit.js';
import { createLogger } from '../src/log.js';
import { projectRoot } from '../src/native/addon.js';

const log = (msg: string): void => { process.stderr.write(`[bench] ${msg}\n`); };
const ADMIN = 'bench admin password';
const AGENT = 'bench agent password';

function gzipOf(file: string): number { return zlib.gzipSync(fs.readFileSync(file)).length; }

function allJs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? allJs(p) : p.endsWith('.js') ? [p] : [];
  });
}

// Resolves with Date.now() and performance.now() in the page once an element
// matching selector is rendered (searching every shadow root every 10 ms).
async function whenVisible(p: Page, selector: string, timeout = 20000): Promise<{ wall: number; perf: number }> {
  const h = await p.waitForFunction((sel) => {
    const find = (root: Document | ShadowRoot): Element | null => {
      for (const el of root.querySelectorAll(sel)) if ((el as HTMLElement).offsetParent !== null) return el;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
      return null;
    };
    return find(document) ? { wall: Date.now(), perf: performance.now() } : null;
  }, selector, { polling: 10, timeout });
  return await h.jsonValue() as { wall: number; perf: number };
}

export async function benchPanel(args: string[]): Promise<void> {
  const calls = Math.max(1, Number(args[args.indexOf('--calls') + 1]) || 5);
  const dist = path.join(projectRoot(), 'ui', 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('ui/dist is not built: npm run build:ui');
  const whole = allJs(dist).reduce((n, f) => n + gzipOf(f), 0);

  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  (c.agent!['2001'] as { user?: string }).user = 'agent1';
  log('starting a sim box, its API and Chromium');
  const box = await startBox(c, { at: TUESDAY_10AM, speed: 1 });
  const api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  const admin = new Client(api.url);
  await admin.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN });
  await admin.ok('users/user/create', { username: 'agent1', role: 'agent', password: AGENT });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const faces: Record<string, unknown>[] = [];
    const pages: Record<string, Page> = {};
    for (const f of [{ face: 'admin', user: 'admin', pass: ADMIN, ready: 'tr[data-queue="service"]' }, { face: 'agent', user: 'agent1', pass: AGENT, ready: '#my-state [data-state]' }]) {
      const p = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
      const scripts = new Set<string>();
      p.on('response', (r) => { if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname); });
      await p.goto(`${api.url}/`);
      await p.fill('#username', f.user);
      await p.fill('#password', f.pass);
      await p.click('#submit');
      await whenVisible(p, f.ready);
      const firstLoad = [...scripts].reduce((n, u) => n + gzipOf(path.join(dist, u)), 0);
      const seen = whenVisible(p, f.ready);
      await p.reload();
      faces.push({ face: f.face, firstLoadJsGzipBytes: firstLoad, files: scripts.size, ratioToWholePanel: Number((firstLoad / whole).toFixed(3)), timeToInteractiveMs: Math.round((await seen).perf) });
      pages[f.face] = p;
    }
    // Screen pop: the agent logs in from the console; callers dial the 400
    // number over the E1 (straight to the queue); the phone rings, the agent's
    // form pops; the caller gives up and the next one comes.
    const agent = pages.agent!;
    await agent.click('#me-login');
    await whenVisible(agent, '#my-state [data-state="ready"]');
    const pops: { fromRing: number; serverPart: number }[] = [];
    for (let i = 0; i < calls; i++) {
      const number = `1390000${String(1000 + i)}`;
      let offeredAt = 0;
      const offered = journalWait(box, (e) => e.event === 'QueueOffered', 20000).then((e) => { offeredAt = Date.now(); return e.journey!; });
      const rang = farWait(box, (e) => e.event === 'SimPhoneRang' && e.chan === 8, 20000).then(() => Date.now());
      const t0 = Date.now();
      await box.far.sim('call', 13, { dnis: '4008001234', ani: number });
      const journey = await offered;
      // This call's form (an earlier one may still show): seen late rather than early.
      const popped = whenVisible(agent, `#new-customer[data-journey="${journey}"] input[name="number"]`);
      const rangAt = await rang;
      const seenAt = (await popped).wall;
      pops.push({ fromRing: seenAt - rangAt, serverPart: offeredAt - t0 });
      const idle = farWait(box, (e) => e.event === 'SimLineIdle' && e.chan === 13, 20000);
      await box.far.sim('hangup', 13);
      await idle;
      await new Promise((r) => setTimeout(r, 500));
      await admin.ok('acd/agent/resume', { agent: '2001' }).catch(() => undefined);
      await whenVisible(agent, '#my-state [data-state="ready"]');
      log(`call ${i + 1}/${calls}: pop ${pops[i]!.fromRing} ms after the ring`);
    }
    const sorted = pops.map((p) => p.fromRing).sort((a, b) => a - b);
    const ringToOffer = pops.map((p) => p.serverPart).sort((a, b) => a - b);
    const p50 = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)]!;
    process.stdout.write(JSON.stringify({
      bench: 'panel',
      wholePanelJsGzipBytes: whole,
      firstLoadTargetBytes: 200 * 1024,
      faces,
      screenPop: {
        calls, targetMs: 1000,
        ringToVisibleMs: { p50: p50(sorted), max: sorted[sorted.length - 1] },
        // The baseline: from the exchange's IAM/seizure to the supervisor's decision to offer, same calls.
        callToQueueOfferedMs: { p50: p50(ringToOffer), max: ringToOffer[ringToOffer.length - 1] },
      },
    }, null, 2) + '\n');
  } finally {
    await browser.close();
    await api.close();
    await box.stop();
  }
}
