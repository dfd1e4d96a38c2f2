// `hotline config validate|import|export FILE`: the whole configuration as one
// JSON bundle ({kind: {id: document}}). validate checks a file without
// touching the box; import replaces the configuration only if all of it is
// valid; export writes the current one.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../store/store.js';
import { openDatabase } from '../store/db.js';
import { ConfigService, ConfigError } from '../config/config-service.js';
import { promptExists } from '../prompts/library.js';
import { projectRoot } from '../native/addon.js';

export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  const [verb, file] = positionals;
  if (!verb || !file || !['validate', 'import', 'export'].includes(verb)) {
    process.stderr.write('usage: hotline config validate|import|export FILE [--data-dir DIR]\n');
    return 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const dirs = { projectRoot: projectRoot(), dataDir };
  const env = { promptExists: (ref: string, lang: 'zh' | 'en') => promptExists(ref, lang, dirs) };
  // validate works on a scratch database so nothing on the box changes.
  const store = verb === 'validate' ? new Store(openDatabase(':memory:')) : Store.open(path.join(dataDir, 'hotline.db'));
  try {
    const config = new ConfigService(store, env);
    if (verb === 'export') {
      fs.writeFileSync(file, `${JSON.stringify(config.exportBundle(), null, 2)}\n`);
      console.log(`${file}: configuration exported`);
      return 0;
    }
    let bundle: unknown;
    try {
      bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      process.stderr.write(`${file}: ${(e as Error).message}\n`);
      return 2;
    }
    config.importBundle(bundle);
    console.log(verb === 'validate' ? `${file}: valid` : `${file}: configuration imported`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const err of e.errors) process.stderr.write(`${file}: ${err.path}: ${err.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    store.close();
  }
}
