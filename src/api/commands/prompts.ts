// The prompt library over the API: builtin and custom prompts listed (each
// with the URL that plays it), and a recording uploaded as base64 WAV or MP3,
// converted by sox like `hotline prompt import`. A file that cannot be
// decoded is refused by the field that carried it (`body`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { command, ADMINS, SUPERVISORS, type CommandRegistry } from '../registry.js';
import { ApiError, conflict, validationFailed } from '../errors.js';
import { importPrompt, listPrompts, PromptError, PROMPT_NAME, type PromptDirs } from '../../prompts/library.js';
import { IVR_LANGUAGES } from '../../ivr/definition.js';
import { projectRoot } from '../../native/addon.js';
import type { ApiDeps } from '../context.js';

// An MP3 of several minutes or a WAV of about one minute at CD quality, as base64.
export const PROMPT_UPLOAD_BYTES = 24 << 20;

export const promptDirs = (deps: ApiDeps): PromptDirs => ({ projectRoot: projectRoot(), dataDir: deps.dataDir });
export const promptUrl = (lang: string, kind: string, name: string) => `/api/prompts/${lang}/${kind}/${name}.wav`;

const lang = z.enum(IVR_LANGUAGES);

export function promptCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'prompts/prompt/list', summary: 'Builtin prompts of a language, then custom prompts, each with its ref and playback URL', access: SUPERVISORS, kind: 'read',
    input: z.object({ lang: lang.optional() }).strict(),
    handler(i, ctx) {
      const l = i.lang ?? ctx.deps.config.settings.language;
      return listPrompts(l, promptDirs(ctx.deps)).map((p) => ({ ref: p.ref, kind: p.kind, name: p.name, url: promptUrl(l, p.kind, p.name) }));
    },
  }));

  r.add(command({
    name: 'prompts/prompt/upload', summary: 'Add a custom prompt from a WAV or MP3 file (base64 in body), converted to 8 kHz mono', access: ADMINS, kind: 'write',
    input: z.object({
      name: z.string().regex(PROMPT_NAME, 'a prompt name is 1-64 characters a-z, 0-9, _ or -'),
      body: z.string().min(1, 'the file is empty').regex(/^[A-Za-z0-9+/=\s]*$/, 'must be base64'),
      replace: z.boolean().default(false),
    }).strict(),
    maxBodyBytes: PROMPT_UPLOAD_BYTES,
    target: (i) => `prompt custom:${i.name}`,
    async handler(i, ctx) {
      ctx.audit.summary = `custom prompt ${i.name} uploaded${i.replace ? ' (replacing)' : ''}`;
      const bytes = Buffer.from(i.body, 'base64');
      if (bytes.length === 0) throw validationFailed([{ path: 'body', message: 'the file is empty' }]);
      const tmp = path.join(os.tmpdir(), `hotline-upload-${randomBytes(6).toString('hex')}`);
      fs.writeFileSync(tmp, bytes, { mode: 0o600 });
      try {
        const p = await importPrompt(tmp, i.name, promptDirs(ctx.deps), { replace: i.replace });
        const l = ctx.deps.config.settings.language;
        return { ref: p.ref, kind: p.kind, name: p.name, durationMs: p.durationMs, url: promptUrl(l, p.kind, p.name) };
      } catch (e) {
        if (!(e instanceof PromptError)) throw e;
        if (e.code === 'exists') throw conflict(`name: ${e.message} (send replace: true to overwrite it)`);
        if (e.code === 'invalid_ref') throw validationFailed([{ path: 'name', message: e.message }]);
        // The temp file's name means nothing to the uploader.
        const message = e.message.replaceAll(path.basename(tmp), 'the file');
        if (e.code === 'converter') throw new ApiError('internal', `the box cannot convert audio: ${message}`);
        throw validationFailed([{ path: 'body', message }]);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    },
  }));
}
