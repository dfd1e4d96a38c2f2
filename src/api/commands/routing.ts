// Routing questions: what the box would do with a call at a given time (the
// logic of `hotline preview`), for the panel's time-condition page.
import { z } from 'zod';
import { command, SUPERVISORS, type CommandRegistry } from '../registry.js';
import { previewCall } from '../../routing/preview-call.js';

export function routingCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'routing/preview/run', summary: 'What the box would do with a call from caller at time at: screening, inbound route, time conditions, destination', access: SUPERVISORS, kind: 'read',
    input: z.object({
      caller: z.string().max(40).regex(/^[0-9+*#]*$/, 'a caller number is digits (empty for withheld)').default(''),
      trunk: z.string().min(1).max(40).optional(),
      did: z.string().max(40).regex(/^[0-9+*#]*$/, 'a DID is digits').optional(),
      at: z.string().datetime({ offset: true, message: 'a date-time with its offset, e.g. 2026-10-01T10:00:00+08:00' }),
    }).strict(),
    handler: (i, ctx) => previewCall(ctx.deps.config, { caller: i.caller, trunk: i.trunk, did: i.did, at: new Date(i.at) }),
  }));
}
