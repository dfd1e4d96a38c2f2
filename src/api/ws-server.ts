// The API over one WebSocket at /api/ws: request/result messages that run the
// same commands as HTTP, and subscriptions to live events. A browser socket
// must come from the panel's own origin (the Origin header is the WebSocket's
// CSRF check); credentials are the session cookie or a bearer token given at
// connect, and are checked again on every request and every few seconds.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Logger } from '../log.js';
import { SESSION_COOKIE, type ApiDeps } from './context.js';
import type { CommandRegistry } from './registry.js';
import { ANY_ROLE, SUPERVISORS, ADMINS } from './registry.js';
import type { Role } from '../auth/users-repo.js';
import { authenticate, runCommand, asApiError, type Credentials } from './dispatch.js';
import { permissionRequired, unauthenticated, validationFailed } from './errors.js';
import type { JournalEntry } from '../store/journal.js';
import { callScope, statusFor } from './agent-scope.js';
import type { EngineEvent } from '../telephony/protocol.js';

export const TOPICS: Record<string, { access: readonly Role[]; summary: string }> = {
  journal: { access: SUPERVISORS, summary: 'every journal entry as it is written; filter {kinds?, events?}' },
  calls: { access: ANY_ROLE, summary: 'journal entries of kind call (ringing, answered, ended, …); filter {events?}. Agents get the event name only (no journey, no data): they refetch their own calls' },
  engine: { access: SUPERVISORS, summary: 'the engine\'s events (channel state, digits, tones)' },
  backup: { access: ADMINS, summary: 'progress of the backup being made: {name, phase, done, total, error?} (database pages copied)' },
  progress: { access: SUPERVISORS, summary: 'long work and its progress (customer CSV import/export): {id, kind, by, phase, done, total, error?}' },
  acd: { access: ANY_ROLE, summary: 'the ACD status (as acd/status/get) whenever a queue or agent changes, at most 4 times a second' },
};

// blind: an agent's subscription to calls hears that something happened, not to whom
// (agents see only their own calls and fetch them with calls/cdr/list).
// agentScope: an agent's acd subscription sees the party of their own agent only.
interface Subscription { id: number | string; topic: string; kinds?: string[]; events?: string[]; blind?: boolean; agentScope?: { agent: string | null } }
interface Client { ws: WebSocket; creds: Credentials; ip: string; subs: Map<string, Subscription> }

const MAX_CLIENTS = 200;
const RECHECK_MS = 5000;

export function attachWebSocket(server: Server, registry: CommandRegistry, deps: ApiDeps, log?: Logger): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 17 << 20 });
  const clients = new Set<Client>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (code: number, why: string) => {
      socket.end(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/ws') return refuse(404, 'Not Found');
    const creds = credentialsOf(req);
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) return refuse(403, 'Forbidden');
    // A cookie alone is what a cross-site page could ride on: it needs our Origin.
    if (creds.sessionToken && creds.bearer === undefined && origin === undefined) return refuse(403, 'Forbidden');
    if (clients.size >= MAX_CLIENTS) return refuse(503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Client = { ws, creds, ip: req.socket.remoteAddress ?? '', subs: new Map() };
      clients.add(c);
      ws.on('close', () => clients.delete(c));
      ws.on('error', () => ws.terminate());
      ws.on('message', (raw, isBinary) => { void onMessage(c, isBinary ? '' : raw.toString()); });
    });
  });

  async function onMessage(c: Client, text: string): Promise<void> {
    let msg: { type?: unknown; id?: unknown; command?: unknown; input?: unknown; topic?: unknown; filter?: unknown; subscription?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error();
    } catch {
      send(c, { type: 'result', id: null, ok: false, error: validationFailed([{ path: '(message)', message: 'a message is a JSON object {type, id, …}' }]).toJSON() });
      return;
    }
    const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
    const fail = (e: unknown) => send(c, { type: 'result', id, ok: false, error: asApiError(e, log).toJSON() });
    try {
      switch (msg.type) {
        case 'request': {
          if (typeof msg.command !== 'string') throw validationFailed([{ path: 'command', message: 'a command name domain/noun/verb' }]);
          const data = await runCommand(registry, deps, msg.command, msg.input, { via: 'ws', ip: c.ip, creds: c.creds, log });
          send(c, { type: 'result', id, ok: true, data });
          return;
        }
        case 'subscribe': {
          if (id === null) throw validationFailed([{ path: 'id', message: 'a subscription needs an id' }]);
          const topic = typeof msg.topic === 'string' ? TOPICS[msg.topic] : undefined;
          if (!topic) throw validationFailed([{ path: 'topic', message: `one of ${Object.keys(TOPICS).join(', ')}` }]);
          const auth = authenticate(deps, c.creds);
          if (!auth) throw unauthenticated();
          if (!topic.access.includes(auth.actor.role)) throw permissionRequired(`topic ${String(msg.topic)} needs the role ${topic.access.join(' or ')}`);
          const f = (msg.filter && typeof msg.filter === 'object' ? msg.filter : {}) as { kinds?: unknown; events?: unknown };
          const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : undefined);
          c.subs.set(String(id), { id, topic: msg.topic as string, kinds: strings(f.kinds), events: strings(f.events), ...(msg.topic === 'calls' && auth.actor.role === 'agent' ? { blind: true } : {}), ...(msg.topic === 'acd' ? { agentScope: callScope(deps, auth.actor) } : {}) });
          send(c, { type: 'result', id, ok: true, data: { subscription: id } });
          return;
        }
        case 'unsubscribe':
          c.subs.delete(String(msg.subscription));
          send(c, { type: 'result', id, ok: true, data: {} });
          return;
        case 'ping':
          send(c, { type: 'pong', id });
          return;
        default:
          throw validationFailed([{ path: 'type', message: 'one of request, subscribe, unsubscribe, ping' }]);
      }
    } catch (e) {
      fail(e);
    }
  }

  function send(c: Client, m: unknown): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // A client that does not read its events is dropped rather than buffered without end.
    if (c.ws.bufferedAmount > 8 << 20) { c.ws.terminate(); return; }
    c.ws.send(JSON.stringify(m));
  }

  function publish(topicOf: (s: Subscription) => boolean, data: unknown, topic: string, dataFor?: (s: Subscription) => unknown): void {
    for (const c of clients) for (const s of c.subs.values()) if (topicOf(s)) send(c, { type: 'event', subscription: s.id, topic, data: dataFor ? dataFor(s) : data });
  }

  const offJournal = deps.store.journal.subscribe((e: Omit<JournalEntry, 'id'>) => {
    if (!clients.size) return;
    const match = (s: Subscription) => (s.topic === 'journal' && (!s.kinds || s.kinds.includes(e.kind)) || (s.topic === 'calls' && e.kind === 'call')) && (!s.events || s.events.includes(e.event));
    publish((s) => match(s) && !s.blind, e, 'journal');
    publish((s) => match(s) && !!s.blind, { at: e.at, kind: e.kind, event: e.event, journey: null, engineMs: null, data: {} }, 'journal');
  });
  const onEngine = (e: EngineEvent) => { if (clients.size) publish((s) => s.topic === 'engine', e, 'engine'); };
  deps.engine?.on('event', onEngine);
  const onBackup = (p: unknown) => { if (clients.size) publish((s) => s.topic === 'backup', p, 'backup'); };
  deps.backups.on('progress', onBackup);
  const onJob = (p: unknown) => { if (clients.size) publish((s) => s.topic === 'progress', p, 'progress'); };
  deps.jobs.on('progress', onJob);
  // ACD status is pushed, coalesced: one snapshot per 250 ms however many changes came.
  let acdTimer: NodeJS.Timeout | null = null;
  const offAcd = deps.acd?.onChange(() => {
    if (acdTimer || ![...clients].some((c) => [...c.subs.values()].some((x) => x.topic === 'acd'))) return;
    acdTimer = setTimeout(() => { acdTimer = null; const st = deps.acd!.status(); publish((x) => x.topic === 'acd', st, 'acd', (x) => (x.agentScope ? statusFor(st, x.agentScope) : st)); }, 250);
  });

  // Sessions end (logout, password change, disabled user): subscribers stop hearing.
  const recheck = setInterval(() => {
    for (const c of clients) {
      if (!c.subs.size) continue;
      const auth = authenticate(deps, c.creds);
      if (!auth) { c.ws.close(4401, 'session ended'); continue; }
      for (const [k, s] of c.subs) if (!TOPICS[s.topic]!.access.includes(auth.actor.role)) c.subs.delete(k);
    }
  }, RECHECK_MS);
  recheck.unref();

  return {
    close() {
      clearInterval(recheck);
      offJournal();
      offAcd?.();
      if (acdTimer) clearTimeout(acdTimer);
      deps.engine?.off('event', onEngine);
      deps.backups.off('progress', onBackup);
      deps.jobs.off('progress', onJob);
      for (const c of clients) c.ws.terminate();
      wss.close();
    },
  };
}

function credentialsOf(req: IncomingMessage): Credentials {
  const creds: Credentials = {};
  const auth = req.headers.authorization;
  if (auth !== undefined) creds.bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) creds.sessionToken = part.slice(eq + 1).trim();
  }
  return creds;
}
