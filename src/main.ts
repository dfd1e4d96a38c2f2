// The supervisor process: `hotline supervisor [--data-dir DIR] [--socket PATH] [--seed FILE]`.
// Connects to a running hotline-engine (it owns the lines and outlives us),
// opens the store, seeds an empty configuration from FILE, and handles calls.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Supervisor } from './supervisor.js';
import { createLogger } from './log.js';

export async function runSupervisor(argv: string[]): Promise<Supervisor> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      socket: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const socketPath = values.socket ?? path.join(dataDir, 'engine.sock');
  let seedConfig: unknown;
  if (values.seed) {
    try {
      seedConfig = JSON.parse(fs.readFileSync(values.seed, 'utf8'));
    } catch (e) {
      throw new Error(`--seed ${values.seed}: ${(e as Error).message}`);
    }
  }
  const sup = await Supervisor.start({ dataDir, socketPath, seedConfig, log: createLogger({ app: 'hotline' }) });
  const stop = () => { void sup.stop().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sup;
}
