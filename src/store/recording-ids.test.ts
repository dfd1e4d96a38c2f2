// Migration 020: CDRs written before recordings had one public id held the
// engine's recording numbers; after it they list the recordings table's ids
// of their journey, in order, and CDRs without recordings are left alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, loadMigrations } from './db.js';

test('migration 020 rewrites a CDR\'s engine recording numbers into the recordings table\'s ids', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-mig-'));
  const file = path.join(dir, 'hotline.db');
  const all = loadMigrations();
  const before = openDatabase(file, { migrations: all.filter((m) => m.version < 20) });
  const cdr = before.prepare("INSERT INTO cdr (journey, direction, caller, started_at, recordings) VALUES (?, 'inbound', '13900000000', '2026-01-01T00:00:00Z', ?)");
  cdr.run('j-old', '[1, 2]');
  cdr.run('j-none', '[]');
  cdr.run('j-lost', '[9]');
  const rec = before.prepare("INSERT INTO recordings (id, journey, path, started_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')");
  rec.run(40, 'j-old', '/r/a.wav');
  rec.run(41, 'other', '/r/b.wav');
  rec.run(42, 'j-old', '/r/c.wav');
  before.close();
  const after = openDatabase(file, { migrations: all });
  const get = (j: string) => JSON.parse((after.prepare('SELECT recordings FROM cdr WHERE journey = ?').get(j) as { recordings: string }).recordings);
  assert.equal(get('j-old'), [40, 42]);
  assert.equal(get('j-none'), []);
  assert.equal(get('j-lost'), [], 'a number with no recording row behind it is dropped');
  after.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
