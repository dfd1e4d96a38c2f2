// "What happens to a call from X at time T": screening first (a blocked
// caller, a VIP with a destination), then the inbound route and its time
// conditions. Shared by `hotline preview` and the API's routing/preview/run.
import type { ConfigService } from '../config/config-service.js';
import { previewInbound } from './inbound.js';
import { describeDestination, type Destination } from './destination.js';
import type { TraceStep } from './resolve-target.js';
import { screenCaller } from '../screening/screening.js';

export interface PreviewInput { caller: string; trunk?: string; did?: string; at: Date }

export type CallPreview =
  | { outcome: 'blocked'; at: string; entry: string; why: string; action: string; text: string }
  | { outcome: 'vip'; at: string; entry: string; why: string; destination: unknown; text: string }
  | { outcome: 'unmatched'; at: string; trunk: string; text: string }
  | { outcome: 'routed'; at: string; trunk: string; route: string; destination: Destination; description: string; trace: TraceStep[]; problems: string[]; alsoMatching: string[]; text: string };

export function previewCall(config: ConfigService, input: PreviewInput): CallPreview {
  const { caller, at } = input;
  const when = at.toISOString();
  const trunk = input.trunk ?? config.trunks()[0]?.id ?? '1';
  const hit = screenCaller(config.screening(), caller, { now: at });
  if (hit?.entry.list === 'block') {
    return { outcome: 'blocked', at: when, entry: hit.entry.id, why: hit.why, action: hit.entry.action,
      text: `call from ${caller || '(withheld)'} at ${when}\nblocked by ${hit.entry.id} (${hit.why}) => ${hit.entry.action}` };
  }
  if (hit?.entry.list === 'vip' && hit.entry.destination) {
    return { outcome: 'vip', at: when, entry: hit.entry.id, why: hit.why, destination: hit.entry.destination,
      text: `call from ${caller} at ${when}\nVIP ${hit.entry.id} (${hit.why}) => ${JSON.stringify(hit.entry.destination)}, skipping the IVR` };
  }
  const p = previewInbound(config.list('inboundRoute'), config.table('timeCondition'), { trunk, did: input.did ?? '', caller }, at);
  if (!p.matched) return { outcome: 'unmatched', at: when, trunk, text: p.text };
  const d = p.resolution.destination;
  return {
    outcome: 'routed', at: when, trunk, route: p.route.id, destination: d, description: describeDestination(d),
    trace: p.resolution.trace, problems: p.resolution.problems, alsoMatching: p.alsoMatching, text: p.text,
  };
}
