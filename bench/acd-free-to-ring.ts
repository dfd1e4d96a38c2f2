// Time from an agent becoming free to that agent's phone ringing with the
// next waiting caller, in engine time, on the sim board at real-time speed.
// "Free" is the moment the engine reports the agent's phone put down after a
// call (HookChanged), "ringing" is the far end's SimPhoneRang on the same
// phone. The baseline, measured in the same run on the same engine, is a bare
// engine client that rings the phone as soon as it sees that HookChanged:
// the engine's own round trip, with no ACD in between.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPrivateEngine } from '../src/cli/scenario.js';
import { Supervisor } from '../src/supervisor.js';
import { EngineClient } from '../src/telephony/engine-client.js';
import type { EngineEvent } from '../src/telephony/protocol.js';
import { createLogger } from '../src/log.js';
import { projectRoot } from '../src/native/addon.js';
import { summarize, type Summary } from './stats.js';

const AGENT_PORT = 8;      // extension 804, agent 2001 in the demo
const LINES = [1, 2, 3, 4];

export async function benchFreeToRing(args: string[]): Promise<{ freeToRingMs: Summary; baselineMs: Summary; ratioVsBare: number; rounds: number }> {
  const rounds = Number(flag(args, '--rounds') ?? 30);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-acd-'));
  const engine = await startPrivateEngine({ speed: 1, dataDir });
  const far = new EngineClient({ socketPath: engine.socketPath, name: 'far-end', reconnect: false });
  let sup: Supervisor | undefined;
  try {
    await far.connect();
    const baseline = await bare(engine.socketPath, far, rounds);
    const config = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'config', 'demo.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    config.inboundRoute!.main!.destination = { type: 'queue', queue: 'service' };
    delete config.inboundRoute!.main!.byState;
    delete config.inboundRoute!.main!.timeCondition;
    config.queue!.service = { ...config.queue!.service, members: [{ agent: '2001' }], wrapUpSec: 0, joinEmpty: true, maxWaitSec: 0, announce: { positionEverySec: 0 } };
    for (const id of ['2002', '2003']) (config.agent![id] as { autoLogin: boolean }).autoLogin = false;
    sup = await Supervisor.start({ dataDir, socketPath: engine.socketPath, seedConfig: config, log: createLogger({}, () => {}) });
    const samples: number[] = [];
    const callers = new Set<number>();
    const call = async (line: number) => { await retry(() => far.sim('call', line, { from: `1390000000${line}`, callerId: 'dtmf' })); callers.add(line); };
    for (const l of LINES) await call(l);
    // The first offer rings with callers waiting; each round: answer, talk a
    // moment, put the phone down, and time the next ring.
    let rang = await far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === AGENT_PORT, 20000);
    for (let i = 0; i < rounds; i++) {
      await far.sim('answer', AGENT_PORT);
      const line = await lineOf(sup, far);
      await sleep(150);
      // Time only rounds where a caller is waiting when the phone goes down.
      for (let w = 0; w < 400 && sup.ctx.acd.router.waitingCount('service') < 1; w++) await sleep(25);
      const down = far.waitFor((e) => e.event === 'HookChanged' && e.chan === AGENT_PORT && e.offhook === false, 10000);
      const next = far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === AGENT_PORT && e.seq > rang.seq, 20000);
      await far.sim('onhook', AGENT_PORT);
      const free = await down;
      rang = await next;
      samples.push(rang.time - free.time);
      // The exchange clears the line the agent hung up; a new caller takes it.
      await far.sim('hangup', line).catch(() => {});
      void call(line).catch(() => {});
    }
    const freeToRingMs = summarize(samples);
    return { freeToRingMs, baselineMs: baseline, ratioVsBare: round(freeToRingMs.p50 / Math.max(1, baseline.p50)), rounds };
  } finally {
    far.close();
    await sup?.stop();
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// The bare engine: a client that rings the phone when it is put down.
async function bare(socketPath: string, far: EngineClient, rounds: number): Promise<Summary> {
  const near = new EngineClient({ socketPath, name: 'bare', reconnect: false });
  await near.connect();
  const samples: number[] = [];
  try {
    near.on('event', (e: EngineEvent) => {
      if (e.event === 'HookChanged' && e.chan === AGENT_PORT && e.offhook === false) void near.ring(AGENT_PORT, { number: '1', callerId: 'dtmf' }).catch(() => {});
    });
    await near.ring(AGENT_PORT, { number: '1', callerId: 'dtmf' });
    await far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === AGENT_PORT, 10000);
    for (let i = 0; i < rounds; i++) {
      await far.sim('answer', AGENT_PORT);
      await sleep(150);
      const down = far.waitFor((e) => e.event === 'HookChanged' && e.chan === AGENT_PORT && e.offhook === false, 10000);
      const next = far.waitFor((e) => e.event === 'SimPhoneRang' && e.chan === AGENT_PORT, 10000);
      await far.sim('onhook', AGENT_PORT);
      const free = await down;
      samples.push((await next).time - free.time);
    }
    await near.hangup(AGENT_PORT).catch(() => {});
    await sleep(200);
  } finally {
    near.close();
  }
  return summarize(samples);
}

// The exchange line of the call the agent just answered.
async function lineOf(sup: Supervisor, far: EngineClient): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const a = sup.ctx.acd.agents.get('2001');
    if (a?.call) return a.call.callerChan;
    await sleep(10);
  }
  void far;
  throw new Error('the agent answered but no call was seen');
}

async function retry(fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i++) {
    try { await fn(); return; } catch (e) { if (i > 100) throw e; await sleep(50); }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number) => Number(v.toFixed(3));
function flag(args: string[], name: string): string | undefined { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; }
