#!/usr/bin/env node
// `npm start`: the demo box on the simulated board. Starts hotline-engine
// (sim-demo profile: 4 FXO lines, 8 FXS phones, 1 E1) as its own process, the
// supervisor with the demo configuration (config/demo.json: extensions
// 801-808, an IVR, office hours, voicemail) and the API with its sign-in page
// and status page on http://localhost:$PORT (default 8080); the web panel
// (ui/dist, built by npm run build:ui) at /. State lives in
// $HOTLINE_DATA_DIR (default ./data), so instances can run side by side.
// Virtual callers and agents make a gentle day of traffic (src/demo/traffic.ts):
// HOTLINE_DEMO_CALLS_PER_MIN sets the rate (default 2), `--no-traffic` or a rate
// of 0 turns it off.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'dist/src/api/http-server.js')) || !fs.existsSync(path.join(root, 'build/Release/hotline.node'))) {
  console.error('start: not built yet: run "bash scripts/setup" first');
  process.exit(1);
}
const { startApiServer } = await import('../dist/src/api/http-server.js');
const { Supervisor } = await import('../dist/src/supervisor.js');
const { startDemoTraffic, holdOfficeOpen } = await import('../dist/src/demo/traffic.js');

const dataDir = path.resolve(process.env.HOTLINE_DATA_DIR ?? path.join(root, 'data'));
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
fs.mkdirSync(dataDir, { recursive: true });
const socketPath = path.join(dataDir, 'engine.sock');

const engine = spawn(process.execPath, [path.join(root, 'bin/hotline-engine.js'), '--profile', 'sim-demo', '--speed', '1', '--data-dir', dataDir, '--socket', socketPath], { stdio: ['ignore', 'inherit', 'inherit'] });
engine.on('exit', (code) => { console.error(`start: engine exited (${code})`); process.exit(1); });
const deadline = Date.now() + 15000;
while (!fs.existsSync(socketPath)) {
  if (Date.now() > deadline) { console.error('start: engine did not come up'); process.exit(1); }
  await new Promise((r) => setTimeout(r, 50));
}
const seedConfig = JSON.parse(fs.readFileSync(path.join(root, 'config/demo.json'), 'utf8'));
const supervisor = await Supervisor.start({ dataDir, socketPath, seedConfig });
const api = await startApiServer({ port, host, supervisor, dataDir });
const where = `http://${host === '0.0.0.0' ? 'localhost' : host}:${api.port}`;
console.log(`Hotline demo box: ${supervisor.engine.channels.length} channels on the simulated board, extensions ${supervisor.config.extensions().map((e) => e.ext).join(' ')}`);
if (api.deps.accounts.users.count() === 0) {
  console.log(`First start: open ${where}/ and choose the admin password (there is no default one).`);
  console.log(`  Or from this box's console: echo 'PASSWORD' | npx hotline user reset-admin --data-dir ${dataDir}`);
} else {
  console.log(`Sign in at ${where}/ ; status page ${where}/status ; API ${where}/api/ (docs/api.md)`);
}
// The console: on HOTLINE_CONSOLE_DEVICE (the box's ttyS0) when set, and for
// `hotline console --stdio|--device` over <data dir>/console.sock (docs/console.md).
const { startConsoleService } = await import('../dist/src/console/console-service.js');
const consoles = await startConsoleService({
  deps: api.deps, registry: api.registry, dataDir,
  device: process.env.HOTLINE_CONSOLE_DEVICE || undefined,
  baud: Number(process.env.HOTLINE_CONSOLE_BAUD ?? 115200),
  ansi: /^(vt1\d\d|vt2\d\d|xterm|linux|screen|ansi)/.test(process.env.HOTLINE_CONSOLE_TERM ?? ''),
  idleMs: Number(process.env.HOTLINE_CONSOLE_IDLE_MIN ?? 10) * 60_000,
});
console.log(`Console: ${process.env.HOTLINE_CONSOLE_DEVICE ? `on ${process.env.HOTLINE_CONSOLE_DEVICE}, and ` : ''}npx hotline console --stdio --data-dir ${dataDir}`);
const rate = process.argv.includes('--no-traffic') ? 0 : Number(process.env.HOTLINE_DEMO_CALLS_PER_MIN ?? 2);
// Some callers dial the 400 numbers over the E1 trunks: five circuits of the
// R2 span (DID 4008001234) and five of the SS7 span (DID 4008005678).
const e1 = [{ chans: [13, 14, 15, 16, 17], dnis: '4008001234' }, { chans: [44, 45, 46, 47, 48], dnis: '4008005678' }];
const traffic = rate > 0 ? await startDemoTraffic({ socketPath, callsPerMinute: rate, e1 }) : null;
const forced = traffic ? holdOfficeOpen(supervisor.ctx) : [];
if (forced.length) console.log(`Demo traffic: the office is closed now, so the day/night override holds it open (${forced.join(', ')}); *50 from phone 801 returns to the schedule`);
console.log(traffic
  ? `Demo traffic: about ${rate} calls a minute into the service queue; agents 2001 and 2002 answer, phone 806 (agent 2003) is yours (npm start -- --no-traffic for a quiet box)`
  : 'Demo traffic off');
const stop = () => { engine.removeAllListeners('exit'); traffic?.stop(); void consoles.close().then(() => api.close()).then(() => supervisor.stop()); engine.kill('SIGTERM'); setTimeout(() => process.exit(0), 200); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
