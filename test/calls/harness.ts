// A whole box for call tests: a private engine on the sim board, a supervisor
// in this process with its own data directory and configuration, and a
// second engine client playing the far end (callers and phones).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPrivateEngine, type PrivateEngine } from '../../src/cli/scenario.js';
import { Supervisor } from '../../src/supervisor.js';
import { EngineClient } from '../../src/telephony/engine-client.js';
import type { EngineEvent } from '../../src/telephony/protocol.js';
import type { JournalEntry } from '../../src/store/journal.js';
import { createLogger } from '../../src/log.js';
import { cdrFromJournal } from '../../src/reports/cdr-from-journal.js';
import * as assert from 'uvu/assert';

export interface Box {
  dataDir: string;
  engine: PrivateEngine;
  sup: Supervisor;
  far: EngineClient;
  logs: string[];
  stop(): Promise<void>;
}

export function demoConfig(): Record<string, Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(path.join(process.cwd(), 'config', 'demo.json'), 'utf8')) as Record<string, Record<string, unknown>>;
}

export async function startBox(config: unknown = demoConfig(), opts: { speed?: number; at?: string } = {}): Promise<Box> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-box-'));
  const engine = await startPrivateEngine({ speed: opts.speed ?? 20, dataDir });
  const logs: string[] = [];
  const sup = await Supervisor.start({ dataDir, socketPath: engine.socketPath, seedConfig: config, log: createLogger({}, (l) => logs.push(l)) });
  if (opts.at) sup.setClock(new Date(opts.at));
  const far = new EngineClient({ socketPath: engine.socketPath, name: 'far-end', reconnect: false });
  await far.connect();
  return {
    dataDir, engine, sup, far, logs,
    async stop() {
      far.close();
      await sup.stop();
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Resolves with the first journal entry matching, appended after this call.
export function journalWait(box: Box, match: (e: Omit<JournalEntry, 'id'>) => boolean, timeoutMs = 15000): Promise<Omit<JournalEntry, 'id'>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no matching journal entry within ${timeoutMs} ms; last: ${box.sup.store.journal.query({}).slice(-8).map((x) => x.event).join(', ')}; logs: ${box.logs.slice(-3).join(' | ')}`)); }, timeoutMs);
    const off = box.sup.store.journal.subscribe((e) => { if (match(e)) { clearTimeout(timer); off(); resolve(e); } });
  });
}

export function farWait(box: Box, match: (e: EngineEvent) => boolean, timeoutMs = 15000): Promise<EngineEvent> {
  return box.far.waitFor(match, timeoutMs).catch(() => {
    throw new Error(`no far-end event ${match.toString()} within ${timeoutMs} ms; journal: ${box.sup.store.journal.query({}).slice(-6).map((x) => x.event).join(', ')}; logs: ${box.logs.slice(-2).join(' | ')}`);
  });
}

export const ended = (journey?: string) => (e: Omit<JournalEntry, 'id'>) => e.event === 'CallEnded' && (!journey || e.journey === journey);

// A workday in the demo's time zone (Asia/Shanghai, UTC+8).
export const TUESDAY_10AM = '2026-11-24T10:00:00+08:00';

// The exchange places a call on a line, waiting for the line to clear from an
// earlier call first (the far end releases a moment after we do).
export async function farCall(box: Box, chan: number, from: string, opts: Record<string, unknown> = {}): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await box.far.sim('call', chan, { from, callerId: 'bell202', ...opts });
      return;
    } catch (e) {
      if (i > 40 || !/busy/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// The CDR row must be what the journal alone says (reports recompute from it).
export function assertRebuilds(box: Box, journey: string): void {
  const { legs: _legs, ...stored } = box.sup.store.cdr.get(journey)!;
  assert.equal(cdrFromJournal(journey, box.sup.store.journal.forJourney(journey)), stored, `CDR of ${journey} rebuilt from the journal`);
}
