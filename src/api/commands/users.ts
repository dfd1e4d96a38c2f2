// User accounts and roles (admins only). The last active admin can be neither
// demoted nor disabled: the box must keep a way in besides the serial console.
import { z } from 'zod';
import { command, ADMINS, ANY_ROLE, type CommandRegistry } from '../registry.js';
import { conflict, notFound } from '../errors.js';
import { hashPassword } from '../../auth/passwords.js';
import { ROLES, type User } from '../../auth/users-repo.js';
import type { Accounts } from '../../auth/accounts.js';
import { username, password, role } from './auth.js';

const userId = z.object({ id: z.number().int().positive() }).strict();

function existing(acc: Accounts, id: number): User {
  const u = acc.users.get(id);
  if (!u) throw notFound(`user ${id}`);
  return u;
}

function keepAnAdmin(acc: Accounts, u: User, becomes: { role?: string; disabled?: boolean }): void {
  const losesAdmin = u.role === 'admin' && !u.disabled && ((becomes.role !== undefined && becomes.role !== 'admin') || becomes.disabled === true);
  if (losesAdmin && acc.users.activeAdmins() <= 1) throw conflict(`${u.username} is the last active admin: make another admin first`);
}

export function userCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'users/user/list', summary: 'All user accounts', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ctx.deps.accounts.users.list(),
  }));

  r.add(command({
    name: 'users/user/create', summary: 'Create a user with a role and an initial password', access: ADMINS, kind: 'write',
    input: z.object({ username, displayName: z.string().max(80).default(''), role, password }).strict(),
    target: (i) => `user ${i.username}`,
    async handler(i, ctx) {
      const users = ctx.deps.accounts.users;
      if (users.byName(i.username)) throw conflict(`username: ${i.username} is taken`);
      const hash = await hashPassword(i.password);
      if (users.byName(i.username)) throw conflict(`username: ${i.username} is taken`);
      return users.create({ username: i.username, displayName: i.displayName, role: i.role, passwordHash: hash });
    },
  }));

  r.add(command({
    name: 'users/user/update', summary: 'Change a user\'s name, role or password (a new password ends their sessions)', access: ADMINS, kind: 'write',
    input: userId.extend({ displayName: z.string().max(80).optional(), role: role.optional(), password: password.optional() }).strict(),
    target: (i) => `user ${i.id}`,
    async handler(i, ctx) {
      const acc = ctx.deps.accounts;
      const u = existing(acc, i.id);
      keepAnAdmin(acc, u, { role: i.role });
      ctx.audit.target = `user ${u.username}`;
      const hash = i.password !== undefined ? await hashPassword(i.password) : undefined;
      if (hash) { acc.users.setPasswordHash(u.id, hash); acc.sessions.removeForUser(u.id, ctx.sessionId); }
      // A role change takes effect on the next request: sessions look the role up each time.
      return acc.users.update(u.id, { displayName: i.displayName, role: i.role });
    },
  }));

  r.add(command({
    name: 'users/user/disable', summary: 'Disable a user: signs them out everywhere', access: ADMINS, kind: 'write',
    input: userId,
    target: (i) => `user ${i.id}`,
    handler(i, ctx) {
      const acc = ctx.deps.accounts;
      const u = existing(acc, i.id);
      keepAnAdmin(acc, u, { disabled: true });
      ctx.audit.target = `user ${u.username}`;
      acc.sessions.removeForUser(u.id);
      return acc.users.update(u.id, { disabled: true });
    },
  }));

  r.add(command({
    name: 'users/user/enable', summary: 'Enable a disabled user', access: ADMINS, kind: 'write',
    input: userId,
    target: (i) => `user ${i.id}`,
    handler(i, ctx) {
      const acc = ctx.deps.accounts;
      const u = existing(acc, i.id);
      ctx.audit.target = `user ${u.username}`;
      return acc.users.update(u.id, { disabled: false });
    },
  }));

  r.add(command({
    name: 'users/role/list', summary: 'The roles and the commands each may run', access: ANY_ROLE, kind: 'read',
    input: z.object({}).strict(),
    handler: () => ROLES.map((ro) => ({ role: ro, commands: r.list().filter((c) => c.access !== 'public' && c.access.includes(ro)).map((c) => c.name) })),
  }));
}
