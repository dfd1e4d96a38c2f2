// `hotline console [--device /dev/ttyS0] [--baud 115200] [--data-dir DIR] | --stdio`:
// attaches a serial device, or this terminal, to the running supervisor's
// console. The console itself runs in the supervisor (it needs the live ACD
// and engine connection); this command only relays bytes over the local
// socket <data dir>/console.sock. The box's own console port is better set
// with HOTLINE_CONSOLE_DEVICE, so the supervisor opens it without this relay.
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { consoleSocketPath, type RelayHello } from '../console/console-service.js';

export async function consoleCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { device: { type: 'string' }, baud: { type: 'string', default: '115200' }, 'data-dir': { type: 'string' }, stdio: { type: 'boolean' } },
    strict: true,
  });
  if (!values.device && !values.stdio) { process.stderr.write('usage: hotline console [--device /dev/ttyS0] [--baud 115200] [--data-dir DIR] | --stdio\n'); return 2; }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const sock = net.connect(consoleSocketPath(dataDir));
  await new Promise<void>((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); }).catch((e: Error) => {
    throw new Error(`no running supervisor console at ${consoleSocketPath(dataDir)} (${e.message}): start the box first (npm start)`);
  });
  const term = process.env.TERM ?? '';
  if (values.device) {
    const port = new SerialPort({ path: values.device, baudRate: Number(values.baud) || 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    const hello: RelayHello = { place: path.basename(values.device), physical: true, ansi: false };
    sock.write(`${JSON.stringify(hello)}\n`);
    port.pipe(sock);
    sock.pipe(port);
    await new Promise<void>((resolve) => { port.once('close', resolve); sock.once('close', resolve); });
    sock.destroy();
    if (port.isOpen) port.close();
    return 0;
  }
  const hello: RelayHello = { place: 'stdio', physical: false, ansi: Boolean(process.stdout.isTTY && term && term !== 'dumb') };
  sock.write(`${JSON.stringify(hello)}\n`);
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.pipe(sock);
  sock.pipe(process.stdout);
  await new Promise<void>((resolve) => sock.once('close', resolve));
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.unpipe(sock);
  process.stdin.pause();
  return 0;
}
