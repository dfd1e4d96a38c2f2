// What the API serves from: the supervisor's store, configuration and engine
// client, and the accounts. The engine is optional so the API can be tested
// (and the console can run) without a live engine.
import type { Store } from '../store/store.js';
import type { ConfigService } from '../config/config-service.js';
import type { EngineClient } from '../telephony/engine-client.js';
import type { Accounts } from '../auth/accounts.js';
import type { Role } from '../auth/users-repo.js';
import type { Customers } from '../crm/customers.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { Acd } from '../acd/acd.js';
import type { AcdStatus } from '../acd/live-stats.js';
import type { Backups } from '../backup/backups.js';
import type { Jobs } from './jobs.js';

export const SESSION_COOKIE = 'hotline_session';

export interface ApiDeps {
  store: Store;
  config: ConfigService;
  engine?: EngineClient;
  accounts: Accounts;
  customers: Customers;
  webhooks: Webhooks;
  dataDir: string;
  backups: Backups;
  // Long work (CSV import/export) and its progress.
  jobs: Jobs;
  // The ACD of a running supervisor; absent when the API runs without one.
  acd?: { acd: Acd; status(): AcdStatus; dbPath: string; onChange(fn: () => void): () => void };
}

// Who is asking: a signed-in user or an integration token.
export interface Actor {
  kind: 'user' | 'token';
  id: number;
  name: string;            // user name, or token:<name>
  role: Role;
}
