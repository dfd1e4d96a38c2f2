// The supervisor: storage, configuration and the call manager over one engine
// connection. src/main.ts starts it as a process; tests start it in-process
// against a private engine.
import fs from 'node:fs';
import path from 'node:path';
import { EngineClient } from './telephony/engine-client.js';
import { Store } from './store/store.js';
import { ConfigService } from './config/config-service.js';
import { EngineTimers } from './calls/timers.js';
import { PortTable } from './calls/ports.js';
import { Parking } from './calls/parking.js';
import { CallWaiting } from './calls/call-waiting.js';
import { CallManager } from './calls/call-manager.js';
import type { CallContext } from './calls/context.js';
import { createLogger, type Logger } from './log.js';
import { promptExists, resolvePrompt, musicOnHoldPath, type PromptDirs } from './prompts/library.js';
import { projectRoot } from './native/addon.js';
import { housekeeping } from './housekeeping/housekeeping.js';
import { Acd } from './acd/acd.js';
import { acdStatus, type AcdStatus } from './acd/live-stats.js';
import { applyPendingRestore } from './backup/restore-at-start.js';

export interface SupervisorOptions {
  dataDir: string;
  socketPath: string;
  log?: Logger;
  // Seeds an empty configuration (the demo box).
  seedConfig?: unknown;
}

export class Supervisor {
  readonly store: Store;
  readonly config: ConfigService;
  readonly engine: EngineClient;
  readonly calls: CallManager;
  readonly ctx: CallContext;
  private clockOffsetMs = 0;
  private housekeepingTimer: NodeJS.Timeout | undefined;
  private configTimer: NodeJS.Timeout | undefined;

  private constructor(opts: SupervisorOptions) {
    const log = opts.log ?? createLogger({ app: 'hotline' });
    const dirs: PromptDirs = { projectRoot: projectRoot(), dataDir: opts.dataDir };
    // A restore staged from the panel replaces the database before it opens.
    const restored = applyPendingRestore(opts.dataDir);
    this.store = Store.open(path.join(opts.dataDir, 'hotline.db'));
    if (restored) {
      log.warn('backup restored', { source: restored.pending.source, keptAs: restored.keptAs });
      this.store.journal.append('system', 'BackupRestored', { data: { ...restored.pending, keptAs: restored.keptAs } });
    }
    this.config = new ConfigService(this.store, { promptExists: (ref, lang) => promptExists(ref, lang, dirs) });
    if (opts.seedConfig && !this.store.config.list('settings').length && !this.store.config.list('extension').length) {
      this.config.importBundle(opts.seedConfig);
      this.store.journal.append('system', 'ConfigSeeded', {});
    }
    this.engine = new EngineClient({ socketPath: opts.socketPath, name: 'supervisor' });
    const settingsLang = () => this.config.settings.language;
    this.ctx = {
      engine: this.engine,
      timers: new EngineTimers(this.engine),
      store: this.store,
      config: this.config,
      ports: new PortTable(),
      dataDir: opts.dataDir,
      now: () => new Date(Date.now() + this.clockOffsetMs),
      engineMs: () => this.engine.lastTime,
      prompt: (name, lang) => promptFile(name, lang ?? settingsLang(), dirs),
      log,
      ringing: new Map(),
      parking: new Parking(() => this.config.settings.park),
      waitingCalls: new CallWaiting(),
      lastCaller: new Map(),
      acd: undefined as unknown as Acd,
    };
    // The ACD reads the context it belongs to.
    this.ctx.acd = new Acd(this.ctx);
    this.calls = new CallManager(this.ctx);
  }

  static async start(opts: SupervisorOptions): Promise<Supervisor> {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const s = new Supervisor(opts);
    await s.engine.connect();
    await s.calls.start();
    s.ctx.acd.start();
    s.calls.resumeQueued();
    const tidy = () => { void housekeeping(s.ctx).catch((e: Error) => s.ctx.log.error('housekeeping failed', { error: e.message })); };
    tidy();
    s.housekeepingTimer = setInterval(tidy, 3600_000).unref();
    // A configuration imported by another process (the CLI) applies within seconds.
    s.configTimer = setInterval(() => {
      try {
        if (s.config.reloadIfChanged()) s.store.journal.append('system', 'ConfigReloaded', {});
      } catch (e) { s.ctx.log.warn('config reload failed', { error: (e as Error).message }); }
    }, 2000).unref();
    s.store.journal.append('system', 'SupervisorStarted', { data: { pid: process.pid, engine: s.engine.engine ?? null } });
    return s;
  }

  // Moves the box's wall clock (time conditions, CDR times): for tests and
  // for an installer checking what happens at a given time.
  setClock(at: Date): void {
    this.clockOffsetMs = at.getTime() - Date.now();
  }

  // Queues and agents now, with today's figures (status page, API).
  acdStatus(): AcdStatus {
    return acdStatus(this.ctx);
  }

  async stop(): Promise<void> {
    clearInterval(this.housekeepingTimer);
    clearInterval(this.configTimer);
    this.ctx.stopping = true;
    this.engine.close();
    this.store.close();
  }
}

// A prompt name as the call code writes it: "builtin:x", "custom:x", a bare
// builtin name, or "moh:default". Falls back to the other language when a
// builtin is missing in the one asked for.
function promptFile(name: string, lang: 'zh' | 'en', dirs: PromptDirs): string {
  if (name.startsWith('moh:')) return musicOnHoldPath(dirs);
  if (name.startsWith('tone:')) return path.join(dirs.projectRoot, 'out', 'prompts', 'tones', `${name.slice(5)}.wav`);
  const ref = name.includes(':') ? name : `builtin:${name}`;
  if (promptExists(ref, lang, dirs)) return resolvePrompt(ref, lang, dirs);
  const other = lang === 'zh' ? 'en' : 'zh';
  if (promptExists(ref, other, dirs)) return resolvePrompt(ref, other, dirs);
  return resolvePrompt(ref, lang, dirs);   // throws a clear not_found error
}
