// Entry point of the hotline-engine process.
//   hotline-engine [--profile sim-demo] [--speed 1] [--socket PATH] [--data-dir DIR]
//   hotline-engine --driver dahdi [--root /] [--devroot /dev/dahdi] [--zone cn]
// Defaults: HOTLINE_DATA_DIR (or ./data), the socket inside it.
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { EngineServer } from './server.js';
import { findProfile, simOptionsFromProfile, dahdiOptionsFromInventory } from './config.js';
import { detectBoards } from '../boards/detect.js';
import { loadProfiles } from '../boards/profiles.js';

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
      driver: { type: 'string', default: 'sim' },
      root: { type: 'string', default: '/' },
      devroot: { type: 'string', default: '/dev/dahdi' },
      zone: { type: 'string', default: 'cn' },
    },
    strict: true,
  });
  const dir = path.resolve(values['data-dir'] ?? dataDir());
  fs.mkdirSync(dir, { recursive: true });
  const socketPath = values.socket ?? path.join(dir, 'engine.sock');
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0 || speed > 1000) throw new Error(`--speed: ${values.speed} is not a number in 0..1000 (0 = as fast as possible)`);
  let engine;
  if (values.driver === 'dahdi') {
    // Real boards: the channels DAHDI reports (run with --root to read a copied tree).
    engine = dahdiOptionsFromInventory(detectBoards({ root: values.root, profiles: loadProfiles() }), values.devroot, values.zone);
  } else if (values.driver === 'sim') {
    const profile = findProfile(values.profile!);
    if (profile.family !== 'sim') throw new Error(`profile ${profile.id} is a real card: run with --driver dahdi, which takes the channels DAHDI reports`);
    engine = simOptionsFromProfile(profile, speed);
  } else {
    throw new Error(`--driver: "${values.driver}" is not sim or dahdi`);
  }
  const server = new EngineServer({
    socketPath,
    dataDir: dir,
    engine,
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
