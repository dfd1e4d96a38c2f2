// The one connection to the box: commands over HTTP (sign-in and sign-out set
// the cookie, so they must be HTTP) and everything else over one WebSocket at
// /api/ws with request/result messages and topic subscriptions. Components
// never build messages: they call the typed functions in the other files here.

export interface FieldError { path: string; message: string; row?: number }
export interface ApiErrorBody { id: string; message: string; fields?: FieldError[] }

export class ApiError extends Error {
  readonly id: string;
  readonly fields: FieldError[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.id = body.id;
    this.fields = body.fields ?? [];
  }
  // The message for one input field (first path segment match), if any.
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void { csrfToken = token; }

// POST /api/<command>: for sign-in, sign-out and setup (they set the cookie).
export async function httpCall<T>(command: string, input: unknown = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const r = await fetch(`/api/${command}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}), credentials: 'same-origin' });
  let body: { ok: boolean; data?: T; error?: ApiErrorBody };
  try { body = await r.json() as typeof body; } catch { throw new ApiError({ id: 'internal', message: `HTTP ${r.status}` }); }
  if (!body.ok) throw new ApiError(body.error ?? { id: 'internal', message: `HTTP ${r.status}` });
  return body.data as T;
}

// POST of a file as the raw body (a backup to restore), with the CSRF token.
export async function httpUpload<T>(url: string, body: Blob): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const r = await fetch(url, { method: 'POST', headers, body, credentials: 'same-origin' });
  let reply: { ok: boolean; data?: T; error?: ApiErrorBody };
  try { reply = await r.json() as typeof reply; } catch { throw new ApiError({ id: 'internal', message: `HTTP ${r.status}` }); }
  if (!reply.ok) throw new ApiError(reply.error ?? { id: 'internal', message: `HTTP ${r.status}` });
  return reply.data as T;
}

type Pending = { resolve(v: unknown): void; reject(e: unknown): void };
interface Sub { topic: string; filter?: unknown; onEvent(data: unknown): void }
type Status = 'connecting' | 'open' | 'closed';

// One WebSocket, reconnecting with back-off; subscriptions are renewed after a
// reconnect and onReconnect listeners (live collections) refetch.
export class Connection {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<string, Pending>();
  private subs = new Map<string, Sub>();
  private reconnectListeners = new Set<() => void>();
  private statusListeners = new Set<(s: Status) => void>();
  private opened: Promise<void> | null = null;
  private backoff = 500;
  private closedByUs = false;
  private everOpened = false;
  status: Status = 'connecting';

  constructor(private url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`) {}

  connect(): Promise<void> {
    if (this.opened) return this.opened;
    this.closedByUs = false;
    this.opened = new Promise<void>((resolve) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      this.setStatus('connecting');
      ws.onopen = () => {
        this.backoff = 500;
        this.setStatus('open');
        for (const [id, s] of this.subs) this.raw({ type: 'subscribe', id, topic: s.topic, filter: s.filter });
        if (this.everOpened) for (const fn of this.reconnectListeners) fn();
        this.everOpened = true;
        resolve();
      };
      ws.onmessage = (ev) => this.onMessage(String(ev.data));
      ws.onclose = () => {
        this.ws = null;
        this.opened = null;
        this.setStatus('closed');
        for (const [id, p] of this.pending) { if (!this.subs.has(id)) { p.reject(new ApiError({ id: 'disconnected', message: 'connection lost' })); this.pending.delete(id); } }
        if (!this.closedByUs) {
          setTimeout(() => { void this.connect(); }, this.backoff);
          this.backoff = Math.min(this.backoff * 2, 10_000);
        }
        resolve();
      };
    });
    return this.opened;
  }

  close(): void {
    this.closedByUs = true;
    this.subs.clear();
    this.ws?.close();
  }

  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  onStatus(fn: (s: Status) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  async request<T>(command: string, input: unknown = {}): Promise<T> {
    await this.connect();
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) throw new ApiError({ id: 'disconnected', message: 'not connected' });
    const id = `r${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.raw({ type: 'request', id, command, input });
    });
  }

  // Events of a topic until the returned function is called.
  subscribe<T>(topic: string, onEvent: (data: T) => void, filter?: unknown): () => void {
    const id = `s${this.nextId++}`;
    this.subs.set(id, { topic, filter, onEvent: onEvent as (d: unknown) => void });
    if (this.ws?.readyState === WebSocket.OPEN) this.raw({ type: 'subscribe', id, topic, filter });
    else void this.connect();
    return () => {
      if (!this.subs.delete(id)) return;
      if (this.ws?.readyState === WebSocket.OPEN) this.raw({ type: 'unsubscribe', id: `u${this.nextId++}`, subscription: id });
    };
  }

  private raw(m: unknown): void { this.ws?.send(JSON.stringify(m)); }

  private setStatus(s: Status): void {
    this.status = s;
    for (const fn of this.statusListeners) fn(s);
  }

  private onMessage(text: string): void {
    let m: { type?: string; id?: string; ok?: boolean; data?: unknown; error?: ApiErrorBody; subscription?: string };
    try { m = JSON.parse(text) as typeof m; } catch { return; }
    if (m.type === 'event' && m.subscription !== undefined) {
      this.subs.get(String(m.subscription))?.onEvent(m.data);
      return;
    }
    if (m.type === 'result' && m.id !== undefined) {
      const p = this.pending.get(String(m.id));
      if (!p) return;
      this.pending.delete(String(m.id));
      if (m.ok) p.resolve(m.data);
      else p.reject(new ApiError(m.error ?? { id: 'internal', message: 'failed' }));
    }
  }
}

let shared: Connection | null = null;
export function connection(): Connection {
  shared ??= new Connection();
  return shared;
}
export function dropConnection(): void {
  shared?.close();
  shared = null;
}

// A live collection: fetch, then keep it current from a topic, and fetch again
// after every reconnect (events may have been missed while away).
export function liveCollection<T>(conn: Connection, fetcher: () => Promise<T>, topic: string, onValue: (v: T) => void, opts: { filter?: unknown; eventIsValue?: boolean; onError?: (e: unknown) => void } = {}): () => void {
  let stopped = false;
  const refetch = () => { fetcher().then((v) => { if (!stopped) onValue(v); }, (e) => opts.onError?.(e)); };
  const unsub = conn.subscribe<T>(topic, (data) => { if (stopped) return; if (opts.eventIsValue) onValue(data); else refetch(); }, opts.filter);
  const offReconnect = conn.onReconnect(refetch);
  refetch();
  return () => { stopped = true; unsub(); offReconnect(); };
}
