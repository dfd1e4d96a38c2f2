// Recording a custom prompt from a phone (*77 NN #): the handset's audio is
// recorded by the engine, then converted into the custom prompt library the
// same way an uploaded file is.
import fs from 'node:fs';
import type { CallContext } from './context.js';
import { Hangup, type Leg } from './leg.js';
import type { Extension } from '../config/schemas.js';
import { importPrompt } from '../prompts/library.js';
import { projectRoot } from '../native/addon.js';
import { recordingClosed } from './recording.js';

export async function importRecordedPrompt(ctx: CallContext, leg: Leg, ext: Extension, name: string): Promise<void> {
  const lang = ext.language ?? ctx.config.settings.language;
  await leg.play([ctx.prompt('tone:beep')]);
  const rec = await ctx.engine.record(leg.chan, { name: `prompt-${name}-${Date.now()}`, stereo: false });
  const closed = recordingClosed(ctx, rec.path);
  const start = ctx.engineMs();
  try {
    await leg.wait((e) => e.event === 'DtmfReceived' && e.digit === '#', 5 * 60 * 1000);
    await ctx.engine.recordStop(leg.chan);
  } catch (e) {
    if (!(e instanceof Hangup)) throw e;
  }
  const ms = ctx.engineMs() - start;
  await closed;
  let saved: string;
  try {
    if (ms < 500) throw new Error('nothing was recorded');
    const p = await importPrompt(rec.path, name, { projectRoot: projectRoot(), dataDir: ctx.dataDir }, { replace: true });
    ctx.store.journal.append('system', 'PromptRecorded', { data: { ext: ext.ext, prompt: p.ref, durationMs: p.durationMs }, at: ctx.now() });
    saved = p.path;
  } catch (e) {
    ctx.store.journal.append('system', 'PromptRecordFailed', { data: { ext: ext.ext, prompt: name, error: (e as Error).message }, at: ctx.now() });
    if (!leg.hungUp) await leg.play([ctx.prompt('invalid', lang)]).catch(() => {});
    return;
  } finally {
    fs.rm(rec.path, { force: true }, () => {});
  }
  // The prompt is saved: hanging up during the playback does not undo that.
  if (!leg.hungUp) await leg.play([saved, ctx.prompt('vm_saved', lang)]).catch(() => {});
}

