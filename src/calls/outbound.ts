// The call layer's view of outbound routing: the routes and extensions from
// the configuration, the dial plan, and park slots that a phone can dial.
import type { CallContext } from './context.js';
import { planOutbound as plan, dialState, type DialState } from '../routing/outbound.js';
import type { ClassOfService } from '../routing/dial-plan.js';
import type { Extension } from '../config/schemas.js';

export type CallPlan = { ok: true; route: string; number: string; trunks: string[] } | { ok: false; reason: string; message: string };

export function planOutbound(ctx: CallContext, dialed: string, cos: ClassOfService): CallPlan {
  const extensions = ctx.config.extensions().map((e) => e.ext);
  const p = plan(ctx.config.list('outboundRoute'), dialed, cos, { extensions });
  if (!p.ok) return { ok: false, reason: p.reason, message: p.message };
  return { ok: true, route: p.route.id, number: p.number, trunks: p.trunks };
}

export function dialComplete(ctx: CallContext, dialed: string, _ext: Extension): DialState {
  const { first, count } = ctx.config.settings.park;
  const slots = Array.from({ length: count }, (_, i) => String(first + i));
  const queues = ctx.config.list('queue').flatMap((q) => (q.number ? [q.number] : []));
  return dialState(dialed, [...ctx.config.extensions().map((e) => e.ext), ...queues, ...slots], ctx.config.list('outboundRoute'));
}
