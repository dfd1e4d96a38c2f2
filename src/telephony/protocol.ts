// The engine protocol, version 1: length-framed JSON over a local socket.
// A frame is a 4-byte big-endian length followed by that many bytes of UTF-8
// JSON. This module and engine-client.ts are the only code that knows it; the
// engine process (src/engine/server.ts) uses the same framing and types.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const MAX_FRAME = 1 << 20;

export interface ChannelInfo {
  chan: number;
  span: number;
  chanpos: number;
  kind: 'fxo' | 'fxs' | 'e1' | 'e1-r2' | 'dchan' | 'none';
  law: 'alaw' | 'ulaw';
  name: string;
}

export interface ChannelState {
  chan: number;
  state: string;
  offhook: boolean;
  bridgedTo: number;
  conference: number;
  tapTarget: number;
  tapMode: number;
  playing: number;
  recording: number;
  tone: string | null;
  rings: number;
  alarms: number;
  callerNumber: string | null;
  sigState?: string;       // R2 timeslots: the R2 state machine's state; SS7: the circuit's or the link's
  // E1 channels: their span's line error counters (BPV, CRC-4, E-bit, FAS).
  spanErrors?: { bpv: number; crc4: number; ebit: number; fas: number };
  // An SS7 D-channel's link counters since the engine started.
  link?: { msuIn: number; msuOut: number; badFrames: number; retransmissions: number; failures: number; isupErrors: number };
}

export interface EngineEvent {
  event: string;
  seq: number;
  time: number;
  chan?: number;
  [field: string]: unknown;
}

export type ServerMessage =
  | { type: 'welcome'; protocol: number; engine: { driver: string; zone: string; speed: number; pid: number } }
  | { type: 'state'; seq: number; time: number; channels: ChannelInfo[]; states: ChannelState[]; spans: { span: number; alarms: number }[] }
  | { type: 'result'; id: number; ok: true; data?: Record<string, unknown> }
  | { type: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'event'; data: EngineEvent }
  | { type: 'error'; error: { code: string; message: string } };

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.number().int(), client: z.string().max(64).optional() }),
  z.object({
    type: z.literal('cmd'),
    id: z.number().int().nonnegative(),
    verb: z.string().max(40),
    chan: z.number().int().optional(),
    args: z.record(z.unknown()).optional(),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export function encodeFrame(msg: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(msg), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export class FrameError extends Error {
  constructor(message: string, readonly fatal: boolean) {
    super(message);
  }
}

// Splits a byte stream into frames. A frame longer than MAX_FRAME means the
// stream cannot be trusted any more (fatal); bad JSON inside a well-formed
// frame is reported and skipped.
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onFrame: (value: unknown) => void, onError: (e: FrameError) => void): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME) {
        this.buf = Buffer.alloc(0);
        onError(new FrameError(`frame of ${len} bytes exceeds ${MAX_FRAME}`, true));
        return;
      }
      if (this.buf.length < 4 + len) return;
      const body = this.buf.subarray(4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        onError(new FrameError('frame is not valid JSON', false));
        continue;
      }
      onFrame(value);
    }
  }
}
