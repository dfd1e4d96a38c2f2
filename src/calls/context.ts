// What every call task can reach: the engine, engine-time timers, storage,
// configuration, prompts and the supervisor's clock.
import type { EngineClient } from '../telephony/engine-client.js';
import type { Store } from '../store/store.js';
import type { ConfigService } from '../config/config-service.js';
import type { EngineTimers } from './timers.js';
import type { PortTable } from './ports.js';
import type { Logger } from '../log.js';
import type { Leg } from './leg.js';
import type { Parking } from './parking.js';
import type { CallWaiting } from './call-waiting.js';
import type { Acd } from '../acd/acd.js';

export interface CallContext {
  engine: EngineClient;
  timers: EngineTimers;
  store: Store;
  config: ConfigService;
  ports: PortTable;
  dataDir: string;
  // Wall time as the box sees it (time conditions, CDR timestamps).
  now(): Date;
  // Engine time of the latest event: durations and timers use it.
  engineMs(): number;
  prompt(name: string, lang?: 'zh' | 'en'): string;
  log: Logger;
  // Set when the supervisor stops: flows still unwinding change nothing.
  stopping?: boolean;
  // Phones ringing now, by port: pickup (group or directed) answers for them.
  ringing: Map<number, { ext: string; group: string | undefined; pickup(leg: Leg): void }>;
  parking: Parking;
  waitingCalls: CallWaiting;
  // The last outside caller each extension talked to (for "block last caller").
  lastCaller: Map<string, string>;
  acd: Acd;
}
