// The API server: commands as `POST /api/<domain>/<noun>/<verb>`, the same
// commands over the WebSocket at /api/ws, the OpenAPI document, the status
// page at /status, call recordings at /api/recordings/<id>.wav, prompts at /api/prompts/<lang>/<name>.wav, and the panel's static files (ui/dist, index.html at /) or,
// when the panel is not built, a small sign-in page at /. Webhooks start with it.
import Koa from 'koa';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../store/store.js';
import type { ConfigService } from '../config/config-service.js';
import type { EngineClient } from '../telephony/engine-client.js';
import { createLogger, type Logger } from '../log.js';
import type { CallContext } from '../calls/context.js';
import { liveStatsOf, type AcdStatus } from '../acd/live-stats.js';
import { Accounts } from '../auth/accounts.js';
import type { ThrottleLimits } from '../auth/throttle.js';
import { Customers } from '../crm/customers.js';
import { Webhooks, type WebhookOptions } from '../webhooks/webhooks.js';
import { projectRoot } from '../native/addon.js';
import { SESSION_COOKIE, type ApiDeps } from './context.js';
import type { CommandRegistry } from './registry.js';
import { buildRegistry } from './commands/index.js';
import { authenticate, runCommand, asApiError, type Credentials } from './dispatch.js';
import { ApiError, notFound, unauthenticated, validationFailed } from './errors.js';
import { openApiDocument } from './openapi.js';
import { attachWebSocket } from './ws-server.js';
import { PAGES } from '../web/pages.js';
import { RECORDING_PATH, serveRecording } from './recording-route.js';
import { PROMPT_PATH, servePrompt } from './prompt-route.js';
import { BACKUP_PATH, serveBackup, receiveBackup } from './backup-route.js';
import { Backups } from '../backup/backups.js';
import { Jobs } from './jobs.js';
import { systemSettingsOf } from '../config/system-settings.js';

const DEFAULT_BODY_BYTES = 1 << 20;

export interface ApiServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  supervisor: { store: Store; config: ConfigService; engine?: EngineClient; ctx?: CallContext; acdStatus?(): AcdStatus };
  log?: Logger;
  throttle?: ThrottleLimits;
  webhooks?: WebhookOptions;
  uiDir?: string;            // default <project>/ui/dist
}

export interface ApiServer { server: Server; url: string; port: number; deps: ApiDeps; registry: CommandRegistry; close(): Promise<void> }

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? createLogger({ app: 'hotline-api' });
  const store = opts.supervisor.store;
  const webhooks = new Webhooks(store, { log, ...opts.webhooks });
  const deps: ApiDeps = {
    store, config: opts.supervisor.config, engine: opts.supervisor.engine, dataDir: opts.dataDir,
    accounts: new Accounts(store, opts.throttle), customers: new Customers(store), webhooks,
    backups: new Backups(store, opts.dataDir, () => systemSettingsOf(opts.supervisor.config).backup),
    jobs: new Jobs(),
  };
  const sup = opts.supervisor;
  if (sup.ctx?.acd && sup.acdStatus) {
    const acd = sup.ctx.acd;
    deps.acd = {
      acd, status: () => sup.acdStatus!(), dbPath: path.join(opts.dataDir, 'hotline.db'),
      onChange(fn) {
        const live = liveStatsOf(sup.ctx!);
        live.on('changed', fn);
        acd.on('agent', fn);
        return () => { live.off('changed', fn); acd.off('agent', fn); };
      },
    };
  }
  const registry = buildRegistry();
  const uiDir = opts.uiDir ?? path.join(projectRoot(), 'ui', 'dist');
  const app = new Koa();

  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    try {
      await next();
    } catch (e) {
      const err = asApiError(e, log);
      fail(ctx, err);
    }
  });

  app.use(async (ctx) => {
    const creds = credentialsOf(ctx);
    if (ctx.path.startsWith('/api/')) {
      ctx.set('Cache-Control', 'no-store');
      const m = /^\/api\/([a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+)$/.exec(ctx.path);
      if (m && ctx.method === 'POST') {
        const cmd = registry.get(m[1]!);
        const raw = await readJson(ctx, cmd?.maxBodyBytes ?? DEFAULT_BODY_BYTES);
        const data = await runCommand(registry, deps, m[1]!, raw, {
          via: 'http', ip: ctx.ip, creds, csrfToken: ctx.get('x-csrf-token') || undefined, log,
          cookies: {
            setSession: (token) => ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.secure, overwrite: true }),
            clearSession: () => ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.secure, overwrite: true, expires: new Date(0) }),
          },
        });
        ctx.body = { ok: true, data: data ?? {} };
        return;
      }
      const auth = authenticate(deps, creds);
      if (!auth) throw unauthenticated();
      if (ctx.path === '/api/backups/upload' && ctx.method === 'POST') { await receiveBackup(ctx, deps, auth, log); return; }
      const backup = BACKUP_PATH.exec(ctx.path);
      if (backup && (ctx.method === 'GET' || ctx.method === 'HEAD')) { await serveBackup(ctx, deps, auth.actor, backup[1]!); return; }
      const rec = RECORDING_PATH.exec(ctx.path);
      if (rec && (ctx.method === 'GET' || ctx.method === 'HEAD')) { await serveRecording(ctx, deps, auth.actor, Number(rec[1])); return; }
      const prompt = PROMPT_PATH.exec(ctx.path);
      if (prompt && (ctx.method === 'GET' || ctx.method === 'HEAD')) { await servePrompt(ctx, deps, auth.actor, prompt); return; }
      if (ctx.path === '/api/openapi.json' && ctx.method === 'GET') { ctx.body = openApiDocument(registry); return; }
      throw notFound(`${ctx.method} ${ctx.path}: commands are POST /api/<domain>/<noun>/<verb>; the list is GET /api/openapi.json`);
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') { ctx.status = 405; return; }
    if (ctx.path === '/status') {
      const auth = authenticate(deps, creds);
      if (!auth || (auth.actor.role !== 'admin' && auth.actor.role !== 'supervisor')) {
        ctx.status = auth ? 403 : 401;
        ctx.type = 'html';
        ctx.body = PAGES.signInFirst;
        return;
      }
      ctx.type = 'html';
      ctx.body = PAGES.status;
      return;
    }
    if (ctx.path === '/status.js') { ctx.type = 'application/javascript'; ctx.body = PAGES.statusJs; return; }
    if (await serveStatic(ctx, uiDir)) return;
    if (ctx.path === '/') { ctx.type = 'html'; ctx.body = PAGES.signIn; return; }
    if (ctx.path === '/signin.js') { ctx.type = 'application/javascript'; ctx.body = PAGES.signInJs; return; }
    ctx.status = 404;
  });

  const server = app.listen(opts.port, opts.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const ws = attachWebSocket(server, registry, deps, log);
  webhooks.start();
  // The daily backup and the keep-last rule (the backup policy in config kind system).
  deps.backups.startSchedule();
  const port = (server.address() as AddressInfo).port;
  return {
    server, port, deps, registry,
    url: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    async close() {
      webhooks.stop();
      deps.backups.stopSchedule();
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function fail(ctx: Koa.Context, err: ApiError): void {
  ctx.status = err.status;
  if (err.retryAfterS) ctx.set('Retry-After', String(err.retryAfterS));
  ctx.body = { ok: false, error: err.toJSON() };
}

function credentialsOf(ctx: Koa.Context): Credentials {
  const creds: Credentials = {};
  const auth = ctx.get('authorization');
  if (auth) creds.bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
  const token = ctx.cookies.get(SESSION_COOKIE);
  if (token) creds.sessionToken = token;
  return creds;
}

// JSON only: a form post from another site cannot send it without a CORS preflight.
async function readJson(ctx: Koa.Context, limit: number): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw validationFailed([{ path: '(body)', message: `larger than ${limit} bytes` }]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw validationFailed([{ path: '(body)', message: `larger than ${limit} bytes` }]);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  if (!/^application\/json\b/i.test(ctx.get('content-type'))) throw validationFailed([{ path: '(body)', message: 'send JSON with Content-Type: application/json' }]);
  try {
    return JSON.parse(text);
  } catch {
    throw validationFailed([{ path: '(body)', message: 'not valid JSON' }]);
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.map': 'application/json' };

// The panel's built files; false when there is no such file (or no panel yet).
async function serveStatic(ctx: Koa.Context, root: string): Promise<boolean> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return false;
  let rel: string;
  try { rel = decodeURIComponent(ctx.path); } catch { return false; }
  if (rel.includes('\0')) return false;
  let file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(root + path.sep)) return false;
  if (rel.endsWith('/')) file = path.join(file, 'index.html');
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return false;
  ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = fs.createReadStream(file);
  return true;
}
