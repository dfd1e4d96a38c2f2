// The typed client of the engine protocol: the supervisor's only way to talk
// to hotline-engine. It keeps the engine's state (from the dump sent on
// connect, then from events), reconnects after the engine or socket drops,
// and turns results into promises.
import net from 'node:net';
import { EventEmitter } from 'node:events';
import {
  PROTOCOL_VERSION, FrameDecoder, encodeFrame,
  type ServerMessage, type EngineEvent, type ChannelInfo, type ChannelState,
} from './protocol.js';

export class EngineError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineClientOptions {
  socketPath: string;
  name?: string;
  reconnect?: boolean;         // keep trying after the connection drops (default true)
  requestTimeoutMs?: number;   // default 10 s
}

type Waiter = { resolve: (d: Record<string, unknown>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export interface EngineInfo { driver: string; zone: string; speed: number; pid: number }

export class EngineClient extends EventEmitter {
  channels: ChannelInfo[] = [];
  states = new Map<number, ChannelState>();
  engine: EngineInfo | undefined;
  lastSeq = 0;
  lastTime = 0;
  private socket: net.Socket | undefined;
  private waiters = new Map<number, Waiter>();
  private nextId = 1;
  private closing = false;
  private ready: Promise<void> | undefined;

  constructor(private opts: EngineClientOptions) {
    super();
    // Every call in progress may wait on an event (a recording closing, a
    // far-end step): dozens of listeners at once are normal, not a leak.
    this.setMaxListeners(500);
  }

  // Resolves once the engine's state dump has arrived.
  connect(): Promise<void> {
    this.closing = false;
    this.ready = new Promise<void>((resolve, reject) => {
      const socket = net.connect(this.opts.socketPath);
      this.socket = socket;
      const dec = new FrameDecoder();
      let settled = false;
      socket.on('connect', () => socket.write(encodeFrame({ type: 'hello', protocol: PROTOCOL_VERSION, client: this.opts.name ?? 'supervisor' })));
      socket.on('data', (chunk) => dec.push(chunk, (v) => {
        const m = v as ServerMessage;
        this.onMessage(m);
        if (m.type === 'state' && !settled) { settled = true; resolve(); }
        if (m.type === 'error' && m.error.code === 'protocol_mismatch' && !settled) { settled = true; reject(new EngineError(m.error.code, m.error.message)); }
      }, (e) => this.emit('protocolError', e)));
      socket.on('error', (err) => { if (!settled) { settled = true; reject(err); } });
      socket.on('close', () => {
        for (const [, w] of this.waiters) { clearTimeout(w.timer); w.reject(new EngineError('disconnected', 'the engine connection closed')); }
        this.waiters.clear();
        if (settled) this.emit('disconnected');
        if (!this.closing && settled && this.opts.reconnect !== false) this.retry();
      });
    });
    return this.ready;
  }

  private retry(attempt = 0): void {
    const delay = Math.min(2000, 50 * 2 ** attempt);
    setTimeout(() => {
      if (this.closing) return;
      this.connect().then(() => this.emit('reconnected'), () => this.retry(attempt + 1));
    }, delay).unref();
  }

  close(): void {
    this.closing = true;
    this.socket?.destroy();
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        this.engine = m.engine;
        break;
      case 'state':
        this.channels = m.channels;
        this.states = new Map(m.states.map((s) => [s.chan, s]));
        this.lastSeq = m.seq;
        this.lastTime = m.time;
        this.emit('state', m);
        break;
      case 'result': {
        const w = this.waiters.get(m.id);
        if (!w) return;
        this.waiters.delete(m.id);
        clearTimeout(w.timer);
        if (m.ok) w.resolve(m.data ?? {});
        else w.reject(new EngineError(m.error.code, m.error.message));
        break;
      }
      case 'event':
        this.lastSeq = m.data.seq;
        this.lastTime = m.data.time;
        this.emit('event', m.data);
        break;
      case 'error':
        this.emit('protocolError', new EngineError(m.error.code, m.error.message));
        break;
    }
  }

  request(verb: string, chan?: number, args?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new EngineError('disconnected', 'not connected to the engine'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new EngineError('timeout', `engine did not answer "${verb}"`));
      }, this.opts.requestTimeoutMs ?? 10000);
      this.waiters.set(id, { resolve, reject, timer });
      socket.write(encodeFrame({ type: 'cmd', id, verb, chan, args }));
    });
  }

  // Resolves with the first event that matches, or rejects after timeoutMs of wall time.
  waitFor(match: (e: EngineEvent) => boolean, timeoutMs: number): Promise<EngineEvent> {
    return new Promise((resolve, reject) => {
      const on = (e: EngineEvent) => { if (match(e)) { cleanup(); resolve(e); } };
      const timer = setTimeout(() => { cleanup(); reject(new EngineError('timeout', 'no matching event')); }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); this.off('event', on); };
      this.on('event', on);
    });
  }

  // ---- typed verbs ----
  answer(chan: number) { return this.request('answer', chan); }
  hangup(chan: number) { return this.request('hangup', chan); }
  async play(chan: number, files: string[], opts: { loop?: boolean; queue?: boolean } = {}): Promise<number> {
    const r = await this.request('play', chan, { files, ...opts });
    return r.playbackId as number;
  }
  stopPlay(chan: number) { return this.request('stopPlay', chan); }
  tone(chan: number, tone: string) { return this.request('tone', chan, { tone }); }
  stopTone(chan: number) { return this.request('stopTone', chan); }
  async record(chan: number, opts: { name?: string; stereo?: boolean } = {}): Promise<{ recordingId: number; path: string }> {
    const r = await this.request('record', chan, opts);
    return { recordingId: r.recordingId as number, path: r.path as string };
  }
  recordPause(chan: number) { return this.request('recordPause', chan); }
  recordResume(chan: number) { return this.request('recordResume', chan); }
  recordStop(chan: number) { return this.request('recordStop', chan); }
  bridge(chan: number, peer: number) { return this.request('bridge', chan, { peer }); }
  unbridge(chan: number) { return this.request('unbridge', chan); }
  confJoin(chan: number, conference: number, muted = false) { return this.request('confJoin', chan, { conference, muted }); }
  confLeave(chan: number) { return this.request('confLeave', chan); }
  confMute(chan: number, muted: boolean) { return this.request('confMute', chan, { muted }); }
  tap(chan: number, target: number, mode: 'listen' | 'whisper' | 'barge') { return this.request('tap', chan, { target, mode }); }
  untap(chan: number) { return this.request('untap', chan); }
  gain(chan: number, rxDb: number, txDb: number) { return this.request('gain', chan, { rxDb, txDb }); }
  dial(chan: number, digits: string, opts: { mode?: 'dtmf' | 'pulse'; waitDialToneMs?: number; ani?: string; category?: number } = {}) { return this.request('dial', chan, { digits, ...opts }); }
  flash(chan: number) { return this.request('flash', chan); }
  ring(chan: number, opts: { number?: string; name?: string; callerId?: string; cadence?: [number, number] } = {}) { return this.request('ring', chan, opts); }
  stopRing(chan: number) { return this.request('stopRing', chan); }
  sendDtmf(chan: number, digits: string) { return this.request('sendDtmf', chan, { digits }); }
  setLine(chan: number, opts: { callerId?: string; disconnect?: string[]; echoTaps?: number }) { return this.request('setLine', chan, opts); }
  setMwi(chan: number, on: boolean) { return this.request('setMwi', chan, { on }); }
  async timer(ms: number): Promise<number> {
    const r = await this.request('timer', undefined, { ms: Math.max(0, Math.round(ms)) });
    return r.timerId as number;
  }
  cancelTimer(timerId: number) { return this.request('cancelTimer', undefined, { timerId }); }
  stats() { return this.request('stats'); }
  sim(verb: string, chan: number | undefined, args: Record<string, unknown> = {}) { return this.request(`sim.${verb}`, chan, args); }
}
