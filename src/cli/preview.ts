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
import { previewInbound } from '../routing/inbound.js';
import { screenCaller } from '../screening/screening.js';

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
    const trunk = values.trunk ?? config.trunks()[0]?.id ?? '1';
    const hit = screenCaller(config.screening(), values.caller ?? '', { now: at });
    if (hit?.entry.list === 'block') {
      console.log(`call from ${values.caller || '(withheld)'} at ${at.toISOString()}\nblocked by ${hit.entry.id} (${hit.why}) => ${hit.entry.action}`);
      return 0;
    }
    if (hit?.entry.list === 'vip' && hit.entry.destination) {
      console.log(`call from ${values.caller} at ${at.toISOString()}\nVIP ${hit.entry.id} (${hit.why}) => ${JSON.stringify(hit.entry.destination)}, skipping the IVR`);
      return 0;
    }
    console.log(previewInbound(config.list('inboundRoute'), config.table('timeCondition'), { trunk, did: values.did ?? '', caller: values.caller ?? '' }, at).text);
    return 0;
  } finally {
    store.close();
  }
}
