// The hotline-engine process: hosts the native engine and serves it on a
// local socket. It outlives its clients: when the supervisor goes away,
// bridged calls and recordings go on, and a client that connects gets the
// full state before any event.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { loadAddon, type NativeEngine, type NativeEngineOptions } from '../native/addon.js';
import {
  PROTOCOL_VERSION, FrameDecoder, encodeFrame, clientMessage,
  type EngineEvent, type ServerMessage, type ChannelInfo,
} from '../telephony/protocol.js';
import { verbs, playArgs, recordArgs, respanArgs, describeZodError } from './verbs.js';

export interface EngineServerOptions {
  socketPath: string;
  dataDir: string;
  engine: NativeEngineOptions;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

interface Pending {
  client: Client;
  reqId: number;
  seq: number;           // the command's position in the engine's queue
  data?: Record<string, unknown>;
  failed?: { code: string; message: string };
}

interface Client {
  socket: net.Socket;
  hello: boolean;
}

export class EngineServer {
  private native: NativeEngine;
  private server: net.Server;
  private clients = new Set<Client>();
  private pending = new Map<number, Pending>();   // by engine command id
  private nextId = 1;
  private seq = 0;
  private channels: ChannelInfo[];
  private spanAlarms = new Map<number, number>();
  private pollTimer: NodeJS.Timeout | undefined;
  private recordingsDir: string;
  private log: (msg: string, fields?: Record<string, unknown>) => void;
  private closed = false;

  constructor(private opts: EngineServerOptions) {
    this.log = opts.log ?? (() => {});
    const addon = loadAddon();
    this.native = new addon.Engine(opts.engine, (batch) => this.onBatch(batch));
    this.channels = this.native.channels();
    this.recordingsDir = path.join(opts.dataDir, 'recordings');
    fs.mkdirSync(this.recordingsDir, { recursive: true });
    this.server = net.createServer((s) => this.accept(s));
  }

  async listen(): Promise<void> {
    if (fs.existsSync(this.opts.socketPath)) {
      // A socket file left by a crashed engine: refuse if one still answers.
      const alive = await new Promise<boolean>((res) => {
        const s = net.connect(this.opts.socketPath, () => { s.destroy(); res(true); });
        s.on('error', () => res(false));
      });
      if (alive) throw new Error(`another engine is already serving ${this.opts.socketPath}`);
      fs.unlinkSync(this.opts.socketPath);
    }
    this.native.start();
    await new Promise<void>((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(this.opts.socketPath, () => res());
    });
    fs.chmodSync(this.opts.socketPath, 0o600);
    this.log('engine listening', { socket: this.opts.socketPath, channels: this.channels.length });
  }

  engine(): NativeEngine {
    return this.native;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pollTimer);
    for (const c of this.clients) c.socket.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
    this.native.close();
    fs.rmSync(this.opts.socketPath, { force: true });
  }

  private send(c: Client, msg: ServerMessage): void {
    if (!c.socket.destroyed) c.socket.write(encodeFrame(msg));
  }

  private accept(socket: net.Socket): void {
    const client: Client = { socket, hello: false };
    this.clients.add(client);
    const dec = new FrameDecoder();
    socket.on('data', (chunk) => dec.push(chunk, (v) => this.onMessage(client, v), (e) => {
      this.send(client, { type: 'error', error: { code: 'malformed', message: e.message } });
      if (e.fatal) socket.destroy();
    }));
    socket.on('error', () => {});
    socket.on('close', () => this.clients.delete(client));
  }

  private stateMessage(): ServerMessage {
    return {
      type: 'state',
      seq: this.seq,
      time: this.native.time(),
      channels: this.channels,
      states: this.native.snapshot(),
      spans: [...this.spanAlarms].map(([span, alarms]) => ({ span, alarms })),
    };
  }

  private onMessage(client: Client, value: unknown): void {
    const parsed = clientMessage.safeParse(value);
    if (!parsed.success) {
      const id = typeof (value as { id?: unknown })?.id === 'number' ? (value as { id: number }).id : undefined;
      const error = { code: 'malformed', message: describeZodError(parsed.error) };
      if (id !== undefined) this.send(client, { type: 'result', id, ok: false, error });
      else this.send(client, { type: 'error', error });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'hello') {
      if (msg.protocol !== PROTOCOL_VERSION) {
        this.send(client, { type: 'error', error: { code: 'protocol_mismatch', message: `engine speaks protocol ${PROTOCOL_VERSION}, client ${msg.protocol}` } });
        client.socket.end();
        return;
      }
      client.hello = true;
      const e = this.opts.engine;
      this.send(client, { type: 'welcome', protocol: PROTOCOL_VERSION, engine: { driver: e.driver, zone: e.zone ?? 'cn', speed: e.speed ?? 1, pid: process.pid } });
      this.send(client, this.stateMessage());
      return;
    }
    if (!client.hello) {
      this.send(client, { type: 'result', id: msg.id, ok: false, error: { code: 'no_hello', message: 'send hello first' } });
      return;
    }
    try {
      this.command(client, msg.id, msg.verb, msg.chan, msg.args ?? {});
    } catch (err) {
      const e = err as { code?: string; message: string };
      this.send(client, { type: 'result', id: msg.id, ok: false, error: { code: e.code ?? 'engine_error', message: e.message } });
    }
  }

  private fail(client: Client, reqId: number, code: string, message: string): void {
    this.send(client, { type: 'result', id: reqId, ok: false, error: { code, message } });
  }

  private command(client: Client, reqId: number, verbName: string, chan: number | undefined, args: Record<string, unknown>): void {
    if (verbName === 'state') { this.send(client, { type: 'result', id: reqId, ok: true, data: this.stateMessage() as unknown as Record<string, unknown> }); return; }
    if (verbName === 'stats') { this.send(client, { type: 'result', id: reqId, ok: true, data: { ...this.native.stats(), time: this.native.time() } }); return; }
    if (verbName === 'channels') { this.send(client, { type: 'result', id: reqId, ok: true, data: { channels: this.channels } }); return; }
    if (verbName === 'respan') {
      // Not a channel's verb: the span's new signalling state is allocated on
      // this thread by the addon, then swapped in by the media thread.
      const a = respanArgs.safeParse(args);
      if (!a.success) { this.fail(client, reqId, 'validation_failed', describeZodError(a.error)); return; }
      const id = this.nextId++;
      this.native.respan(a.data.span, a.data.signalling, id, a.data.far);
      this.track(client, reqId, id, { span: a.data.span, signalling: a.data.signalling });
      return;
    }
    const isMedia = verbName === 'play' || verbName === 'record';
    const v = verbs[verbName];
    if (!v && !isMedia) { this.fail(client, reqId, 'unknown_verb', `no verb "${verbName}"`); return; }
    if (isMedia || v?.needsChan) {
      if (chan === undefined) { this.fail(client, reqId, 'validation_failed', `chan: "${verbName}" needs a channel`); return; }
      if (!this.channels.some((c) => c.chan === chan)) { this.fail(client, reqId, 'unknown_channel', `chan: no channel ${chan} (1..${this.channels.length})`); return; }
    }
    const id = this.nextId++;
    if (verbName === 'play') {
      const a = playArgs.safeParse(args);
      if (!a.success) { this.fail(client, reqId, 'validation_failed', describeZodError(a.error)); return; }
      this.native.play(chan!, id, a.data.files, a.data.loop, a.data.queue);
      this.track(client, reqId, id, { playbackId: id });
      return;
    }
    if (verbName === 'record') {
      const a = recordArgs.safeParse(args);
      if (!a.success) { this.fail(client, reqId, 'validation_failed', describeZodError(a.error)); return; }
      const name = a.data.name ?? `rec-${Date.now()}-${id}.wav`;
      const file = path.join(this.recordingsDir, name.endsWith('.wav') ? name : `${name}.wav`);
      if (fs.existsSync(file)) { this.fail(client, reqId, 'exists', `recording ${path.basename(file)} already exists`); return; }
      this.native.record(chan!, id, file, a.data.stereo);
      this.track(client, reqId, id, { recordingId: id, path: file });
      return;
    }
    const a = v!.schema.safeParse(args);
    if (!a.success) { this.fail(client, reqId, 'validation_failed', describeZodError(a.error)); return; }
    const addon = loadAddon();
    this.native.submit({ op: addon.ops[v!.op], chan: chan ?? 0, id, ...v!.build(a.data) });
    this.track(client, reqId, id, verbName === 'timer' ? { timerId: id } : undefined);
  }

  // A command's result is known once the media thread has run it: failures
  // arrive as CommandFailed events carrying the command id.
  private track(client: Client, reqId: number, id: number, data?: Record<string, unknown>): void {
    const [submitted] = this.native.progress();
    this.pending.set(id, { client, reqId, seq: submitted, data });
    if (!this.pollTimer) this.pollTimer = setInterval(() => this.settle(), 5);
  }

  private settle(): void {
    // Read progress before draining: the media thread queues a command's
    // CommandFailed before it counts the command as run.
    const [, processed] = this.native.progress();
    const late = this.native.drain();
    if (late) this.handleEvents(late);
    for (const [id, p] of this.pending) {
      if (processed < p.seq) continue;
      this.pending.delete(id);
      if (p.failed) this.send(p.client, { type: 'result', id: p.reqId, ok: false, error: p.failed });
      else this.send(p.client, { type: 'result', id: p.reqId, ok: true, data: p.data });
    }
    if (!this.pending.size) { clearInterval(this.pollTimer); this.pollTimer = undefined; }
  }

  private onBatch(batch: string): void {
    this.handleEvents(batch);
    if (this.pending.size) this.settle();
  }

  private handleEvents(batch: string): void {
    let events: Omit<EngineEvent, 'seq'>[];
    try {
      events = JSON.parse(batch);
    } catch {
      this.log('engine produced a batch that is not JSON', { batch: batch.slice(0, 200) });
      return;
    }
    for (const ev of events) {
      if (ev.event === 'CommandFailed' && typeof ev.id === 'number') {
        const p = this.pending.get(ev.id);
        if (p) p.failed = { code: String(ev.code), message: String(ev.message) };
      }
      if (ev.event === 'SpanAlarmChanged') this.spanAlarms.set(Number(ev.span), Number(ev.alarms));
      if (ev.event === 'SpanReconfigured' && typeof ev.id === 'number') {
        const p = this.pending.get(ev.id);
        if (p) p.data = { ...p.data, signalling: ev.signalling, callsEnded: ev.callsEnded };
      }
      const data = { ...ev, seq: ++this.seq } as EngineEvent;
      for (const c of this.clients) if (c.hello) this.send(c, { type: 'event', data });
      if (ev.event === 'SpanReconfigured') {
        // A span's channel kinds changed: every client gets the new channel
        // list as a fresh state dump (before the respan command's result).
        this.channels = this.native.channels();
        const st = this.stateMessage();
        for (const c of this.clients) if (c.hello) this.send(c, st);
      }
    }
  }
}
