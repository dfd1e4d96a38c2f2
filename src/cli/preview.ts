// `hotline preview --caller N [--trunk ID] [--did N] [--at ISO] [--data-dir DIR]`:
// what the box would do with a call at a given time (screening, route, time
// condition, destination), from its stored configuration. For installers
// checking office hours and holiday plans before a real call comes.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../store/store.js';
import { ConfigService } from '../config/config-service.js';
import { promptExists } from '../prompts/library.js';
import { projectRoot } from '../native/addon.js';
import { previewCall } from '../routing/preview-call.js';

export function previewCommand(argv: string[]): number {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { caller: { type: 'string', default: '' }, trunk: { type: 'string' }, did: { type: 'string', default: '' }, at: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) { process.stderr.write(`--at: "${values.at}" is not a date-time (e.g. 2026-10-01T10:00:00+08:00)\n`); return 2; }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const store = Store.open(path.join(dataDir, 'hotline.db'));
  try {
    const dirs = { projectRoot: projectRoot(), dataDir };
    const config = new ConfigService(store, { promptExists: (r, l) => promptExists(r, l, dirs) });
    console.log(previewCall(config, { caller: values.caller ?? '', trunk: values.trunk, did: values.did ?? '', at }).text);
    return 0;
  } finally {
    store.close();
  }
}
