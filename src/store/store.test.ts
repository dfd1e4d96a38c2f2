// Storage guarantees: WAL with synchronous=FULL, migrations in order and
// refusing a newer database, an append-only journal, batched writes that a
// flush commits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from './store.js';
import { openDatabase, loadMigrations, StoreError } from './db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-store-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new database is WAL with synchronous FULL and every migration applied', () => {
  const db = openDatabase(path.join(dir, 'a.db'));
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.is(db.pragma('synchronous', { simple: true }), 2);
  const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  assert.equal(versions, loadMigrations().map((m) => m.version));
  db.close();
});

test('a database from a newer build is refused, not damaged', () => {
  const file = path.join(dir, 'b.db');
  openDatabase(file).close();
  const raw = new Database(file);
  raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
  raw.close();
  try {
    openDatabase(file);
    assert.unreachable('opened');
  } catch (e) {
    assert.instance(e, StoreError);
    assert.is((e as StoreError).code, 'newer_database');
  }
});

test('the journal is append-only', () => {
  const store = Store.open(path.join(dir, 'c.db'));
  store.journal.append('system', 'Tested', { data: { a: 1 } });
  store.flush();
  assert.throws(() => store.db.prepare("UPDATE journal SET event = 'x'").run(), /append-only/);
  assert.throws(() => store.db.prepare('DELETE FROM journal').run(), /append-only/);
  assert.is(store.journal.query({ event: 'Tested' }).length, 1);
  store.close();
});

test('queued writes are committed together and survive reopening', () => {
  const file = path.join(dir, 'd.db');
  const store = Store.open(file);
  store.cdr.open({ journey: 'j1', direction: 'inbound', caller: '123', startedAt: new Date().toISOString() });
  store.cdr.update('j1', { disposition: 'answered', talkS: 5, recordings: [3] });
  store.flush();
  store.close();
  const again = Store.open(file);
  const row = again.cdr.get('j1')!;
  assert.is(row.disposition, 'answered');
  assert.is(row.talkS, 5);
  assert.equal(row.recordings, [3]);
  again.close();
});

test.run();
