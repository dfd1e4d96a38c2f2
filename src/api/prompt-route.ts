// GET /api/prompts/<lang>/[builtin/|custom/]<name>.wav: a prompt for the
// panel's play buttons (supervisors and admins). Without a kind, the builtin
// prompt of that name, else the custom one. Names are a-z, 0-9, _ and -
// only, and the resolved file must lie inside the prompts folders (checked
// after symlinks are followed), so nothing else on the box can be read.
import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import type { ApiDeps, Actor } from './context.js';
import { notFound, permissionRequired } from './errors.js';
import { builtinDir, customDir } from '../prompts/library.js';
import type { IvrLanguage } from '../ivr/definition.js';
import { promptDirs } from './commands/prompts.js';
import { parseRange } from './recording-route.js';

export const PROMPT_PATH = /^\/api\/prompts\/(zh|en)\/(?:(builtin|custom)\/)?([a-z0-9_-]{1,64})\.wav$/;

function inside(dir: string, name: string): string | undefined {
  let root: string, file: string;
  try {
    root = fs.realpathSync(dir);
    file = fs.realpathSync(path.join(root, `${name}.wav`));
  } catch { return undefined; }
  return file.startsWith(root + path.sep) && fs.statSync(file).isFile() ? file : undefined;
}

export async function servePrompt(ctx: Koa.Context, deps: ApiDeps, actor: Actor, m: RegExpExecArray): Promise<void> {
  if (actor.role !== 'admin' && actor.role !== 'supervisor') throw permissionRequired(`prompts are played by supervisors and admins; ${actor.name} is ${actor.role}`);
  const [, lang, kind, name] = m as unknown as [string, IvrLanguage, 'builtin' | 'custom' | undefined, string];
  const dirs = promptDirs(deps);
  const file = (kind !== 'custom' ? inside(builtinDir(lang, dirs), name) : undefined) ?? (kind !== 'builtin' ? inside(customDir(dirs), name) : undefined);
  if (!file) throw notFound(`prompt ${kind ? `${kind}:` : ''}${name} (${lang})`);
  const size = (await fs.promises.stat(file)).size;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.type = 'audio/wav';
  const range = ctx.get('range');
  const r = range ? parseRange(range, size) : { start: 0, end: size - 1 };
  if (!r) { ctx.status = 416; ctx.set('Content-Range', `bytes */${size}`); return; }
  ctx.status = range ? 206 : 200;
  if (range) ctx.set('Content-Range', `bytes ${r.start}-${r.end}/${size}`);
  ctx.length = r.end - r.start + 1;
  if (ctx.method !== 'HEAD' && size > 0) ctx.body = fs.createReadStream(file, { start: r.start, end: r.end });
}
