// Every command the API serves, in one registry.
import { CommandRegistry } from '../registry.js';
import { authCommands } from './auth.js';
import { userCommands } from './users.js';
import { configCommands } from './config.js';
import { callCommands } from './calls.js';
import { crmCommands } from './crm.js';
import { webhookCommands } from './webhooks.js';
import { acdCommands } from './acd.js';
import { routingCommands } from './routing.js';
import { promptCommands } from './prompts.js';
import { systemCommands } from './system.js';
import { e1Commands } from './e1.js';

export function buildRegistry(): CommandRegistry {
  const r = new CommandRegistry();
  authCommands(r);
  userCommands(r);
  configCommands(r);
  callCommands(r);
  crmCommands(r);
  webhookCommands(r);
  acdCommands(r);
  routingCommands(r);
  promptCommands(r);
  systemCommands(r);
  e1Commands(r);
  return r;
}
