// Keeps the box's disk healthy: voicemail and recordings past their retention
// are deleted (rows stay, marked, so CDRs still say a recording existed), and
// a low-disk guard stops new recordings before the data partition fills.
import fs from 'node:fs';
import type { CallContext } from '../calls/context.js';
import { mailbox, updateLamps } from '../calls/voicemail.js';

const DAY = 86400_000;

export function freeMb(dir: string): number {
  const s = fs.statfsSync(dir);
  return (s.bavail * s.bsize) / (1024 * 1024);
}

export function diskLow(ctx: CallContext): boolean {
  try {
    return freeMb(ctx.dataDir) < ctx.config.settings.storage.minFreeMb;
  } catch {
    return false;
  }
}

export async function housekeeping(ctx: CallContext): Promise<{ voicemail: number; recordings: number }> {
  const { store, config } = ctx;
  const now = ctx.now().getTime();
  let voicemail = 0;
  const vmCutoff = new Date(now - config.settings.voicemail.retentionDays * DAY).toISOString();
  const boxes = new Set<string>();
  for (const m of store.voicemail.olderThan(vmCutoff)) {
    fs.rmSync(m.path, { force: true });
    store.voicemail.setStatus(m.id, 'deleted');
    boxes.add(m.box);
    voicemail++;
  }
  for (const b of boxes) { const box = mailbox(ctx, b); if (box) await updateLamps(ctx, box); }
  let recordings = 0;
  const days = config.settings.storage.recordingRetentionDays;
  if (days > 0) {
    const cutoff = new Date(now - days * DAY).toISOString();
    store.flush();
    const rows = store.db.prepare("SELECT id, path FROM recordings WHERE started_at < ? AND status != 'recording' AND deleted_at IS NULL").all(cutoff) as { id: number; path: string }[];
    const mark = store.db.prepare('UPDATE recordings SET deleted_at = ? WHERE id = ?');
    for (const r of rows) {
      fs.rmSync(r.path, { force: true });
      mark.run(new Date(now).toISOString(), r.id);
      recordings++;
    }
  }
  if (voicemail || recordings) store.journal.append('system', 'RetentionApplied', { data: { voicemail, recordings } });
  return { voicemail, recordings };
}
