// The two backup routes outside the command registry, because their bodies
// are files: GET /api/backups/<name> downloads a backup (admins; only names
// system/backup/list gives, resolved inside the backups folder), and
// POST /api/backups/upload takes a backup as the raw request body, verifies
// it and stages it to be restored at the next start. The upload changes
// state, so a cookie session must send its CSRF token, as commands do.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type Koa from 'koa';
import type { Logger } from '../log.js';
import type { ApiDeps, Actor } from './context.js';
import type { Authenticated } from './dispatch.js';
import { ApiError, notFound, permissionRequired, validationFailed } from './errors.js';
import { BackupError } from '../backup/backups.js';

export const BACKUP_PATH = /^\/api\/backups\/([^/]+)$/;
// A box with years of call records: the database can be large.
export const BACKUP_UPLOAD_BYTES = 2 * 1024 ** 3;

function adminOnly(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw permissionRequired(`${what} needs the role admin; ${actor.name} is ${actor.role}`);
}

export async function serveBackup(ctx: Koa.Context, deps: ApiDeps, actor: Actor, name: string): Promise<void> {
  adminOnly(actor, 'downloading a backup');
  const file = deps.backups.fileOf(name);
  if (!file) throw notFound(`backup ${name}`);
  const st = await fs.promises.stat(file);
  ctx.type = 'application/x-tar';
  ctx.set('Content-Disposition', `attachment; filename="${name}"`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.length = st.size;
  if (ctx.method !== 'HEAD') ctx.body = fs.createReadStream(file);
}

export async function receiveBackup(ctx: Koa.Context, deps: ApiDeps, auth: Authenticated, log: Logger, limit = BACKUP_UPLOAD_BYTES): Promise<void> {
  adminOnly(auth.actor, 'restoring a backup');
  if (auth.session) {
    const given = Buffer.from(ctx.get('x-csrf-token') || ''), want = Buffer.from(auth.session.csrfToken);
    if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) {
      throw new ApiError('permission_required', 'x-csrf-token: missing or not this session\'s token (auth/session/whoami returns it)', [{ path: 'x-csrf-token', message: 'must match the session' }]);
    }
  }
  const tooBig = validationFailed([{ path: '(body)', message: `larger than ${limit} bytes` }]);
  if (Number(ctx.get('content-length') || 0) > limit) throw tooBig;
  const source = (ctx.query.name && typeof ctx.query.name === 'string' ? ctx.query.name : 'upload').slice(0, 200);
  const file = deps.backups.uploadFile();
  const out = fs.createWriteStream(file, { mode: 0o600 });
  let size = 0;
  try {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooBig;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (e) {
    out.destroy();
    fs.rmSync(file, { force: true });
    throw e;
  }
  if (size === 0) { fs.rmSync(file, { force: true }); throw validationFailed([{ path: '(body)', message: 'the upload is empty: send the backup file as the request body' }]); }
  let pending;
  try {
    pending = deps.backups.stageRestore(file, source, auth.actor.name);
  } catch (e) {
    if (e instanceof BackupError && e.code === 'refused') throw validationFailed([{ path: '(body)', message: e.message }]);
    throw e;
  }
  deps.accounts.audit.append({
    actor: auth.actor.name, actorUserId: auth.actor.kind === 'user' ? auth.actor.id : null, via: 'http', ip: ctx.ip,
    command: 'system/restore/upload', target: `restore ${source}`,
    summary: `backup of ${pending.backupCreatedAt} verified and staged (${pending.files} files, schema ${pending.schemaVersion}); applies at the next start`,
  });
  deps.store.flush();
  log.warn('restore staged', { source, by: auth.actor.name });
  ctx.body = { ok: true, data: { pending, verified: { manifest: true, integrity: 'ok', schemaVersion: pending.schemaVersion } } };
}
