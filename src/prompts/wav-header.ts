// Reads a WAV file's format and data length from its chunk headers, without
// loading the samples: enough to check that an imported prompt is what the
// engine plays (8 kHz mono PCM16) and how long it is.
import fs from 'node:fs';

export interface WavHeader {
  /** 1 = PCM (WAVE_FORMAT_EXTENSIBLE is reported by its sub-format). */
  format: number;
  channels: number;
  rate: number;
  bits: number;
  /** Bytes of sample data present in the file (not what the header claims). */
  dataBytes: number;
  /** True when the data chunk claims more bytes than the file holds. */
  truncated: boolean;
}

/** Throws an Error saying what is wrong when the file is not a readable WAV. */
export function readWavHeader(path: string): WavHeader {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(12);
    if (size < 12 || fs.readSync(fd, head, 0, 12, 0) < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE')
      throw new Error('not a WAV file (no RIFF/WAVE header)');
    let fmt: Omit<WavHeader, 'dataBytes' | 'truncated'> | undefined;
    const chunk = Buffer.alloc(40);
    for (let pos = 12; pos + 8 <= size; ) {
      fs.readSync(fd, chunk, 0, 8, pos);
      const id = chunk.toString('ascii', 0, 4);
      const len = chunk.readUInt32LE(4);
      if (id === 'fmt ') {
        if (len < 16) throw new Error('WAV fmt chunk too short');
        fs.readSync(fd, chunk, 0, Math.min(len, 40), pos + 8);
        let format = chunk.readUInt16LE(0);
        if (format === 0xfffe && len >= 26) format = chunk.readUInt16LE(24);
        fmt = { format, channels: chunk.readUInt16LE(2), rate: chunk.readUInt32LE(4), bits: chunk.readUInt16LE(14) };
      } else if (id === 'data') {
        if (!fmt) throw new Error('WAV data before its fmt chunk');
        const present = Math.min(len, size - pos - 8);
        return { ...fmt, dataBytes: present, truncated: present < len };
      }
      pos += 8 + len + (len & 1);
    }
    throw new Error(fmt ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
  } finally {
    fs.closeSync(fd);
  }
}
