// Where consoles come from in the supervisor process: the serial port named
// by HOTLINE_CONSOLE_DEVICE (the box's ttyS0, opened through `serialport`, kept
// open and reopened when a USB adapter comes back), and a local socket in the
// data directory that `hotline console` relays a terminal or another serial
// device to. Every console runs here, beside the live ACD and engine client,
// so its commands take the very dispatch path HTTP and the WebSocket take.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { ApiDeps } from '../api/context.js';
import type { CommandRegistry } from '../api/registry.js';
import type { Logger } from '../log.js';
import { ConsoleSession } from './console-session.js';

export interface ConsoleServiceOptions {
  deps: ApiDeps;
  registry: CommandRegistry;
  dataDir: string;
  device?: string;          // e.g. /dev/ttyS0
  baud?: number;            // default 115200
  ansi?: boolean;           // the serial terminal understands ANSI (HOTLINE_CONSOLE_TERM)
  idleMs?: number;
  log?: Logger;
  socket?: boolean;         // listen on <dataDir>/console.sock (default true)
}

export interface ConsoleService { socketPath: string | undefined; sessions: Set<ConsoleSession>; close(): Promise<void> }

// The relay's first line on the socket says what it is connected to.
export interface RelayHello { place: string; physical: boolean; ansi: boolean }

export const consoleSocketPath = (dataDir: string) => path.join(dataDir, 'console.sock');

export async function startConsoleService(opts: ConsoleServiceOptions): Promise<ConsoleService> {
  const sessions = new Set<ConsoleSession>();
  let stopped = false;
  let port: SerialPort | undefined;
  let retry: NodeJS.Timeout | undefined;
  const base = { deps: opts.deps, registry: opts.registry, idleMs: opts.idleMs, log: opts.log };

  const openSerial = (device: string) => {
    const p = new SerialPort({ path: device, baudRate: opts.baud ?? 115200, autoOpen: false });
    p.open((err) => {
      if (err) {
        opts.log?.warn('console device did not open', { device, error: err.message });
        if (!stopped) retry = setTimeout(() => openSerial(device), 5000).unref();
        return;
      }
      port = p;
      const s = new ConsoleSession(p, { ...base, place: path.basename(device), physical: true, ansi: opts.ansi });
      sessions.add(s);
      p.once('close', () => {
        s.close();
        sessions.delete(s);
        if (!stopped) retry = setTimeout(() => openSerial(device), 1000).unref();
      });
    });
  };
  if (opts.device) openSerial(opts.device);

  let server: net.Server | undefined;
  const socketPath = opts.socket === false ? undefined : consoleSocketPath(opts.dataDir);
  if (socketPath) {
    fs.rmSync(socketPath, { force: true });
    server = net.createServer((sock) => relayed(sock, base, sessions, opts.log));
    await new Promise<void>((resolve, reject) => { server!.once('error', reject); server!.listen(socketPath, () => resolve()); });
    // Whoever may use this socket may already reset the admin with `hotline user reset-admin`.
    fs.chmodSync(socketPath, 0o600);
  }

  return {
    socketPath, sessions,
    async close() {
      stopped = true;
      clearTimeout(retry);
      for (const s of sessions) s.close();
      if (port?.isOpen) await new Promise<void>((r) => port!.close(() => r()));
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      if (socketPath) fs.rmSync(socketPath, { force: true });
    },
  };
}

function relayed(sock: net.Socket, base: Omit<ConstructorParameters<typeof ConsoleSession>[1], 'place' | 'physical'>, sessions: Set<ConsoleSession>, log?: Logger): void {
  let head = Buffer.alloc(0);
  const onData = (d: Buffer) => {
    head = Buffer.concat([head, d]);
    const nl = head.indexOf(10);
    if (nl < 0) { if (head.length > 1024) sock.destroy(); return; }
    sock.off('data', onData);
    sock.pause();
    let hello: RelayHello;
    try {
      const h = JSON.parse(head.subarray(0, nl).toString('utf8')) as Partial<RelayHello>;
      hello = { place: String(h.place ?? 'socket').slice(0, 40), physical: h.physical === true, ansi: h.ansi === true };
    } catch {
      sock.destroy();
      return;
    }
    const rest = head.subarray(nl + 1);
    if (rest.length) sock.unshift(rest);
    const s = new ConsoleSession(sock, { ...base, ...hello, onExit: () => sock.end() });
    sessions.add(s);
    sock.once('close', () => { s.close(); sessions.delete(s); });
    sock.resume();
    log?.info('console relay attached', { place: hello.place });
  };
  sock.on('data', onData);
  sock.on('error', () => sock.destroy());
}
