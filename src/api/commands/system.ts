// Backups and restore (admins): make a backup (progress on the `backup`
// topic while the call waits), list and delete them, and see or cancel the
// restore staged by an upload to POST /api/backups/upload (backup-route.ts).
import { z } from 'zod';
import { command, ADMINS, type CommandRegistry } from '../registry.js';
import { conflict, notFound } from '../errors.js';
import { BackupError, BACKUP_NAME } from '../../backup/backups.js';

const name = z.string().regex(BACKUP_NAME, 'a backup file name from system/backup/list');

export function systemCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'system/backup/create', summary: 'Back up the database (online, calls go on) and custom prompts into one file in the backups folder; progress on the backup topic', access: ADMINS, kind: 'write',
    input: z.object({}).strict(),
    async handler(_i, ctx) {
      try {
        const b = await ctx.deps.backups.create(ctx.actor!.name);
        ctx.audit.target = `backup ${b.name}`;
        ctx.audit.summary = `backup ${b.name} made (${b.size} bytes, ${b.files} files)`;
        return b;
      } catch (e) {
        if (e instanceof BackupError && e.code === 'busy') throw conflict(e.message);
        throw e;
      }
    },
  }));

  r.add(command({
    name: 'system/backup/list', summary: 'Backups in the backups folder, newest first, and the backup being made (if any)', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ backups: ctx.deps.backups.list().map((b) => ({ ...b, url: `/api/backups/${b.name}` })), progress: ctx.deps.backups.progress() }),
  }));

  r.add(command({
    name: 'system/backup/delete', summary: 'Delete a backup file', access: ADMINS, kind: 'write',
    input: z.object({ name }).strict(),
    target: (i) => `backup ${i.name}`,
    handler(i, ctx) {
      try { ctx.deps.backups.delete(i.name, ctx.actor!.name); } catch (e) {
        if (e instanceof BackupError && e.code === 'not_found') throw notFound(`backup ${i.name}`);
        throw e;
      }
      return {};
    },
  }));

  r.add(command({
    name: 'system/restore/status', summary: 'The restore staged to apply at the next supervisor start, if any', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ pending: ctx.deps.backups.pending() }),
  }));

  r.add(command({
    name: 'system/restore/cancel', summary: 'Drop the staged restore: the next start keeps the current data', access: ADMINS, kind: 'write',
    input: z.object({}).strict(),
    handler(_i, ctx) {
      const cancelled = ctx.deps.backups.cancelRestore(ctx.actor!.name);
      if (!cancelled) ctx.audit.skip = true;
      return { cancelled };
    },
  }));
}
