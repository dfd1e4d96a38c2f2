// First-run setup, sign-in and sign-out, who am I, password change, and API
// tokens. There is no default password: until the first admin exists the only
// thing the API does is create it.
import { z } from 'zod';
import { command, ANY_ROLE, ADMINS, type CommandRegistry, type CommandContext } from '../registry.js';
import { conflict, notFound, permissionRequired, rateLimited, unauthenticated } from '../errors.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { checkSignIn } from '../../auth/sign-in.js';
import { MIN_PASSWORD } from '../../auth/accounts.js';
import { ROLES, type User } from '../../auth/users-repo.js';
import { mayRun } from '../dispatch.js';

export const username = z.string().regex(/^[A-Za-z0-9._@-]{1,40}$/, 'a user name is 1 to 40 letters, digits, . _ @ or -');
export const password = z.string().min(MIN_PASSWORD, `a password is at least ${MIN_PASSWORD} characters`).max(256, 'a password is at most 256 characters');
export const role = z.enum(ROLES);

function signIn(ctx: CommandContext, user: User) {
  const { token, session } = ctx.deps.accounts.sessions.create(user.id, { ip: ctx.ip });
  ctx.cookies?.setSession(token);
  return { user, csrfToken: session.csrfToken };
}

export function authCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'auth/setup/status', summary: 'Whether the box still needs its first admin (first start)', access: 'public', kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ({ needsSetup: ctx.deps.accounts.users.count() === 0 }),
  }));

  r.add(command({
    name: 'auth/setup/create-admin', summary: 'Create the first admin and sign in; refused once any user exists', access: 'public', kind: 'write', httpOnly: true,
    input: z.object({ username: username.default('admin'), password, displayName: z.string().max(80).optional() }).strict(),
    target: (i) => `user ${i.username}`,
    async handler(i, ctx) {
      const users = ctx.deps.accounts.users;
      const refuse = () => conflict('the box already has users: sign in, or reset the admin password from the serial console (hotline user reset-admin)');
      if (users.count() > 0) throw refuse();
      const hash = await hashPassword(i.password);
      if (users.count() > 0) throw refuse();   // another request won the race while we hashed
      const user = users.create({ username: i.username, displayName: i.displayName, role: 'admin', passwordHash: hash });
      ctx.audit.summary = 'first admin created';
      return signIn(ctx, user);
    },
  }));

  r.add(command({
    name: 'auth/session/login', summary: 'Sign in: sets the session cookie and returns the CSRF token', access: 'public', kind: 'write', httpOnly: true,
    input: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(256) }).strict(),
    async handler(i, ctx) {
      ctx.audit.skip = true;
      const r = await checkSignIn(ctx.deps.accounts, i.username, i.password, ctx.ip);
      if (!r.ok && r.reason === 'throttled') throw rateLimited(`too many failed sign-ins: try again in ${Math.ceil(r.waitMs / 60_000)} min`, Math.ceil(r.waitMs / 1000));
      if (!r.ok) throw unauthenticated('user name or password is wrong');
      const user = r.user;
      return signIn(ctx, user);
    },
  }));

  r.add(command({
    name: 'auth/session/logout', summary: 'Sign out: ends this session', access: ANY_ROLE, kind: 'write', httpOnly: true,
    input: z.object({}).strict(),
    handler(_i, ctx) {
      ctx.audit.skip = true;
      if (ctx.sessionId) ctx.deps.accounts.sessions.remove(ctx.sessionId);
      ctx.cookies?.clearSession();
      return {};
    },
  }));

  r.add(command({
    name: 'auth/session/whoami', summary: 'The signed-in user or token, its role, the CSRF token and the commands it may run', access: ANY_ROLE, kind: 'read',
    input: z.object({}).strict(),
    handler(_i, ctx) {
      const a = ctx.actor!;
      const user = a.kind === 'user' ? ctx.deps.accounts.users.get(a.id) : undefined;
      const session = ctx.sessionId ? ctx.deps.accounts.sessions.byId(ctx.sessionId) : undefined;
      return {
        kind: a.kind, name: a.name, role: a.role, user: user ?? null, csrfToken: session?.csrfToken ?? null,
        commands: registryOf(r).filter((c) => c.access !== 'public' && mayRun(c, a)).map((c) => c.name),
      };
    },
  }));

  r.add(command({
    name: 'auth/password/change', summary: 'Change your own password; ends your other sessions', access: ANY_ROLE, kind: 'write',
    input: z.object({ currentPassword: z.string().min(1).max(256), newPassword: password }).strict(),
    async handler(i, ctx) {
      const a = ctx.actor!;
      if (a.kind !== 'user') throw permissionRequired('an API token has no password');
      const acc = ctx.deps.accounts;
      const u = acc.users.get(a.id)!;
      const wait = acc.throttle.waitMs(u.username, ctx.ip);
      if (wait > 0) throw rateLimited(`too many failed attempts: try again in ${Math.ceil(wait / 60_000)} min`, Math.ceil(wait / 1000));
      if (!await verifyPassword(i.currentPassword, acc.users.passwordHash(a.id)!)) {
        acc.throttle.failed(u.username, ctx.ip);
        ctx.deps.store.flush();
        throw unauthenticated('currentPassword: the current password is wrong');
      }
      acc.users.setPasswordHash(a.id, await hashPassword(i.newPassword));
      acc.sessions.removeForUser(a.id, ctx.sessionId);
      ctx.audit.target = `user ${u.username}`;
      ctx.audit.summary = 'password changed';
      return {};
    },
  }));

  r.add(command({
    name: 'auth/token/create', summary: 'Create an API token for an integration; the token is shown only in this answer', access: ADMINS, kind: 'write',
    input: z.object({ name: z.string().min(1).max(80), role }).strict(),
    target: (i) => `token ${i.name}`,
    handler(i, ctx) {
      const { token, record } = ctx.deps.accounts.tokens.create({ name: i.name, role: i.role, createdBy: ctx.actor!.kind === 'user' ? ctx.actor!.id : null });
      return { token, ...record };
    },
  }));

  r.add(command({
    name: 'auth/token/list', summary: 'API tokens (never the token itself)', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ctx.deps.accounts.tokens.list(),
  }));

  r.add(command({
    name: 'auth/token/revoke', summary: 'Revoke an API token at once', access: ADMINS, kind: 'write',
    input: z.object({ id: z.number().int().positive() }).strict(),
    target: (i) => `token ${i.id}`,
    handler(i, ctx) {
      if (!ctx.deps.accounts.tokens.get(i.id)) throw notFound(`token ${i.id}`);
      ctx.deps.accounts.tokens.revoke(i.id);
      return {};
    },
  }));
}

const registryOf = (r: CommandRegistry) => r.list();
