// Webhook subscriptions (admins): the secret is shown only when created.
import { z } from 'zod';
import { command, ADMINS, type CommandRegistry } from '../registry.js';
import { notFound } from '../errors.js';
import { EVENT_NAMES } from '../../webhooks/webhooks.js';

const url = z.string().max(500).url('a URL such as https://crm.example.com/hooks/hotline').refine((u) => /^https?:\/\//i.test(u), 'only http and https URLs');

export function webhookCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'webhooks/webhook/list', summary: 'Webhooks (without their secrets)', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ctx.deps.webhooks.list(),
  }));

  r.add(command({
    name: 'webhooks/webhook/create', summary: `Subscribe a URL to events (${EVENT_NAMES.join(', ')} or *); returns the signing secret once`, access: ADMINS, kind: 'write',
    input: z.object({ url, events: z.array(z.enum(['*', ...EVENT_NAMES] as [string, ...string[]])).min(1, 'name at least one event').max(10), description: z.string().max(200).default('') }).strict(),
    target: (i) => `webhook ${i.url}`,
    handler: (i, ctx) => ctx.deps.webhooks.create({ ...i, createdBy: ctx.actor!.name }),
  }));

  r.add(command({
    name: 'webhooks/webhook/delete', summary: 'Delete a webhook and its pending deliveries', access: ADMINS, kind: 'write',
    input: z.object({ id: z.number().int().positive() }).strict(),
    target: (i) => `webhook ${i.id}`,
    handler(i, ctx) {
      if (!ctx.deps.webhooks.remove(i.id)) throw notFound(`webhook ${i.id}`);
      return {};
    },
  }));

  r.add(command({
    name: 'webhooks/delivery/list', summary: 'Recent deliveries with their status, attempts and last error', access: ADMINS, kind: 'read',
    input: z.object({ webhookId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    handler: (i, ctx) => ctx.deps.webhooks.deliveries(i),
  }));
}
