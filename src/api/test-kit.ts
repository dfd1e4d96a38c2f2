// Test helpers: an API server on a loopback port over a real SQLite store in a
// temp directory (with the demo configuration), and a client that keeps the
// session cookie and CSRF token the way a browser page would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { ConfigService } from '../config/config-service.js';
import { projectRoot } from '../native/addon.js';
import { createLogger } from '../log.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from './http-server.js';
import type { Role } from '../auth/users-repo.js';
import { WebSocket } from 'ws';

export interface TestApi { api: ApiServer; store: Store; dir: string; logs: string[]; stop(): Promise<void> }

export async function startTestApi(opts: Partial<ApiServerOptions> = {}): Promise<TestApi> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-api-'));
  const store = Store.open(path.join(dir, 'hotline.db'));
  // Prompts are not what these tests are about: every prompt counts as present.
  const config = new ConfigService(store, { promptExists: () => true });
  config.importBundle(JSON.parse(fs.readFileSync(path.join(projectRoot(), 'config', 'demo.json'), 'utf8')));
  const logs: string[] = [];
  const api = await startApiServer({ port: 0, dataDir: dir, supervisor: { store, config }, log: createLogger({}, (l) => logs.push(l)), ...opts });
  return {
    api, store, dir, logs,
    async stop() {
      await api.close();
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply<T = any> { status: number; body: { ok: boolean; data: T; error: { id: string; message: string; fields?: { path: string; message: string; row?: number }[] } }; headers: Headers }

export class Client {
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;
  lastSetCookie: string[] = [];

  constructor(readonly base: string) {}

  async call<T = any>(name: string, input?: unknown, opts: { csrf?: boolean | string } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const csrf = typeof opts.csrf === 'string' ? opts.csrf : opts.csrf === false ? undefined : this.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${this.base}/api/${name}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair] = c.split(';');
      if (pair!.startsWith('hotline_session=')) this.cookie = pair!.endsWith('=') ? undefined : pair;
    }
    const body = await res.json() as Reply<T>['body'];
    if (body.ok && body.data && typeof body.data === 'object' && 'csrfToken' in (body.data as object)) this.csrf = (body.data as unknown as { csrfToken: string }).csrfToken ?? this.csrf;
    return { status: res.status, body, headers: res.headers };
  }

  // Expects success; throws with the error otherwise.
  async ok<T = any>(name: string, input?: unknown): Promise<T> {
    const r = await this.call<T>(name, input);
    if (!r.body.ok) throw new Error(`${name}: expected success, got ${r.status} ${JSON.stringify(r.body.error)}`);
    return r.body.data;
  }
}

export const ADMIN_PASSWORD = 'correct horse battery';

export async function adminClient(t: TestApi): Promise<Client> {
  const c = new Client(t.api.url);
  await c.ok('auth/setup/create-admin', { username: 'admin', password: ADMIN_PASSWORD });
  return c;
}

export async function userClient(t: TestApi, admin: Client, role: Role, username = `${role}1`): Promise<Client> {
  await admin.ok('users/user/create', { username, role, password: `${role}-password-1` });
  const c = new Client(t.api.url);
  await c.ok('auth/session/login', { username, password: `${role}-password-1` });
  return c;
}

// A WebSocket client of /api/ws that pairs results with requests by id.
export class WsClient {
  private nextId = 1;
  private waiters = new Map<number | string, (m: any) => void>();
  readonly events: any[] = [];
  private eventWaiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (m.type === 'result') { this.waiters.get(m.id)?.(m); this.waiters.delete(m.id); return; }
      if (m.type === 'event') {
        this.events.push(m);
        this.eventWaiters = this.eventWaiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
      }
    });
  }

  static connect(base: string, opts: { cookie?: string; bearer?: string; origin?: string | null } = {}): Promise<WsClient> {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws`, { headers, ...(opts.origin === null ? {} : { origin: opts.origin ?? base }) });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(m: Record<string, unknown>): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.ws.send(JSON.stringify({ ...m, id }));
    });
  }

  request(command: string, input: unknown = {}): Promise<any> { return this.send({ type: 'request', command, input }); }
  subscribe(topic: string, filter?: unknown): Promise<any> { return this.send({ type: 'subscribe', topic, filter }); }

  nextEvent(match: (m: any) => boolean = () => true, timeoutMs = 3000): Promise<any> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(-3))}`)), timeoutMs);
      this.eventWaiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  close(): void { this.ws.close(); }
}
