// The one path every command takes, whichever door it came through:
// find it, authenticate, check the role, check the CSRF token (cookie
// sessions, changes only), validate the input, run it, audit it, commit.
import crypto from 'node:crypto';
import { ConfigError } from '../config/config-service.js';
import { CrmError } from '../crm/customers.js';
import type { Logger } from '../log.js';
import type { ApiDeps, Actor } from './context.js';
import type { CommandRegistry, CommandContext, Command, Via } from './registry.js';
import { ApiError, fromZod, internal, notFound, permissionRequired, unauthenticated, validationFailed } from './errors.js';
import type { Session } from '../auth/sessions.js';

export interface Credentials {
  sessionToken?: string;   // cookie value
  bearer?: string;         // Authorization: Bearer
}

export interface Authenticated { actor: Actor; session?: Session }

export function authenticate(deps: ApiDeps, creds: Credentials): Authenticated | undefined {
  const acc = deps.accounts;
  if (creds.bearer !== undefined) {
    const t = acc.tokens.lookup(creds.bearer);
    return t ? { actor: { kind: 'token', id: t.id, name: `token:${t.name}`, role: t.role } } : undefined;
  }
  if (creds.sessionToken) {
    const s = acc.sessions.lookup(creds.sessionToken);
    if (!s) return undefined;
    const u = acc.users.get(s.userId);
    if (!u || u.disabled) return undefined;
    return { actor: { kind: 'user', id: u.id, name: u.username, role: u.role }, session: s };
  }
  return undefined;
}

export interface CallOptions {
  via: Via;
  ip: string;
  creds: Credentials;
  csrfToken?: string;      // HTTP: the x-csrf-token header. WS: not used (Origin is checked at connect).
  cookies?: CommandContext['cookies'];
  log?: Logger;
}

export function mayRun(c: Command, actor: Actor | undefined): boolean {
  return c.access === 'public' || (actor !== undefined && c.access.includes(actor.role));
}

export async function runCommand(registry: CommandRegistry, deps: ApiDeps, name: string, rawInput: unknown, opts: CallOptions): Promise<unknown> {
  const cmd = registry.get(name);
  const auth = authenticate(deps, opts.creds);
  if (!cmd || (cmd.httpOnly && opts.via !== 'http')) {
    // Who may not sign in learns nothing about which commands exist.
    if (!auth) throw unauthenticated();
    throw cmd ? notFound(`command ${name} over ${opts.via === 'ws' ? 'the WebSocket' : 'the console'} (it is served over HTTP only: it sets the session cookie)`) : notFound(`command ${name}`);
  }
  if (cmd.access !== 'public') {
    if (!auth) throw unauthenticated();
    if (!cmd.access.includes(auth.actor.role)) throw permissionRequired(`${name} needs the role ${cmd.access.join(' or ')}; ${auth.actor.name} is ${auth.actor.role}`);
  }
  if (cmd.kind === 'write' && opts.via === 'http' && auth?.session && !sameSecret(opts.csrfToken, auth.session.csrfToken)) {
    throw new ApiError('permission_required', 'x-csrf-token: missing or not this session\'s token (auth/session/whoami returns it)', [{ path: 'x-csrf-token', message: 'must match the session' }]);
  }
  const parsed = cmd.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  const ctx: CommandContext = { deps, actor: auth?.actor, via: opts.via, ip: opts.ip, cookies: opts.cookies, sessionId: auth?.session?.id, audit: {} };
  let result: unknown;
  try {
    result = await cmd.handler(parsed.data, ctx);
  } catch (e) {
    throw asApiError(e, opts.log, name);
  }
  if (cmd.kind === 'write') {
    if (!ctx.audit.skip) {
      deps.accounts.audit.append({
        actor: ctx.actor?.name ?? 'anonymous', actorUserId: ctx.actor?.kind === 'user' ? ctx.actor.id : null,
        via: opts.via, ip: opts.ip, command: name,
        target: ctx.audit.target ?? cmd.target?.(parsed.data) ?? '',
        summary: ctx.audit.summary ?? JSON.stringify(redact(parsed.data)),
      });
    }
    // An admin's change must not wait in the store's write batch.
    deps.store.flush();
  }
  return result;
}

export function asApiError(e: unknown, log?: Logger, command?: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ConfigError) return validationFailed(e.errors.map((x) => ({ path: x.path, message: x.message })));
  if (e instanceof CrmError) return e.code === 'validation_failed' && e.errors ? new ApiError('validation_failed', e.message, e.errors) : new ApiError(e.code, e.message);
  log?.error('command failed', { command, error: (e as Error)?.message, stack: (e as Error)?.stack });
  return internal();
}

function sameSecret(given: string | undefined, want: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(want);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const SECRET = /pass(word)?|secret|token|pin/i;

// Input as the audit log keeps it: secrets replaced, long text cut.
export function redact(v: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v;
  if (Array.isArray(v)) return v.length > 20 ? [...v.slice(0, 20).map((x) => redact(x, depth + 1)), `…(${v.length} items)`] : v.map((x) => redact(x, depth + 1));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET.test(k) && x !== undefined && typeof x !== 'object' ? '***' : redact(x, depth + 1)]));
  }
  return v;
}
