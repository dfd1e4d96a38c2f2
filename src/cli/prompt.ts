// `hotline prompt import FILE NAME [--replace]` and `hotline prompt list`: the
// custom prompt library (WAV or MP3 in, 8 kHz mono WAV stored) for IVR menus
// and announcements, referred to as "custom:NAME".
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importPrompt, listPrompts, PromptError } from '../prompts/library.js';
import { projectRoot } from '../native/addon.js';

export async function promptCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { replace: { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'zh' } } });
  const dirs = { projectRoot: projectRoot(), dataDir: path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data') };
  const [verb, file, name] = positionals;
  if (verb === 'list') {
    for (const p of listPrompts(values.lang === 'en' ? 'en' : 'zh', dirs)) console.log(`${p.ref}\t${p.path}`);
    return 0;
  }
  if (verb !== 'import' || !file || !name) {
    process.stderr.write('usage: hotline prompt import FILE NAME [--replace] | hotline prompt list [--lang zh|en]\n');
    return 2;
  }
  try {
    const p = await importPrompt(file, name, dirs, { replace: values.replace });
    console.log(`${p.ref}: ${(p.durationMs / 1000).toFixed(1)} s, stored at ${p.path}`);
    return 0;
  } catch (e) {
    if (e instanceof PromptError) { process.stderr.write(`${file}: ${e.message}\n`); return 1; }
    throw e;
  }
}
