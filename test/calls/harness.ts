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
  // Set once stop() began: waits still pending then belong to a test that
  // already ended (failed); they stay silent rather than fail a later test.
  stopped?: boolean;
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
  const box: Box = {
    dataDir, engine, sup, far, logs,
    async stop() {
      box.stopped = true;
      far.close();
      await sup.stop();
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return box;
}

// The journal's last events for a failure message; a box stopped meanwhile
// (its test already failed elsewhere) has none to give.
function lastEvents(box: Box, n: number): string {
  try { return box.sup.store.journal.query({}).slice(-n).map((x) => x.event).join(', '); } catch { return '(store closed)'; }
}

// Resolves with the first journal entry matching, appended after this call.
export function journalWait(box: Box, match: (e: Omit<JournalEntry, 'id'>) => boolean, timeoutMs = 15000): Promise<Omit<JournalEntry, 'id'>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); if (box.stopped) return; reject(new Error(`no matching journal entry within ${timeoutMs} ms; last: ${lastEvents(box, 8)}; logs: ${box.logs.slice(-3).join(' | ')}`)); }, timeoutMs);
    const off = box.sup.store.journal.subscribe((e) => { if (match(e)) { clearTimeout(timer); off(); resolve(e); } });
  });
}

export function farWait(box: Box, match: (e: EngineEvent) => boolean, timeoutMs = 15000): Promise<EngineEvent> {
  return box.far.waitFor(match, timeoutMs).catch(() => {
    if (box.stopped) return new Promise<EngineEvent>(() => {});
    throw new Error(`no far-end event ${match.toString()} within ${timeoutMs} ms; journal: ${lastEvents(box, 6)}; logs: ${box.logs.slice(-2).join(' | ')}`);
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

// The engine's live signalling state of a channel (the link's on a D-channel).
export async function sigState(box: Box, chan: number): Promise<string | undefined> {
  const st = await box.sup.engine.request('state') as unknown as { states: { chan: number; sigState?: string }[] };
  return st.states.find((s) => s.chan === chan)?.sigState;
}

// An SS7 span ready for calls both ways: the box's link is up (its link test
// answered) and so is the far end's (its own link test answered a moment later).
export async function ss7Ready(box: Box, dchan: number, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await sigState(box, dchan) === 'up') {
      const stats = box.far.waitFor((e) => e.event === 'SimSs7Stats', 2000);
      await box.far.sim('ss7', dchan, { action: 'stats' });
      if ((await stats).linkUp === true) return;
    }
    if (Date.now() > deadline) throw new Error(`the SS7 link on channel ${dchan} did not come up at both ends within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
