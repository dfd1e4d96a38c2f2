// The console end to end on a real pty standing in for the serial cable: the
// supervisor opens the pty's slave path through `serialport` like it opens
// ttyS0; the test types at the master like a tech's terminal. The box is the
// sim engine and a supervisor with the demo configuration.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { startBox, demoConfig, TUESDAY_10AM, type Box } from '../calls/harness.js';
import { startApiServer, type ApiServer } from '../../src/api/http-server.js';
import { startConsoleService, type ConsoleService } from '../../src/console/console-service.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createLogger } from '../../src/log.js';

const PASSWORD = 'field-tech-pass';
let box: Box;
let api: ApiServer;
let consoles: ConsoleService;
let relay: ChildProcessWithoutNullStreams;
let screen = '';
let mark = 0;

// What the terminal shows from `mark` on, once `want` shows up in it.
async function expect(want: string | RegExp, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = screen.slice(mark);
    const i = typeof want === 'string' ? seen.indexOf(want) : seen.search(want);
    if (i >= 0) {
      const len = typeof want === 'string' ? want.length : seen.slice(i).match(want)![0].length;
      mark += i + len;
      return seen.slice(0, i + len);
    }
    if (Date.now() > deadline) throw new Error(`expected ${String(want)} on the terminal; it shows ${JSON.stringify(seen.slice(-600))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const type = (s: string) => { relay.stdin.write(s); };
// Types a command, returns what it printed up to the next prompt.
async function run(line: string, user = 'admin'): Promise<string> {
  type(`${line}\r`);
  return (await expect(`${user}@hotline> `)).replace(/\r/g, '');
}

function config() {
  const c = demoConfig();
  for (const a of Object.values(c.agent!) as { autoLogin?: boolean }[]) a.autoLogin = false;
  return c;
}

test.before(async () => {
  box = await startBox(config(), { at: TUESDAY_10AM });
  api = await startApiServer({ port: 0, dataDir: box.dataDir, supervisor: box.sup, log: createLogger({}, () => {}) });
  const users = api.deps.accounts.users;
  users.create({ username: 'admin', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  users.create({ username: 'victim', role: 'supervisor', passwordHash: await hashPassword(PASSWORD) });
  relay = spawn('python3', [path.join(process.cwd(), 'test/console/pty-relay.py')]);
  relay.stdout.on('data', (d: Buffer) => { screen += d.toString('utf8'); });
  const slave = (await expect(/\/dev\/pts\/\d+\n/)).trim();
  consoles = await startConsoleService({ deps: api.deps, registry: api.registry, dataDir: box.dataDir, device: slave, socket: false, idleMs: 0 });
  await expect('login: ');
});
test.after(async () => {
  await consoles?.close();
  relay?.kill();
  await api?.close();
  await box?.stop();
});

test('a wrong password is refused without echo; five failures lock the name even with the right password', async () => {
  type('admin\r');
  await expect('Password: ');
  type('not-the-password\r');
  const out = await expect('login: ');
  assert.ok(out.includes('Login incorrect'), out);
  assert.not.ok(out.includes('not-the-password'), `the password was echoed: ${out}`);
  for (let i = 0; i < 5; i++) {
    type(`victim\rwrong-${i}\r`);
    await expect('login: ');
  }
  type(`victim\r${PASSWORD}\r`);
  const locked = await expect('login: ');
  assert.match(locked, /error rate_limited: too many failed logins: try again in 15 min/);
  assert.ok(api.deps.accounts.throttle.waitMs('victim', 'elsewhere') > 0, 'the same lockout the API sees');
});

test('login, then help lists the commands of the role with their summaries', async () => {
  type(`admin\r${PASSWORD}\r`);
  const hello = await expect('admin@hotline> ');
  assert.ok(hello.includes('Signed in as admin (admin)'), hello);
  assert.not.ok(hello.includes(PASSWORD), 'password not echoed');
  const help = await run('help');
  assert.match(help, /acd\/agent\/pause +Set an agent not ready with a reason code/);
  assert.match(help, /audit\/entry\/list/);
  assert.not.ok(help.includes('auth/session/login'), 'HTTP-only commands are not offered');
  assert.match(help, /reset-admin/);
  const one = await run('help acd/agent/pause');
  assert.match(one, /roles: admin, supervisor; a change \(audited\)/);
  assert.match(one, /agent +string \/\^\[0-9\]\{2,8\}\$\/, required/);
  assert.match(one, /reason +string .*default "break"/);
});

test('an ACD command changes an agent\'s state on the box, audited with via console', async () => {
  assert.match(await run('acd/agent/login agent=2001'), /state: ready/);
  assert.match(await run('acd/agent/pause agent=2001 reason=lunch'), /^ok$/m);
  const a = box.sup.ctx.acd.agents.get('2001')!;
  assert.equal([a.state, a.reason], ['paused', 'lunch']);
  const audit = api.deps.accounts.audit.list({ command: 'acd/agent/pause' }).items[0]!;
  assert.equal([audit.actor, audit.via, audit.ip, audit.target], ['admin', 'console', `console:${path.basename(consoleDevice())}`, 'agent 2001']);
  const shown = await run('audit/entry/list command=acd/agent/pause limit=1');
  assert.match(shown, /via: console|console +acd\/agent\/pause|console/);
  const status = await run('acd/status/get --json');
  assert.match(status, /"id": "2001"/);
  const doc = await run('config/doc/get {"kind":"extension","id":"801"}');
  assert.match(doc, /801/);
});

test('an error shows the stable id and the field', async () => {
  const out = await run('acd/agent/pause agent=2001 reason="Lunch Break!"');
  assert.match(out, /error validation_failed: /);
  assert.match(out, /field reason: a reason code is lower-case letters/);
  const unknown = await run('acd/agent/login agent=9999');
  assert.match(unknown, /error not_found: agent 9999 does not exist/);
});

test('a hostile caller name is printed with its ESC sequences escaped, in lists and in status', async () => {
  // The call path already strips controls from caller ID; the console must not rely on it.
  box.sup.store.cdr.open({ journey: 'j-hostile', direction: 'inbound', caller: '13912345678', callerName: 'EVIL\x1b[2J\x1b]0;owned\x07', startedAt: new Date().toISOString() });
  box.sup.store.flush();
  const list = await run('calls/cdr/list limit=5');
  assert.ok(list.includes('EVIL\\x1b[2J\\x1b]0;owned\\x07'), list);
  assert.not.ok(list.includes('\x1b'), 'no raw ESC reached the terminal');
  const status = await run('status');
  assert.match(status, /Engine: \d+ channels/);
  assert.match(status, /Calls in progress: 1/);
  assert.ok(status.includes('EVIL\\x1b[2J'), status);
  assert.match(status, /service +0/);
  assert.not.ok(status.includes('\x1b'));
});

test('line editing on the wire: backspace fixes a typo, Ctrl-C drops the line, Ctrl-D logs out', async () => {
  const out = await run('helpx\x7f acd/agent/resume');
  assert.match(out, /acd\/agent\/resume: Set an agent ready/);
  type('acd/agent/logout agent=2001\x03');
  await expect('^C');
  await expect('admin@hotline> ');
  assert.is(box.sup.ctx.acd.agents.get('2001')!.state, 'paused', 'the cancelled line did nothing');
  type('\x04');
  await expect('login: ');
  const sessions = api.deps.store.stmt('SELECT COUNT(*) AS n FROM sessions WHERE ip LIKE ?').get('console:%') as { n: number };
  assert.is(sessions.n, 0, 'the console session ended');
  assert.not.ok(screen.includes('\x1b'), 'nothing sent to the terminal used an escape sequence');
});

test('reset-admin at the login prompt, on the physical port, with a confirmation', async () => {
  type('reset-admin\r');
  await expect('Type yes to go on: ');
  type('yes\r');
  await expect('New admin password: ');
  type('brand-new-pass\r');
  await expect('Again: ');
  type('brand-new-pass\r');
  const done = await expect('login: ');
  assert.match(done, /The password of admin is set/);
  assert.not.ok(done.includes('brand-new-pass'));
  type('admin\rbrand-new-pass\r');
  await expect('admin@hotline> ');
  const audit = api.deps.accounts.audit.list({ command: 'auth/admin/reset' }).items[0]!;
  assert.is(audit.via, 'console');
  type('exit\r');
  await expect('login: ');
});

function consoleDevice(): string { return /\/dev\/pts\/\d+/.exec(screen)![0]; }

test.run();
