// The one command registry: every API operation is a command named
// `domain/noun/verb` with a zod input schema, the roles that may run it and a
// handler. HTTP (`POST /api/<name>`), the WebSocket and the OpenAPI document
// are all generated from it, so none of them can disagree about who may do what.
import type { z } from 'zod';
import type { Role } from '../auth/users-repo.js';
import type { ApiDeps, Actor } from './context.js';

// public: anyone (sign-in, first-run setup); otherwise the roles allowed.
export type Access = 'public' | readonly Role[];

// The door a command came through; the audit log keeps it.
export type Via = 'http' | 'ws' | 'console';

export const ANY_ROLE: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const SUPERVISORS: readonly Role[] = ['admin', 'supervisor'];
export const ADMINS: readonly Role[] = ['admin'];

export interface CommandContext {
  deps: ApiDeps;
  actor: Actor | undefined;        // undefined only for public commands
  via: Via;
  ip: string;
  // HTTP only: sign-in and sign-out set and clear the session cookie.
  cookies?: { setSession(token: string): void; clearSession(): void };
  sessionId?: string;
  // Overrides the audit target / summary from inside the handler.
  audit: { target?: string; summary?: string; skip?: boolean };
}

export interface Command<S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  name: string;
  summary: string;
  access: Access;
  // read: no change, no audit, no CSRF token needed; write: audited, CSRF-checked.
  kind: 'read' | 'write';
  input: S;
  // Served over HTTP only (it sets or clears the session cookie).
  httpOnly?: boolean;
  // Larger bodies (CSV import).
  maxBodyBytes?: number;
  // Audit target from the input, e.g. "extension 801".
  target?: (input: z.output<S>) => string;
  handler(input: z.output<S>, ctx: CommandContext): R | Promise<R>;
}

const NAME = /^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/;

export class CommandRegistry {
  private commands = new Map<string, Command>();

  add<S extends z.ZodTypeAny, R>(c: Command<S, R>): void {
    if (!NAME.test(c.name)) throw new Error(`command name ${c.name} is not domain/noun/verb`);
    if (this.commands.has(c.name)) throw new Error(`command ${c.name} registered twice`);
    this.commands.set(c.name, c as unknown as Command);
  }

  get(name: string): Command | undefined { return this.commands.get(name); }
  list(): Command[] { return [...this.commands.values()].sort((a, b) => a.name.localeCompare(b.name)); }
}

// Helper that keeps the handler's input type tied to its schema.
export function command<S extends z.ZodTypeAny, R>(c: Command<S, R>): Command<S, R> { return c; }
