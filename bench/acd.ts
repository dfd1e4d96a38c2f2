// `npm run -s bench -- acd`: the ACD's figures as one JSON object. Routing
// decisions against a naive scan, agent-free-to-ring time on the sim board
// against the bare engine, and reports over a million journal rows.
import os from 'node:os';
import { benchDecision } from './acd-decision.js';
import { benchFreeToRing } from './acd-free-to-ring.js';
import { benchReports } from './acd-reports.js';

const log = (msg: string): void => { process.stderr.write(`[bench acd] ${msg}\n`); };

export async function benchAcd(args: string[]): Promise<void> {
  const started = Date.now();
  log('routing decisions (10,000 callers x 500 agents x 20 queues) and the naive scan');
  const decision = await benchDecision(args) as { decisionP99Us: number; naiveRatio: number };
  log('agent free -> phone ringing on the sim board, and the bare engine');
  const ring = await benchFreeToRing(args);
  const reports = args.includes('--skip-reports') ? null : (log('reports over 1,000,000 journal rows'), await benchReports(args));
  const result = {
    bench: 'acd',
    date: new Date().toISOString(),
    host: { cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, node: process.version },
    decisionP99Us: decision.decisionP99Us,
    naiveRatio: decision.naiveRatio,
    freeToRingMs: ring.freeToRingMs.p99,
    decision,
    freeToRing: ring,
    reports,
    notes: [
      'decision: Router.setAvailable + dispatch for one agent put down, timed alone with hrtime; naiveRatio = naive scan p50 / router p50 on the same state (the naive side keeps its list pre-sorted, outside the timed part).',
      'freeToRingMs: p99 engine time from the engine\'s HookChanged (agent phone down) to the far end\'s SimPhoneRang on that phone, sim board at real-time speed; freeToRing.baselineMs is a bare engine client that rings on the same HookChanged.',
    ],
    benchSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
