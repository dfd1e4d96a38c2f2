// Retention deletes old voicemail and recordings (files gone, rows kept and
// marked) and leaves recent ones alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { ConfigService } from '../config/config-service.js';
import { housekeeping, freeMb } from './housekeeping.js';
import type { CallContext } from '../calls/context.js';
import { createLogger } from '../log.js';

test('old voicemail and recordings are deleted, recent ones kept', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-keep-'));
  const store = Store.open(path.join(dataDir, 'hotline.db'));
  const config = new ConfigService(store, { promptExists: () => true });
  config.importBundle({
    settings: { main: { voicemail: { retentionDays: 30 }, storage: { recordingRetentionDays: 90 } } },
    extension: { '801': { ext: '801' } },
  });
  const file = (n: string) => { const f = path.join(dataDir, n); fs.writeFileSync(f, 'RIFF'); return f; };
  const now = new Date('2026-11-28T00:00:00Z');
  const days = (d: number) => new Date(now.getTime() - d * 86400_000).toISOString();
  store.voicemail.add({ box: '801', journey: 'a', caller: '1', callerName: '', receivedAt: days(40), durationMs: 5000, path: file('old.wav') });
  store.voicemail.add({ box: '801', journey: 'b', caller: '2', callerName: '', receivedAt: days(5), durationMs: 5000, path: file('new.wav') });
  store.recordings.start({ journey: 'a', path: file('rec-old.wav'), channel: 1, stereo: true, at: new Date(days(100)) });
  store.recordings.start({ journey: 'b', path: file('rec-new.wav'), channel: 1, stereo: true, at: new Date(days(10)) });
  store.recordings.finish(path.join(dataDir, 'rec-old.wav'), 1000);
  store.recordings.finish(path.join(dataDir, 'rec-new.wav'), 1000);
  store.flush();
  const ctx = { store, config, dataDir, now: () => now, log: createLogger({}, () => {}, 'silent') } as unknown as CallContext;
  const r = await housekeeping(ctx);
  assert.equal(r, { voicemail: 1, recordings: 1 });
  assert.not.ok(fs.existsSync(path.join(dataDir, 'old.wav')));
  assert.ok(fs.existsSync(path.join(dataDir, 'new.wav')));
  assert.not.ok(fs.existsSync(path.join(dataDir, 'rec-old.wav')));
  assert.ok(fs.existsSync(path.join(dataDir, 'rec-new.wav')));
  assert.equal(store.voicemail.list('801').map((m) => m.caller), ['2']);
  assert.is(store.recordings.forJourney('a').length, 1, 'the row stays for the CDR');
  assert.ok(freeMb(dataDir) > 0);
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test.run();
