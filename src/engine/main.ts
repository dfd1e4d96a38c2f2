// Entry point of the hotline-engine process.
//   hotline-engine [--profile sim-demo] [--speed 1] [--socket PATH] [--data-dir DIR]
// Defaults: HOTLINE_DATA_DIR (or ./data), the socket inside it.
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { EngineServer } from './server.js';
import { findProfile, simOptionsFromProfile } from './config.js';

export function dataDir(): string {
  return path.resolve(process.env.HOTLINE_DATA_DIR ?? 'data');
}

export async function runEngine(argv: string[]): Promise<EngineServer> {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: 'sim-demo' },
      speed: { type: 'string', default: '1' },
      socket: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  const dir = path.resolve(values['data-dir'] ?? dataDir());
  fs.mkdirSync(dir, { recursive: true });
  const socketPath = values.socket ?? path.join(dir, 'engine.sock');
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0 || speed > 1000) throw new Error(`--speed: ${values.speed} is not a number in 0..1000 (0 = as fast as possible)`);
  const profile = findProfile(values.profile!);
  if (profile.family !== 'sim') throw new Error(`profile ${profile.id} is a real card: the dahdi driver is started from the detected inventory, not yet from this command`);
  const server = new EngineServer({
    socketPath,
    dataDir: dir,
    engine: simOptionsFromProfile(profile, speed),
    log: (msg, fields) => console.log(JSON.stringify({ level: 'info', msg, ...fields })),
  });
  await server.listen();
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  runEngine(process.argv.slice(2)).catch((err: Error) => {
    console.error(`hotline-engine: ${err.message}`);
    process.exit(1);
  });
}
