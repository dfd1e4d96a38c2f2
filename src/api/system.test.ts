// The System page's commands over HTTP: the network as the OS has it and the
// static/DHCP setting staged for the appliance (bad input named by its
// field), time zone and NTP, the supervisor's recent log lines (level filter,
// text search), the backup policy enforced by the backup code (keep the last
// N, the daily backup once a day), CSV import/export progress (rows done of
// all) on the progress topic and by polling; every change audited, every
// command admins-only (jobs: supervisors too).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, adminClient, userClient, WsClient, type TestApi, type Client } from './test-kit.js';
import { createLogger } from '../log.js';
import { defaultGateway, resolvConf } from '../system/network-info.js';

let t: TestApi;
let admin: Client;
let sup: Client;
let agent: Client;

test.before(async () => {
  t = await startTestApi();
  admin = await adminClient(t);
  sup = await userClient(t, admin, 'supervisor');
  agent = await userClient(t, admin, 'agent');
});
test.after(async () => { await t.stop(); });

const fieldsOf = (r: { body: { error: { fields?: { path: string }[] } } }) => (r.body.error.fields ?? []).map((f) => f.path);

test('network: what the OS has (interfaces with addresses, gateway, DNS) and the staged setting', async () => {
  const n = await admin.ok('system/network/get');
  const lo = n.interfaces.find((i: { name: string }) => i.name === 'lo');
  assert.ok(lo?.addresses.some((a: { address: string; cidr: string }) => a.address === '127.0.0.1' && a.cidr === '127.0.0.1/8'), JSON.stringify(n.interfaces));
  assert.ok(Array.isArray(n.dns));
  assert.equal(n.staged, { interface: 'eth0', mode: 'dhcp', dns: [] }, 'DHCP until staged otherwise');
  assert.match(n.applies, /next network restart/);
  // The parsers on known text.
  assert.equal(defaultGateway('Iface\tDestination\tGateway\tFlags\neth0\t0001A8C0\t00000000\t0001\neth0\t00000000\t0101A8C0\t0003\n'), { address: '192.168.1.1', interface: 'eth0' });
  assert.equal(resolvConf('# comment\nnameserver 223.5.5.5\nnameserver 114.114.114.114 ; x\nsearch office.lan\n'), { dns: ['223.5.5.5', '114.114.114.114'], searchDomains: ['office.lan'] });
});

test('network: a static setting is validated field by field, then staged and audited', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ mode: 'static', address: '192.168.1.300/24', gateway: '192.168.1.1', dns: ['223.5.5.5'] }, 'address'],
    [{ mode: 'static', address: '192.168.1.10/33', gateway: '192.168.1.1', dns: ['223.5.5.5'] }, 'address'],
    [{ mode: 'static', address: '192.168.1.10', gateway: '192.168.1.1', dns: ['223.5.5.5'] }, 'address'],
    [{ mode: 'static', address: '192.168.1.0/24', gateway: '192.168.1.1', dns: ['223.5.5.5'] }, 'address'],
    [{ mode: 'static', address: '192.168.1.10/24', dns: ['223.5.5.5'] }, 'gateway'],
    [{ mode: 'static', address: '192.168.1.10/24', gateway: '10.0.0.1', dns: ['223.5.5.5'] }, 'gateway'],
    [{ mode: 'static', address: '192.168.1.10/24', gateway: '192.168.1.1', dns: ['dns.example'] }, 'dns.0'],
    [{ mode: 'static', address: '192.168.1.10/24', gateway: '192.168.1.1' }, 'dns'],
    [{ mode: 'bridge' }, 'mode'],
    [{ interface: 'eth0; reboot' }, 'interface'],
  ];
  for (const [input, field] of cases) {
    const r = await admin.call('system/network/set', input);
    assert.is(r.status, 400, JSON.stringify(input));
    assert.ok(fieldsOf(r).includes(field), `${JSON.stringify(input)}: expected a problem with ${field}, got ${JSON.stringify(r.body.error)}`);
  }
  const good = { interface: 'eth0', mode: 'static', address: '192.168.1.10/24', gateway: '192.168.1.1', dns: ['223.5.5.5', '114.114.114.114'] };
  const saved = await admin.ok('system/network/set', good);
  assert.equal(saved.staged, good);
  assert.match(saved.applies, /next network restart/);
  assert.equal((await admin.ok('system/network/get')).staged, good);
  assert.equal((await admin.ok('config/doc/get', { kind: 'system', id: 'main' })).doc.network, good, 'kept in the configuration');
  const audit = await admin.ok('audit/entry/list', { command: 'system/network/set' });
  assert.is(audit.items.length, 1, 'refused input is not audited');
  assert.is(audit.items[0].target, 'network eth0');
  assert.is((await sup.call('system/network/set', good)).status, 403);
  assert.is((await agent.call('system/network/get')).status, 403);
  await admin.ok('system/network/set', { mode: 'dhcp' });
});

test('time: the box time and zone; time zone and NTP servers validated and saved', async () => {
  const g = await admin.ok('system/time/get');
  assert.ok(Math.abs(Date.parse(g.now) - Date.now()) < 5000);
  assert.type(g.boxTimezone, 'string');
  assert.equal(g.settings, { timezone: 'Asia/Shanghai', ntp: ['ntp.aliyun.com', 'cn.pool.ntp.org'] });
  assert.ok(fieldsOf(await admin.call('system/time/set', { timezone: 'Mars/Olympus', ntp: [] })).includes('timezone'));
  assert.ok(fieldsOf(await admin.call('system/time/set', { timezone: 'Asia/Shanghai', ntp: ['bad host!'] })).includes('ntp.0'));
  assert.ok(fieldsOf(await admin.call('system/time/set', { ntp: ['a', 'b', 'c', 'd', 'e', 'f'] })).includes('ntp'));
  const s = await admin.ok('system/time/set', { timezone: 'Asia/Urumqi', ntp: ['10.0.0.5', 'ntp.tencent.com'] });
  assert.equal(s.settings, { timezone: 'Asia/Urumqi', ntp: ['10.0.0.5', 'ntp.tencent.com'] });
  assert.is((await admin.ok('audit/entry/list', { command: 'system/time/set' })).items.length, 1);
  assert.is((await sup.call('system/time/set', { timezone: 'UTC' })).status, 403);
});

test('logs: recent lines newest first, a level filter and a text search', async () => {
  const log = createLogger({ app: 'hotline-test' }, () => {});
  log.info('trunk pstn line 3 up', { chan: 3 });
  log.warn('line 2 noisy: noise floor -38 dBm', { chan: 2 });
  log.error('engine socket closed', { code: 'ECONNRESET' });
  const all = await admin.ok('system/log/list', {});
  assert.equal(all.lines.slice(0, 3).map((l: { msg: string }) => l.msg), ['engine socket closed', 'line 2 noisy: noise floor -38 dBm', 'trunk pstn line 3 up']);
  assert.is(all.capacity, 2000);
  const warn = await admin.ok('system/log/list', { level: 'warn' });
  assert.ok(warn.lines.every((l: { level: string }) => l.level === 'warn' || l.level === 'error'));
  assert.ok(warn.lines.some((l: { msg: string }) => l.msg.startsWith('line 2 noisy')));
  const found = await admin.ok('system/log/list', { q: 'econnreset' });
  assert.equal(found.lines.map((l: { msg: string }) => l.msg), ['engine socket closed'], 'fields are searched too, any case');
  assert.ok(fieldsOf(await admin.call('system/log/list', { level: 'debug' })).includes('level'));
  assert.ok(fieldsOf(await admin.call('system/log/list', { limit: 5000 })).includes('limit'));
  assert.is((await sup.call('system/log/list', {})).status, 403);
});

test('backup policy: keep the last N (enforced after each backup and at once), the daily backup once a day at its hour', async () => {
  assert.equal(await admin.ok('system/backup-policy/get'), { keepLast: 7, daily: false, hour: 3, lastAutomatic: null });
  assert.ok(fieldsOf(await admin.call('system/backup-policy/set', { keepLast: 0 })).includes('keepLast'));
  assert.ok(fieldsOf(await admin.call('system/backup-policy/set', { keepLast: 3, daily: true, hour: 24 })).includes('hour'));
  for (let i = 0; i < 3; i++) { await admin.ok('system/backup/create'); await new Promise((r) => setTimeout(r, 1100)); }
  assert.is((await admin.ok('system/backup/list')).backups.length, 3);
  const set = await admin.ok('system/backup-policy/set', { keepLast: 2, daily: false, hour: 3 });
  assert.is(set.pruned.length, 1, 'the oldest goes at once');
  const names = (await admin.ok('system/backup/list')).backups.map((b: { name: string }) => b.name);
  assert.is(names.length, 2);
  await admin.ok('system/backup/create');
  const after = (await admin.ok('system/backup/list')).backups.map((b: { name: string }) => b.name);
  assert.is(after.length, 2, 'a new backup pushes the oldest out');
  assert.ok(after.includes(names[0]) && !after.includes(names[1]), `${after} after ${names}`);
  assert.is(fs.readdirSync(path.join(t.dir, 'backups')).filter((f) => f.endsWith('.tar')).length, 2, 'the files are gone too');

  const backups = t.api.deps.backups;
  const at = (h: number) => { const d = new Date(); d.setHours(h, 5, 0, 0); return d; };
  await admin.ok('system/backup-policy/set', { keepLast: 2, daily: true, hour: 2 });
  assert.is(await backups.tick(at(1)), null, 'not before its hour');
  const auto = await backups.tick(at(2));
  assert.ok(auto, 'made at its hour');
  assert.is(await backups.tick(at(3)), null, 'once a day');
  const p = await admin.ok('system/backup-policy/get');
  assert.equal([p.daily, p.hour, typeof p.lastAutomatic], [true, 2, 'string']);
  assert.ok((await admin.ok('system/backup/list')).backups.some((b: { name: string }) => b.name === auto!.name));
  await admin.ok('system/backup-policy/set', { keepLast: 2, daily: false, hour: 2 });
  const tomorrow = at(5); tomorrow.setDate(tomorrow.getDate() + 1);
  assert.is(await backups.tick(tomorrow), null, 'off: no backup');
  assert.is((await admin.ok('audit/entry/list', { command: 'system/backup-policy/set' })).items.length, 3);
  assert.is((await sup.call('system/backup-policy/get')).status, 403);
});

test('CSV import and export report rows done of all on the progress topic and by polling', async () => {
  const ws = await WsClient.connect(t.api.url, { cookie: sup.cookie });
  assert.is((await ws.subscribe('progress')).ok, true);
  const rows = Array.from({ length: 600 }, (_, i) => `Customer ${i},Firm ${i % 7},,1391234${String(i).padStart(4, '0')}`);
  const csv = ['name,company,address,phones', ...rows].join('\n');
  const res = await sup.ok('crm/import/commit', { csv, job: 'imp-1' });
  assert.is(res.imported, 600);
  const mine = ws.events.filter((e) => e.topic === 'progress' && e.data.id === 'imp-1').map((e) => e.data);
  const checking = mine.filter((p) => p.phase === 'checking');
  const writing = mine.filter((p) => p.phase === 'writing');
  assert.ok(checking.length >= 2, `checked in slices: ${JSON.stringify(checking)}`);
  assert.equal(writing.map((p) => [p.done, p.total]), [[250, 600], [500, 600], [600, 600]]);
  assert.equal([mine.at(-1).phase, mine.at(-1).done, mine.at(-1).total], ['done', 600, 600]);
  assert.is(mine[0].kind, 'crm-import');

  await sup.ok('crm/export/csv', { job: 'exp-1' });
  await new Promise((r) => setTimeout(r, 50));
  const exp = ws.events.filter((e) => e.topic === 'progress' && e.data.id === 'exp-1').map((e) => e.data);
  assert.ok(exp.some((p) => p.phase === 'reading' && p.done === 250 && p.total >= 600), JSON.stringify(exp));
  assert.is(exp.at(-1).phase, 'done');
  const polled = (await sup.ok('system/job/list')).jobs;
  assert.equal(polled.slice(0, 2).map((j: { id: string; phase: string }) => `${j.id}:${j.phase}`), ['exp-1:done', 'imp-1:done']);

  // A refused import ends its job as failed, and nothing was written.
  const before = (await sup.ok('crm/customer/list', { limit: 1 })).total;
  const bad = await sup.call('crm/import/commit', { csv: 'name,phones\nok,13900000000\n,x', job: 'imp-2' });
  assert.is(bad.body.error.id, 'validation_failed');
  assert.is((await sup.ok('system/job/list')).jobs[0].phase, 'failed');
  assert.is((await sup.ok('crm/customer/list', { limit: 1 })).total, before);
  assert.ok(fieldsOf(await sup.call('crm/export/csv', { job: 'no spaces' })).includes('job'));
  assert.is((await agent.call('system/job/list')).status, 403);
  const agentWs = await WsClient.connect(t.api.url, { cookie: agent.cookie });
  assert.is((await agentWs.subscribe('progress')).error.id, 'permission_required');
  agentWs.close();
  ws.close();
});

test.run();
