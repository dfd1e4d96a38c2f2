// A staged restore applied by a real supervisor start: a box makes a backup,
// gets more data, stages the backup for restore and stops; the next
// supervisor (same engine, same data directory) starts on the backed-up data,
// keeps the replaced database, journals BackupRestored, and takes calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startBox, demoConfig, journalWait, ended, farCall, TUESDAY_10AM } from './harness.js';
import { Supervisor } from '../../src/supervisor.js';
import { Backups, backupsDir } from '../../src/backup/backups.js';
import { Customers, customerInput } from '../../src/crm/customers.js';
import { createLogger } from '../../src/log.js';

test('a supervisor start applies a staged restore before the store opens, keeps the old database and answers calls', async () => {
  const box = await startBox(demoConfig(), { at: TUESDAY_10AM });
  let sup: Supervisor | undefined;
  try {
    const customers = () => new Customers(box.sup.store).list({}).items.map((c) => c.name).sort();
    new Customers(box.sup.store).create(customerInput.parse({ name: 'Before backup' }), 'test');
    const backups = new Backups(box.sup.store, box.dataDir);
    const made = await backups.create('test');
    new Customers(box.sup.store).create(customerInput.parse({ name: 'After backup' }), 'test');
    assert.equal(customers(), ['After backup', 'Before backup']);
    const upload = backups.uploadFile();
    fs.copyFileSync(path.join(backupsDir(box.dataDir), made.name), upload);
    backups.stageRestore(upload, made.name, 'test');
    await box.sup.stop();

    sup = await Supervisor.start({ dataDir: box.dataDir, socketPath: path.join(box.dataDir, 'engine.sock'), seedConfig: demoConfig(), log: createLogger({}, () => {}) });
    const names = new Customers(sup.store).list({}).items.map((c) => c.name);
    assert.equal(names, ['Before backup'], 'the data is the backup\'s');
    assert.ok(fs.readdirSync(backupsDir(box.dataDir)).some((n) => /^pre-restore-.*\.db$/.test(n)), 'the replaced database is kept');
    assert.is(sup.store.journal.query({ event: 'BackupRestored' }).length, 1);
    // The restored box takes a call as before.
    const started = new Promise<string>((resolve) => { const off = sup!.store.journal.subscribe((e) => { if (e.event === 'CallStarted' && e.journey) { off(); resolve(e.journey); } }); });
    await farCall({ ...box, sup } as typeof box, 2, '13911112233');
    const journey = await started;
    const done = journalWait({ ...box, sup } as typeof box, ended(journey), 20000);
    await box.far.sim('hangup', 2);
    await done;
  } finally {
    await sup?.stop();
    await box.stop().catch(() => {});
  }
});

test.run();
