// GET /api/recordings/<id>.wav: a call recording for the panel's <audio>
// player. Supervisors and admins may fetch any recording, agents only those of
// calls they took (the CDR's agent is the agent whose `user` is theirs).
// The id is the recordings table's id: the one a CDR's `recordings` lists.
// Range requests are answered with 206 so the player can seek. The file must
// lie inside <dataDir>/recordings: the stored path is never trusted further.
import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import type { ApiDeps, Actor } from './context.js';
import { ApiError, notFound, permissionRequired } from './errors.js';
import { callScope, inScope } from './agent-scope.js';

export const RECORDING_PATH = /^\/api\/recordings\/([1-9][0-9]{0,11})\.wav$/;

interface Row { id: number; journey: string; path: string; deleted_at: string | null }


export async function serveRecording(ctx: Koa.Context, deps: ApiDeps, actor: Actor, id: number): Promise<void> {
  const row = deps.store.stmt('SELECT id, journey, path, deleted_at FROM recordings WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw notFound(`recording ${id}`);
  if (!inScope(callScope(deps, actor), deps.store.cdr.get(row.journey))) throw permissionRequired(`recording ${id} is of a call ${actor.name} did not take`);
  if (row.deleted_at) throw notFound(`recording ${id} (deleted by the retention rule)`);
  const root = fs.realpathSync(path.join(deps.dataDir, 'recordings'), { encoding: 'utf8' });
  let file: string;
  try { file = fs.realpathSync(path.resolve(root, row.path)); } catch { throw notFound(`recording ${id}: the file is missing`); }
  if (!file.startsWith(root + path.sep)) throw notFound(`recording ${id}: not in the recordings folder`);
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) throw notFound(`recording ${id}`);

  const size = stat.size;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.set('Content-Disposition', `inline; filename="recording-${id}.wav"`);
  ctx.type = 'audio/wav';
  const range = ctx.get('range');
  const r = range ? parseRange(range, size) : { start: 0, end: size - 1 };
  if (!r) {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = { ok: false, error: new ApiError('validation_failed', `Range ${range}: not satisfiable for ${size} bytes`, [{ path: 'range', message: 'one byte range inside the file' }]).toJSON() };
    return;
  }
  ctx.status = range ? 206 : 200;
  if (range) ctx.set('Content-Range', `bytes ${r.start}-${r.end}/${size}`);
  ctx.length = r.end - r.start + 1;
  // HEAD: headers only (Koa sends no body), and no file opened.
  if (ctx.method !== 'HEAD' && size > 0) ctx.body = fs.createReadStream(file, { start: r.start, end: r.end });
}

// One range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); several ranges are not
// needed by players and are answered as the first.
export function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=\s*(\d*)-(\d*)\s*(?:,.*)?$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number, end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return undefined;
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return undefined;
  return { start, end };
}
