// Reads a recording written by the engine (8 kHz PCM16 WAV, one or two
// channels) and measures its length and the level of given tones, so a
// scenario can prove a recording is playable and holds both parties.
import fs from 'node:fs';

export interface WavInfo { channels: number; rate: number; frames: number; samples: Int16Array[] }

export function readWav(path: string): WavInfo {
  const b = fs.readFileSync(path);
  if (b.length < 44 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let pos = 12;
  let channels = 0, rate = 0, bits = 0;
  let data: Buffer | undefined;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const body = b.subarray(pos + 8, Math.min(b.length, pos + 8 + size));
    if (id === 'fmt ') { channels = body.readUInt16LE(2); rate = body.readUInt32LE(4); bits = body.readUInt16LE(14); }
    if (id === 'data') data = body;
    pos += 8 + size + (size & 1);
  }
  if (!data || bits !== 16 || channels < 1) throw new Error(`${path}: expected PCM16 data`);
  const frames = Math.floor(data.length / (2 * channels));
  const samples = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels; c++) samples[c]![f] = data.readInt16LE((f * channels + c) * 2);
  return { channels, rate, frames, samples };
}

// Fraction of the signal's energy at freq (Goertzel over the whole signal, in 20 ms blocks).
export function toneShare(x: Int16Array, rate: number, freq: number): number {
  const n = Math.round(rate * 0.02);
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let tone = 0, total = 0;
  for (let start = 0; start + n <= x.length; start += n) {
    let s1 = 0, s2 = 0, e = 0;
    for (let i = 0; i < n; i++) {
      const v = x[start + i]!;
      const s0 = v + k * s1 - s2;
      s2 = s1; s1 = s0;
      e += v * v;
    }
    tone += ((s1 * s1 + s2 * s2 - k * s1 * s2) * 2) / n;
    total += e;
  }
  return total > 0 ? tone / total : 0;
}
