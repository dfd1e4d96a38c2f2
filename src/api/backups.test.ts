// Backup and restore: an admin makes a backup (progress on the backup topic),
// lists, downloads and deletes it; others get 401/403; download names cannot
// leave the backups folder; an upload is verified (a damaged, foreign or
// too-new file is refused, saying why) and staged; the next start swaps the
// backed-up data in and keeps the database it replaced.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import Database from 'better-sqlite3';
import { startTestApi, adminClient, userClient, WsClient, Client, type TestApi } from './test-kit.js';
import { Store } from '../store/store.js';
import { applyPendingRestore } from '../backup/restore-at-start.js';
import { writeArchive } from '../backup/archive.js';

let t: TestApi;
let admin: Client;

test.before.each(async () => { t = await startTestApi(); admin = await adminClient(t); });
test.after.each(async () => { await t.stop(); });

const get = (c: Client | null, p: string) => fetch(`${t.api.url}${p}`, { headers: c?.cookie ? { cookie: c.cookie } : {} });
const upload = (c: Client, body: Uint8Array, csrf = c.csrf) => fetch(`${t.api.url}/api/backups/upload?name=test.tar`, {
  method: 'POST', body: new Blob([new Uint8Array(body)]), headers: { 'content-type': 'application/octet-stream', cookie: c.cookie!, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
});
const customerNames = (s: Store) => (s.db.prepare('SELECT name FROM customers ORDER BY name').all() as { name: string }[]).map((r) => r.name);

// A raw HTTP request, so the path reaches the server exactly as written.
function rawGet(p: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(t.api.port, '127.0.0.1', () => s.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`));
    let buf = '';
    s.on('data', (d) => { buf += d.toString(); });
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(buf)?.[1])));
    s.on('error', reject);
  });
}

test('an admin makes a backup with progress events, lists it and downloads the same bytes; it is journaled and audited', async () => {
  await admin.ok('crm/customer/create', { name: 'Backed up' });
  const ws = await WsClient.connect(t.api.url, { cookie: admin.cookie });
  assert.is((await ws.subscribe('backup')).ok, true);
  const made = await admin.ok('system/backup/create');
  assert.match(made.name, /^hotline-backup-\d{8}-\d{6}Z\.tar$/);
  const done = await ws.nextEvent((m) => m.topic === 'backup' && m.data.phase === 'done');
  assert.is(done.data.name, made.name);
  assert.ok(done.data.total > 0 && done.data.done === done.data.total, `pages copied ${done.data.done}/${done.data.total}`);
  assert.ok(ws.events.some((m) => m.data.phase === 'database'), 'a database phase was reported');
  ws.close();
  const list = await admin.ok('system/backup/list');
  assert.equal(list.backups.map((b: { name: string }) => b.name), [made.name]);
  const r = await get(admin, list.backups[0].url);
  assert.is(r.status, 200);
  assert.is(r.headers.get('content-type'), 'application/x-tar');
  assert.equal(Buffer.from(await r.arrayBuffer()), fs.readFileSync(path.join(t.dir, 'backups', made.name)));
  assert.ok(t.store.journal.query({ kind: 'system', event: 'BackupCreated', limit: 10 }).length === 1, 'journaled');
  assert.is((await admin.ok('audit/entry/list', { command: 'system/backup/create' })).total, 1, 'audited');
});

test('backups are for admins: 401 without a session, 403 for a supervisor, on commands, download and upload', async () => {
  const made = await admin.ok('system/backup/create');
  const sup = await userClient(t, admin, 'supervisor');
  assert.is((await new Client(t.api.url).call('system/backup/list')).status, 401);
  assert.is((await sup.call('system/backup/list')).status, 403);
  assert.is((await sup.call('system/backup/create')).status, 403);
  assert.is((await get(null, `/api/backups/${made.name}`)).status, 401);
  assert.is((await get(sup, `/api/backups/${made.name}`)).status, 403);
  assert.is((await upload(sup, new Uint8Array(10))).status, 403);
  assert.is((await upload(admin, new Uint8Array(10), 'wrong')).status, 403, 'an upload without this session\'s CSRF token is refused');
});

test('a download name cannot leave the backups folder', async () => {
  await admin.ok('system/backup/create');
  fs.writeFileSync(path.join(t.dir, 'secret.tar'), 'x');
  fs.symlinkSync(path.join(t.dir, 'secret.tar'), path.join(t.dir, 'backups', 'link.tar'));
  for (const p of ['/api/backups/..%2Fhotline.db', '/api/backups/..%2Fsecret.tar', '/api/backups/%2e%2e%2Fsecret.tar', '/api/backups/link.tar', '/api/backups/pending-restore']) {
    assert.is((await get(admin, p)).status, 404, p);
  }
  for (const p of ['/api/backups/../secret.tar', '/api/backups/../../etc/passwd']) {
    assert.is(await rawGet(p, admin.cookie!), 404, p);
  }
  assert.is((await admin.call('system/backup/delete', { name: '../hotline.db' })).status, 400);
  assert.ok(fs.existsSync(path.join(t.dir, 'hotline.db')));
});

test('a damaged, foreign or too-new upload is refused, saying why, and nothing is staged', async () => {
  const made = await admin.ok('system/backup/create');
  const good = fs.readFileSync(path.join(t.dir, 'backups', made.name));
  const refused = async (body: Uint8Array, why: RegExp) => {
    const r = await upload(admin, body);
    const b = await r.json() as { error: { id: string; message: string } };
    assert.is(r.status, 400, b.error?.message);
    assert.match(b.error.message, why);
  };
  await refused(Buffer.from('hello, not a backup at all'.repeat(40)), /not a tar archive|truncated/);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 2048]! ^= 0xff;   // inside the database member's data
  await refused(flipped, /SHA-256 differs|truncated|checksum/);
  // A tar of something else entirely.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-foreign-'));
  fs.writeFileSync(path.join(dir, 'x.txt'), 'foreign');
  const foreign = path.join(dir, 'foreign.tar');
  writeArchive(foreign, [{ name: 'hotline.db', file: path.join(dir, 'x.txt') }], { createdAt: new Date().toISOString(), schemaVersion: 1 });
  await refused(fs.readFileSync(foreign), /not a SQLite database|does not open/);
  // A database from a newer build.
  const db = path.join(dir, 'hotline.db');
  t.store.flush();
  await t.store.db.backup(db);
  const newer = new Database(db);
  newer.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
  newer.pragma('journal_mode = DELETE');
  newer.close();
  writeArchive(foreign, [{ name: 'hotline.db', file: db }], { createdAt: new Date().toISOString(), schemaVersion: 999 });
  await refused(fs.readFileSync(foreign), /schema version 999, newer than this build/);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.is((await admin.ok('system/restore/status')).pending, null);
});

test('a restore is staged, cancelled or, at the next start, applied with the replaced database kept', async () => {
  await admin.ok('crm/customer/create', { name: 'Before backup' });
  const made = await admin.ok('system/backup/create');
  const tarball = Buffer.from(await (await get(admin, `/api/backups/${made.name}`)).arrayBuffer());
  await admin.ok('crm/customer/create', { name: 'After backup' });
  let r = await upload(admin, tarball);
  const staged = await r.json() as { ok: boolean; data: { pending: { source: string; schemaVersion: number } } };
  assert.is(r.status, 200, JSON.stringify(staged));
  assert.is(staged.data.pending.source, 'test.tar');
  assert.is((await admin.ok('system/restore/status')).pending.source, 'test.tar');
  assert.equal(await admin.ok('system/restore/cancel'), { cancelled: true });
  assert.is((await admin.ok('system/restore/status')).pending, null);
  r = await upload(admin, tarball);
  assert.is(r.status, 200);
  assert.is((await admin.ok('audit/entry/list', { command: 'system/restore/upload' })).total, 2, 'each upload is audited');

  // "Restart": the API and store stop, the start path applies the restore, the store opens again.
  await t.api.close();
  t.store.close();
  const applied = applyPendingRestore(t.dir);
  assert.ok(applied, 'a pending restore was applied');
  const store = Store.open(path.join(t.dir, 'hotline.db'));
  try {
    assert.equal(customerNames(store), ['Before backup']);
  } finally { store.close(); }
  const kept = new Database(applied.keptAs!, { readonly: true });
  try {
    assert.equal((kept.prepare('SELECT name FROM customers ORDER BY name').all() as { name: string }[]).map((x) => x.name), ['After backup', 'Before backup']);
  } finally { kept.close(); }
  assert.match(path.basename(applied.keptAs!), /^pre-restore-.*\.db$/);
  assert.is(applyPendingRestore(t.dir), null, 'applied once only');
  t.store = Store.open(path.join(t.dir, 'hotline.db'));   // for stop()
  t.api.close = async () => {};
});

test.run();
