// One console over one duplex stream (a serial port, a pty, a local socket):
// a login prompt checked like the API's sign-in (same accounts, throttling and
// lockout), then registry commands run through the same dispatch as HTTP and
// the WebSocket (roles, validation, audit with via "console"), plus the few
// verbs a field tech needs on the box itself: status, reset-admin, logout, exit.
import type { Duplex } from 'node:stream';
import type { ApiDeps, Actor } from '../api/context.js';
import type { CommandRegistry, Command } from '../api/registry.js';
import { runCommand, mayRun, type Credentials } from '../api/dispatch.js';
import { ApiError } from '../api/errors.js';
import { toJsonSchema, type JsonSchema } from '../api/zod-json-schema.js';
import { checkSignIn } from '../auth/sign-in.js';
import { resetAdminPassword, MIN_PASSWORD } from '../auth/accounts.js';
import type { Logger } from '../log.js';
import { LineEditor, type EditorEvent } from './line-editor.js';
import { parseCommandLine, pairsToInput } from './command-line.js';
import { crlf, escapeText, formatError, formatResult, table, width } from './format.js';

export interface ConsoleOptions {
  deps: ApiDeps;
  registry: CommandRegistry;
  // Where the tech is: "ttyS0", "stdio". The throttle counts failures per place.
  place: string;
  // The box's own serial port: only there may reset-admin run.
  physical: boolean;
  // The terminal said it understands ANSI (TERM); otherwise plain text only.
  ansi?: boolean;
  idleMs?: number;
  log?: Logger;
  // `exit`: end the console (stdio); without it `exit` is `logout` (a serial line stays).
  onExit?: () => void;
}

type Mode = 'user' | 'password' | 'shell' | 'reset-confirm' | 'reset-pw1' | 'reset-pw2';

export const CONSOLE_VERBS: [string, string][] = [
  ['help [NAME]', 'the commands you may run, or one command\'s fields'],
  ['status', 'engine channels and span alarms, calls in progress, ACD queues'],
  ['reset-admin', 'set the admin password (only on the box\'s serial console; also at the login prompt)'],
  ['logout', 'end this session (Ctrl-D does the same)'],
  ['exit', 'log out and leave the console'],
];

export class ConsoleSession {
  private editor: LineEditor;
  private mode: Mode = 'user';
  private username = '';
  private actor: Actor | undefined;
  private creds: Credentials = {};
  private sessionId: string | undefined;
  private resetFrom: 'user' | 'shell' = 'user';
  private newPassword = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private chain = Promise.resolve();
  private closed = false;
  private readonly ip: string;
  private readonly onData = (d: Buffer) => this.input(d);
  private readonly onEnd = () => this.close();

  constructor(private stream: Duplex, private opts: ConsoleOptions) {
    this.ip = `console:${opts.place}`;
    this.editor = new LineEditor((s) => this.raw(s));
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
    this.say(`Hotline console (${escapeText(opts.place)}). Forgot the admin password? Log in as reset-admin.`);
    this.prompt();
  }

  get signedIn(): string | undefined { return this.actor?.name; }

  // Stops listening; ends the session in the database.
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.stream.off('data', this.onData);
    this.endSession();
  }

  private input(d: Buffer): void {
    this.armIdle();
    this.chain = this.chain.then(async () => {
      for (let ev = this.editor.feed(d); ev; ev = this.editor.feed('')) await this.handle(ev);
    }).catch((e: Error) => {
      this.opts.log?.error('console failed', { error: e.message, stack: e.stack });
      this.say('error internal: internal error');
      this.prompt();
    });
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    const ms = this.opts.idleMs ?? 10 * 60_000;
    if (ms > 0) this.idleTimer = setTimeout(() => { this.chain = this.chain.then(() => this.idle()); }, ms).unref();
  }

  private idle(): void {
    if (this.closed || this.mode === 'user') return;
    this.say(`\nidle for ${Math.round((this.opts.idleMs ?? 600_000) / 60_000)} min: logged out`);
    this.logout();
  }

  private async handle(ev: EditorEvent): Promise<void> {
    if (this.closed) return;
    if (ev.type === 'cancel') {
      if (this.mode === 'password' || this.mode.startsWith('reset')) this.mode = this.mode === 'password' ? 'user' : this.resetFrom;
      this.prompt();
      return;
    }
    if (ev.type === 'eof') {
      if (this.mode === 'shell') { this.say('logout'); this.logout(); }
      else if (this.mode !== 'user') { this.raw('\r\n'); this.mode = this.actor ? 'shell' : 'user'; this.prompt(); }
      else if (this.opts.onExit) this.opts.onExit();
      return;
    }
    const text = ev.text;
    switch (this.mode) {
      case 'user': return this.gotUser(text.trim());
      case 'password': return this.gotPassword(text);
      case 'shell': return this.gotCommand(text);
      case 'reset-confirm': return this.gotResetConfirm(text.trim());
      case 'reset-pw1': return this.gotResetPassword(text, 1);
      case 'reset-pw2': return this.gotResetPassword(text, 2);
    }
  }

  private gotUser(name: string): void {
    if (!name) return this.prompt();
    if (name === 'reset-admin') return this.startReset('user');
    this.username = name.slice(0, 100);
    this.mode = 'password';
    this.prompt();
  }

  private async gotPassword(password: string): Promise<void> {
    const acc = this.opts.deps.accounts;
    const r = await checkSignIn(acc, this.username, password.slice(0, 256), this.ip);
    if (!r.ok) {
      this.say(r.reason === 'throttled'
        ? `error rate_limited: too many failed logins: try again in ${Math.ceil(r.waitMs / 60_000)} min`
        : 'Login incorrect');
      this.mode = 'user';
      return this.prompt();
    }
    const { token, session } = acc.sessions.create(r.user.id, { ip: this.ip, userAgent: 'serial console' });
    this.creds = { sessionToken: token };
    this.sessionId = session.id;
    this.actor = { kind: 'user', id: r.user.id, name: r.user.username, role: r.user.role };
    this.opts.log?.info('console login', { user: r.user.username, place: this.opts.place });
    this.say(`Signed in as ${escapeText(r.user.username)} (${r.user.role}). Type help for the commands.`);
    this.mode = 'shell';
    this.prompt();
  }

  private async gotCommand(line: string): Promise<void> {
    const t = line.trim();
    if (!t) return this.prompt();
    try {
      const parsed = parseCommandLine(t);
      const [verb, ...more] = parsed.words;
      if (!verb) return this.prompt();
      if (verb.includes('/')) {
        if (more.length) throw new ApiError('validation_failed', `${more[0]}: expected key=value`, [{ path: more[0]!, message: 'expected key=value' }]);
        const cmd = this.opts.registry.get(verb);
        const input = parsed.json ?? pairsToInput(parsed.pairs, cmd?.input);
        const data = await this.run(verb, input);
        this.say(parsed.rawJson ? escapeText(JSON.stringify(data ?? {}, null, 2)).replace(/\\x0a/g, '\n') : formatResult(data));
        return this.prompt();
      }
      switch (verb) {
        case 'help': this.say(more[0] ? this.helpFor(more[0]) : this.help()); break;
        case '?': this.say(this.help()); break;
        case 'status': this.say(await this.status(parsed.rawJson)); break;
        case 'reset-admin': return this.startReset('shell');
        case 'logout': this.logout(); return;
        case 'exit': this.logout(false); if (this.opts.onExit) this.opts.onExit(); else this.prompt(); return;
        default: this.say(`unknown command ${escapeText(verb)}: commands are domain/noun/verb (type help)`);
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.say(formatError(e));
      if (e.id === 'unauthenticated') { this.say('your session has ended: log in again'); this.logout(false); this.prompt(); return; }
    }
    this.prompt();
  }

  // Every registry command goes through the API's one dispatch path.
  private run(name: string, input: unknown): Promise<unknown> {
    return runCommand(this.opts.registry, this.opts.deps, name, input, { via: 'console', ip: this.ip, creds: this.creds, log: this.opts.log });
  }

  private commands(): Command[] {
    return this.opts.registry.list().filter((c) => !c.httpOnly && c.access !== 'public' && mayRun(c, this.actor));
  }

  private help(): string {
    const cmds = this.commands();
    const w = Math.max(...cmds.map((c) => c.name.length), ...CONSOLE_VERBS.map(([n]) => n.length));
    const line = (n: string, s: string) => `  ${n.padEnd(w)}  ${escapeText(s)}`;
    return [
      `Commands for ${this.actor!.role} (name key=value ... | name {JSON}; add --json for the raw answer):`,
      ...cmds.map((c) => line(c.name, c.summary)),
      'Console:',
      ...CONSOLE_VERBS.map(([n, s]) => line(n, s)),
      'help NAME shows a command\'s fields.',
    ].join('\n');
  }

  private helpFor(name: string): string {
    const verb = CONSOLE_VERBS.find(([n]) => n.split(' ')[0] === name);
    if (verb) return `${verb[0]}: ${verb[1]}`;
    const c = this.opts.registry.get(name);
    if (!c || !this.commands().includes(c)) return `error not_found: command ${escapeText(name)} does not exist or is not yours to run (type help)`;
    const schema = toJsonSchema(c.input);
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    const rows = Object.entries(props).map(([k, p]) => ({
      field: k, type: typeOf(p), required: required.has(k) && p.default === undefined ? 'yes' : 'no',
      default: p.default === undefined ? '' : JSON.stringify(p.default), description: (p.description as string | undefined) ?? '',
    }));
    return [
      `${c.name}: ${escapeText(c.summary)}`,
      `roles: ${c.access === 'public' ? 'anyone' : c.access.join(', ')}; ${c.kind === 'write' ? 'a change (audited)' : 'read only'}`,
      rows.length ? fieldsTable(rows) : 'no input',
    ].join('\n');
  }

  // The box at a glance, through the same commands (an agent sees what an agent may).
  private async status(json: boolean): Promise<string> {
    const part = async (name: string, input: unknown = {}) => {
      try { return { ok: true as const, data: await this.run(name, input) }; } catch (e) {
        if (e instanceof ApiError) return { ok: false as const, error: e };
        throw e;
      }
    };
    const [engine, cdrs, acd] = await Promise.all([part('engine/state/get'), part('calls/cdr/list', { limit: 200 }), part('acd/status/get')]);
    if (json) return escapeText(JSON.stringify({ engine, cdrs, acd }));
    const out: string[] = [];
    if (engine.ok) {
      const e = engine.data as { channels: { chan: number; span: number; kind: string }[]; states: { chan: number; state: string; offhook: boolean; bridgedTo: number }[]; spans: { span: number; alarms: number }[] };
      const byKind = new Map<string, number>();
      for (const c of e.channels) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      const inUse = e.states.filter((s) => s.offhook || s.bridgedTo > 0).length;
      out.push(`Engine: ${e.channels.length} channels (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}), ${inUse} in use`);
      const alarms = e.spans.filter((s) => s.alarms !== 0);
      out.push(alarms.length ? `Span alarms: ${alarms.map((s) => `span ${s.span} alarm 0x${s.alarms.toString(16)}`).join(', ')}` : `Spans: ${e.spans.length}, no alarms`);
    } else out.push(`Engine: ${formatError(engine.error)}`);
    if (cdrs.ok) {
      const open = (cdrs.data as { journey: string; direction: string; caller: string; callerName: string; callee: string; startedAt: string; answeredAt: string | null; endedAt: string | null; queue: string | null; agent: string | null }[])
        .filter((c) => !c.endedAt);
      out.push(`Calls in progress: ${open.length}`);
      if (open.length) out.push(table(open.map((c) => ({ journey: c.journey, dir: c.direction, caller: c.caller, name: c.callerName, callee: c.callee, since: c.startedAt.slice(11, 19), answered: c.answeredAt ? 'yes' : 'no', queue: c.queue, agent: c.agent }))));
    } else out.push(`Calls: ${formatError(cdrs.error)}`);
    if (acd.ok) {
      const a = acd.data as { queues: { id: string; waiting: number; loggedIn: number; agentsByState: Record<string, number> }[] };
      out.push('ACD queues:');
      out.push(table(a.queues.map((q) => ({ queue: q.id, waiting: q.waiting, 'logged in': q.loggedIn, agents: Object.entries(q.agentsByState).map(([s, n]) => `${n} ${s}`).join(', ') || '-' }))));
    } else out.push(`ACD: ${formatError(acd.error)}`);
    return out.join('\n');
  }

  private startReset(from: 'user' | 'shell'): void {
    if (!this.opts.physical) {
      this.say('error permission_required: reset-admin runs only on the box\'s own serial console (on the box\'s shell: hotline user reset-admin)');
      this.mode = from;
      return this.prompt();
    }
    this.resetFrom = from;
    this.say('This sets the password of the box\'s first admin account, enables it, lifts its lockout and ends its sessions.');
    this.mode = 'reset-confirm';
    this.prompt();
  }

  private gotResetConfirm(answer: string): void {
    if (answer !== 'yes') { this.say('not reset'); this.mode = this.resetFrom; return this.prompt(); }
    this.mode = 'reset-pw1';
    this.prompt();
  }

  private async gotResetPassword(pw: string, step: 1 | 2): Promise<void> {
    if (step === 1) {
      if (pw.length < MIN_PASSWORD) { this.say(`error validation_failed: password: at least ${MIN_PASSWORD} characters`); return this.prompt(); }
      this.newPassword = pw;
      this.mode = 'reset-pw2';
      return this.prompt();
    }
    const first = this.newPassword;
    this.newPassword = '';
    this.mode = this.resetFrom;
    if (pw !== first) { this.say('the passwords differ: not reset'); return this.prompt(); }
    const name = await resetAdminPassword(this.opts.deps.store, pw);
    this.opts.log?.warn('admin password reset from the console', { user: name, place: this.opts.place });
    this.say(`The password of ${escapeText(name)} is set.`);
    this.prompt();
  }

  private logout(prompt = true): void {
    this.endSession();
    this.mode = 'user';
    if (prompt) this.prompt();
  }

  private endSession(): void {
    if (this.sessionId) this.opts.deps.accounts.sessions.remove(this.sessionId);
    if (this.actor) this.opts.log?.info('console logout', { user: this.actor.name, place: this.opts.place });
    this.sessionId = undefined;
    this.actor = undefined;
    this.creds = {};
  }

  private prompt(): void {
    this.editor.reset();
    this.editor.echo = !['password', 'reset-pw1', 'reset-pw2'].includes(this.mode);
    const p = {
      user: 'login: ',
      password: 'Password: ',
      shell: `${escapeText(this.actor?.name ?? '')}@hotline> `,
      'reset-confirm': 'Type yes to go on: ',
      'reset-pw1': 'New admin password: ',
      'reset-pw2': 'Again: ',
    }[this.mode];
    this.raw(this.opts.ansi && this.mode === 'shell' ? `\x1b[1m${p}\x1b[0m` : p);
  }

  private say(text: string): void { this.raw(`${crlf(text)}\r\n`); }

  private raw(s: string): void {
    if (!this.closed && this.stream.writable) this.stream.write(s);
  }
}

function typeOf(p: JsonSchema): string {
  if (Array.isArray(p.enum)) return (p.enum as unknown[]).join('|');
  if (p.anyOf) return (p.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  const t = String(p.type ?? 'any');
  if (t === 'array' && p.items) return `list of ${typeOf(p.items as JsonSchema)}`;
  return p.pattern ? `${t} /${String(p.pattern)}/` : t;
}

// Descriptions can be long: the table carries the short columns, the text follows.
function fieldsTable(rows: { field: string; type: string; required: string; default: string; description: string }[]): string {
  const w = Math.max(...rows.map((r) => width(r.field)));
  return ['fields:', ...rows.map((r) => `  ${r.field.padEnd(w)}  ${escapeText(r.type)}${r.required === 'yes' ? ', required' : ''}${r.default ? `, default ${escapeText(r.default)}` : ''}${r.description ? `\n  ${' '.repeat(w)}  ${escapeText(r.description)}` : ''}`)].join('\n');
}
