// The System page (admins): backups and restore (progress on the `backup`
// topic while the call waits; list, delete, the restore staged by an upload to
// POST /api/backups/upload in backup-route.ts) and the backup policy (keep the
// last N, the daily backup); the network as the OS has it, and the setting
// staged for the appliance image; time and NTP; the supervisor's recent log
// lines; long jobs' progress.
import { z } from 'zod';
import { command, ADMINS, SUPERVISORS, type CommandRegistry, type CommandContext } from '../registry.js';
import { conflict, notFound } from '../errors.js';
import { BackupError, BACKUP_NAME } from '../../backup/backups.js';
import { networkSettings, timeSettings, backupPolicy, systemSettingsOf, type SystemSettings } from '../../config/system-settings.js';
import { readNetwork } from '../../system/network-info.js';
import { recentLogs } from '../../log-ring.js';

// Saves one part of the system settings (config kind system, id main).
function saveSystem(ctx: CommandContext, patch: Partial<SystemSettings>): SystemSettings {
  const next = { ...systemSettingsOf(ctx.deps.config), ...patch };
  return ctx.deps.config.put('system', 'main', next) as SystemSettings;
}

const APPLIES_NETWORK = 'the appliance image applies this at its next network restart (or reboot); the running network is not changed';

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
    name: 'system/backup-policy/get', summary: 'The backup policy: keep the last N backups, the automatic daily backup and its hour (box time); when the last automatic one was made', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ ...systemSettingsOf(ctx.deps.config).backup, lastAutomatic: ctx.deps.backups.lastAutomatic() }),
  }));

  r.add(command({
    name: 'system/backup-policy/set', summary: 'Set the backup policy; older backups beyond keepLast are deleted at once and after every backup', access: ADMINS, kind: 'write',
    input: backupPolicy,
    target: () => 'backup policy',
    handler(i, ctx) {
      const saved = saveSystem(ctx, { backup: i }).backup;
      const pruned = ctx.deps.backups.prune(ctx.actor!.name);
      ctx.audit.summary = `${JSON.stringify(saved)}${pruned.length ? `; deleted ${pruned.join(', ')}` : ''}`;
      return { ...saved, pruned };
    },
  }));

  r.add(command({
    name: 'system/network/get', summary: 'The network as the OS has it now (interfaces and addresses, default gateway from /proc/net/route, DNS from /etc/resolv.conf) and the setting staged for the appliance', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ ...readNetwork(), staged: systemSettingsOf(ctx.deps.config).network, applies: APPLIES_NETWORK }),
  }));

  r.add(command({
    name: 'system/network/set', summary: 'Stage the appliance\'s network: DHCP, or a static IPv4 address/prefix, gateway (inside that subnet) and DNS servers. Stored in the configuration; the appliance image applies it at its next network restart', access: ADMINS, kind: 'write',
    input: networkSettings,
    target: (i) => `network ${i.interface}`,
    handler(i, ctx) {
      const staged = saveSystem(ctx, { network: i }).network;
      return { staged, applies: APPLIES_NETWORK };
    },
  }));

  r.add(command({
    name: 'system/time/get', summary: 'The box\'s time and time zone now, and the time settings (time zone and NTP servers) for the appliance', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler(_i, ctx) {
      const now = new Date();
      return {
        now: now.toISOString(), boxTimezone: Intl.DateTimeFormat().resolvedOptions().timeZone, utcOffsetMin: -now.getTimezoneOffset(),
        settings: systemSettingsOf(ctx.deps.config).time,
        applies: 'the appliance image sets the time zone and NTP servers at its next restart of time sync; the supervisor\'s reports use each request\'s own time zone',
      };
    },
  }));

  r.add(command({
    name: 'system/time/set', summary: 'Set the time zone (IANA, e.g. Asia/Shanghai) and NTP servers (host names or IPv4) for the appliance', access: ADMINS, kind: 'write',
    input: timeSettings,
    target: () => 'time',
    handler: (i, ctx) => ({ settings: saveSystem(ctx, { time: i }).time }),
  }));

  r.add(command({
    name: 'system/log/list', summary: 'The supervisor\'s recent log lines, newest first (an in-memory ring of the last 2000): the lowest level shown and a text to search for', access: ADMINS, kind: 'read',
    input: z.object({
      level: z.enum(['info', 'warn', 'error']).default('info'),
      q: z.string().max(200).optional().describe('text in the message or its fields, any case'),
      limit: z.number().int().min(1).max(2000).default(300),
    }).strict(),
    handler: (i, ctx) => recentLogs.query({ level: i.level, limit: i.limit, ...(i.q ? { text: i.q } : {}) }),
  }));

  r.add(command({
    name: 'system/job/list', summary: 'Long work (customer CSV import/export) and its progress, newest first, for clients that poll instead of subscribing to the progress topic', access: SUPERVISORS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ jobs: ctx.deps.jobs.list() }),
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
