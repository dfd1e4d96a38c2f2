// The pages around the API: the sign-in page is public and locked down by
// CSP, /status needs an admin or supervisor session, and the panel's built
// files are served from ui/dist without letting a path climb out of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startTestApi, adminClient, userClient, type TestApi } from './test-kit.js';

let t: TestApi;
const ui = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-ui-'));
fs.mkdirSync(path.join(ui, 'dist'));
fs.writeFileSync(path.join(ui, 'dist', 'index.html'), '<!doctype html><title>panel</title>');
fs.writeFileSync(path.join(ui, 'dist', 'app.js'), 'console.log(1)');
fs.writeFileSync(path.join(ui, 'secret.txt'), 'outside');

test.after(async () => { await t.stop(); fs.rmSync(ui, { recursive: true, force: true }); });

test('without a panel build: a sign-in page at / under a strict CSP; /status needs a supervisor', async () => {
  t = await startTestApi({ uiDir: path.join(ui, 'none') });
  const home = await fetch(`${t.api.url}/`);
  assert.is(home.status, 200);
  assert.match(await home.text(), /sign in/i);
  assert.match(home.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.is((await fetch(`${t.api.url}/signin.js`)).status, 200);
  assert.is((await fetch(`${t.api.url}/status`)).status, 401);
  const admin = await adminClient(t);
  const agent = await userClient(t, admin, 'agent');
  const sup = await userClient(t, admin, 'supervisor');
  assert.is((await fetch(`${t.api.url}/status`, { headers: { cookie: agent.cookie! } })).status, 403);
  const page = await fetch(`${t.api.url}/status`, { headers: { cookie: sup.cookie! } });
  assert.is(page.status, 200);
  assert.match(await page.text(), /status\.js/);
  await t.stop();
});

test('with a panel build: its files are served and a path cannot climb out', async () => {
  t = await startTestApi({ uiDir: path.join(ui, 'dist') });
  assert.match(await (await fetch(`${t.api.url}/`)).text(), /panel/);
  const js = await fetch(`${t.api.url}/app.js`);
  assert.is(js.headers.get('content-type'), 'application/javascript; charset=utf-8');
  // fetch normalises "..", so send the raw request line.
  const raw = await new Promise<string>((resolve) => {
    const s = net.connect(t.api.port, '127.0.0.1', () => s.write('GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let out = '';
    s.on('data', (c) => { out += c.toString(); });
    s.on('end', () => resolve(out));
  });
  assert.not.match(raw, /outside/);
  assert.match(raw, /^HTTP\/1\.1 404/);
  assert.is((await fetch(`${t.api.url}/%2e%2e/secret.txt`)).status, 404);
});

test.run();
