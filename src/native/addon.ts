// Loads the native addon built by node-gyp and describes its surface.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import type { ChannelInfo, ChannelState } from '../telephony/protocol.js';

export interface NativeEngineOptions {
  driver: 'sim' | 'dahdi';
  spans?: { kind: 'fxo' | 'fxs' | 'e1' | 'e1-r2'; channels: number; ss7?: { far: 'libss7' | 'own'; variant: 'itu' | 'china'; boxPc: number; farPc: number; ni: number; cicFirst: number; answerMs: number } }[];
  channels?: { channo: number; kind?: string }[];
  devroot?: string;
  zone?: string;
  law?: 'alaw' | 'ulaw';
  speed?: number;
}

export interface NativeStats {
  ticks: number; overruns: number; events: number; eventsDropped: number; notifies: number;
  deliveries: number; commands: number; workNsTotal: number; workNsMax: number; audioBuffersIntoJs: number;
}

export interface NativeEngine {
  start(): void;
  close(): void;
  submit(cmd: Record<string, unknown>): boolean;
  play(chan: number, id: number, files: string[], loop: boolean, queue: boolean): void;
  record(chan: number, id: number, path: string, stereo: boolean): void;
  snapshot(): ChannelState[];
  channels(): ChannelInfo[];
  time(): number;
  stats(): NativeStats;
  step(n?: number): void;
  drain(): string | null;
  progress(): [number, number];
  // Switches E1 span `span` to R2 or SS7 (SpanReconfigured or CommandFailed with id follows).
  // far: the sim board's SS7 far end for the span; other drivers ignore it.
  respan(span: number, signalling: 'r2' | 'ss7', id: number, far?: RespanFar): void;
}

export interface RespanFar { variant?: 'itu' | 'china'; boxPc?: number; farPc?: number; ni?: number; cicFirst?: number; answerMs?: number }

export interface Addon {
  Engine: new (opts: NativeEngineOptions, onEvents: (batch: string) => void) => NativeEngine;
  analyzeFile(path: string): string;
  repairWav(path: string): boolean;
  ops: Record<string, number>;
}

let cached: Addon | undefined;

export function projectRoot(): string {
  // dist/src/native/addon.js or src/native/addon.ts → the project root
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root');
    dir = up;
  }
  return dir;
}

export function loadAddon(): Addon {
  if (cached) return cached;
  const file = path.join(projectRoot(), 'build', 'Release', 'hotline.node');
  if (!fs.existsSync(file)) throw new Error(`native addon missing at ${file}: run "npm run build:native" (or scripts/setup)`);
  cached = createRequire(import.meta.url)(file) as Addon;
  return cached;
}
