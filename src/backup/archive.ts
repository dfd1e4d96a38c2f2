// A backup file is a plain POSIX tar (ustar), so `tar tvf` on any computer can
// look inside one: `manifest.json` first, then `hotline.db` and
// `prompts/custom/<name>.wav`. The manifest lists every other member with its
// size and SHA-256; a member it does not list, or one whose hash differs,
// makes the whole file unusable. Only regular files, names under 100 bytes.
import crypto from 'node:crypto';
import fs from 'node:fs';

export const BACKUP_FORMAT = 'hotline-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface ManifestFile { path: string; size: number; sha256: string }
export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  schemaVersion: number;       // the newest migration applied to hotline.db
  files: ManifestFile[];
}

export class ArchiveError extends Error {
  constructor(readonly code: 'not_tar' | 'no_manifest' | 'bad_manifest' | 'hash_mismatch' | 'unexpected_member' | 'missing_member', message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const BLOCK = 512;
const CHUNK = 1 << 20;

export function sha256File(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let n; (n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0;) h.update(buf.subarray(0, n));
  } finally { fs.closeSync(fd); }
  return h.digest('hex');
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) >= 100) throw new Error(`tar member name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write(Math.floor(mtime.getTime() / 1000).toString(8).padStart(11, '0') + '\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

// Writes `members` (archive name → file on disk) after a manifest computed
// from them into `out`.
export function writeArchive(out: string, members: { name: string; file: string }[], meta: { createdAt: string; schemaVersion: number }): Manifest {
  const manifest: Manifest = {
    format: BACKUP_FORMAT, version: BACKUP_FORMAT_VERSION, createdAt: meta.createdAt, schemaVersion: meta.schemaVersion,
    files: members.map((m) => ({ path: m.name, size: fs.statSync(m.file).size, sha256: sha256File(m.file) })),
  };
  const now = new Date(meta.createdAt);
  const fd = fs.openSync(out, 'w', 0o600);
  try {
    const put = (name: string, size: number, write: () => void) => {
      fs.writeSync(fd, header(name, size, now));
      write();
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) fs.writeSync(fd, Buffer.alloc(pad));
    };
    const mbytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    put('manifest.json', mbytes.length, () => fs.writeSync(fd, mbytes));
    for (const [i, m] of members.entries()) {
      const size = manifest.files[i]!.size;
      put(m.name, size, () => {
        const src = fs.openSync(m.file, 'r');
        try {
          const buf = Buffer.alloc(CHUNK);
          let left = size;
          while (left > 0) {
            const n = fs.readSync(src, buf, 0, Math.min(CHUNK, left), null);
            if (n <= 0) throw new Error(`${m.file} shrank while being archived`);
            fs.writeSync(fd, buf, 0, n);
            left -= n;
          }
        } finally { fs.closeSync(src); }
      });
    }
    fs.writeSync(fd, Buffer.alloc(BLOCK * 2));
    fs.fsyncSync(fd);
  } finally { fs.closeSync(fd); }
  return manifest;
}

interface Member { name: string; offset: number; size: number }

function members(file: string): Member[] {
  const out: Member[] = [];
  const total = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  try {
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    while (pos + BLOCK <= total) {
      fs.readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) return out;
      if (h.toString('latin1', 257, 262) !== 'ustar') throw new ArchiveError('not_tar', 'not a Hotline backup: the file is not a tar archive');
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (parseInt(h.toString('latin1', 148, 156), 8) !== sum) throw new ArchiveError('not_tar', 'not a Hotline backup: a tar header checksum is wrong (the file is damaged)');
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(h.toString('latin1', 124, 136), 8);
      const type = h.toString('latin1', 156, 157);
      if (!Number.isSafeInteger(size) || size < 0 || pos + BLOCK + size > total) throw new ArchiveError('not_tar', `the backup is truncated (member ${name})`);
      if (type !== '0' && type !== '\0') throw new ArchiveError('unexpected_member', `the backup holds ${name}, which is not a regular file`);
      out.push({ name, offset: pos + BLOCK, size });
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    throw new ArchiveError('not_tar', 'the backup is truncated (no end-of-archive marker)');
  } finally { fs.closeSync(fd); }
}

// Reads and checks an archive: its manifest, every member listed once with the
// size and SHA-256 the manifest gives, nothing unlisted. `accept` says which
// member names may be extracted; `extract(name)` gives where each goes.
export function readArchive(file: string, accept: (name: string) => boolean, extract: (name: string) => string): Manifest {
  const list = members(file);
  const m0 = list[0];
  if (!m0 || m0.name !== 'manifest.json') throw new ArchiveError('no_manifest', 'not a Hotline backup: manifest.json is not its first member');
  if (m0.size > 1 << 20) throw new ArchiveError('bad_manifest', 'manifest.json is implausibly large');
  const fd = fs.openSync(file, 'r');
  try {
    const mbuf = Buffer.alloc(m0.size);
    fs.readSync(fd, mbuf, 0, m0.size, m0.offset);
    let manifest: Manifest;
    try { manifest = JSON.parse(mbuf.toString('utf8')) as Manifest; } catch { throw new ArchiveError('bad_manifest', 'manifest.json is not JSON'); }
    if (manifest?.format !== BACKUP_FORMAT) throw new ArchiveError('bad_manifest', `not a Hotline backup: the manifest's format is ${JSON.stringify(manifest?.format)}`);
    if (manifest.version !== BACKUP_FORMAT_VERSION) throw new ArchiveError('bad_manifest', `backup format version ${String(manifest.version)}: this build reads version ${BACKUP_FORMAT_VERSION}`);
    if (!Array.isArray(manifest.files) || typeof manifest.schemaVersion !== 'number') throw new ArchiveError('bad_manifest', 'the manifest has no file list or schema version');
    const want = new Map(manifest.files.map((f) => [f.path, f]));
    if (want.size !== manifest.files.length) throw new ArchiveError('bad_manifest', 'the manifest lists a file twice');
    const seen = new Set<string>();
    for (const m of list.slice(1)) {
      const f = want.get(m.name);
      if (!f || seen.has(m.name)) throw new ArchiveError('unexpected_member', `the backup holds ${JSON.stringify(m.name)}, which its manifest does not list`);
      if (!accept(m.name)) throw new ArchiveError('unexpected_member', `the backup holds ${JSON.stringify(m.name)}, which a Hotline backup never contains`);
      seen.add(m.name);
      if (f.size !== m.size) throw new ArchiveError('hash_mismatch', `${m.name}: ${m.size} bytes, the manifest says ${f.size}`);
      const h = crypto.createHash('sha256');
      const dest = extract(m.name);
      const out = fs.openSync(dest, 'w', 0o600);
      try {
        const buf = Buffer.alloc(CHUNK);
        let left = m.size, pos = m.offset;
        while (left > 0) {
          const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, left), pos);
          h.update(buf.subarray(0, n));
          fs.writeSync(out, buf, 0, n);
          left -= n; pos += n;
        }
        fs.fsyncSync(out);
      } finally { fs.closeSync(out); }
      if (h.digest('hex') !== f.sha256) throw new ArchiveError('hash_mismatch', `${m.name}: its SHA-256 differs from the manifest's (the file is damaged or was altered)`);
    }
    for (const f of manifest.files) if (!seen.has(f.path)) throw new ArchiveError('missing_member', `the manifest lists ${f.path}, which the backup does not hold`);
    return manifest;
  } finally { fs.closeSync(fd); }
}
