/**
 * Where a call goes: the one shape inbound routes, time conditions, IVR
 * options and queue fallbacks all point with. Objects are strict so that a
 * typo in a config key (`exten` for `ext`) is an error, not a silent hangup.
 *
 * `timecondition` sends the call through a time condition's own
 * `destinations` table (see time-conditions.ts); resolve-target.ts follows it.
 */
import { z } from 'zod';

export type Destination =
  | { type: 'extension'; ext: string }
  | { type: 'queue'; queue: string }
  | { type: 'ivr'; menu: string }
  | { type: 'voicemail'; box: string }
  | { type: 'timecondition'; id: string }
  | { type: 'external'; number: string }
  | { type: 'hangup' }
  | { type: 'busy' }
  | { type: 'congestion' }
  | { type: 'announcement'; prompt: string; then?: Destination }
  | { type: 'operator' };

export type DestinationType = Destination['type'];

const id = z.string().min(1, 'must not be empty').max(64);
const extNumber = z.string().regex(/^[0-9]{1,10}$/, 'an extension is 1 to 10 digits');
const externalNumber = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'a number is up to 32 digits, * or #, optionally after +');

export const destinationSchema: z.ZodType<Destination> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('extension'), ext: extNumber }).strict(),
    z.object({ type: z.literal('queue'), queue: id }).strict(),
    z.object({ type: z.literal('ivr'), menu: id }).strict(),
    z.object({ type: z.literal('voicemail'), box: id }).strict(),
    z.object({ type: z.literal('timecondition'), id }).strict(),
    z.object({ type: z.literal('external'), number: externalNumber }).strict(),
    z.object({ type: z.literal('hangup') }).strict(),
    z.object({ type: z.literal('busy') }).strict(),
    z.object({ type: z.literal('congestion') }).strict(),
    z.object({ type: z.literal('announcement'), prompt: id, then: destinationSchema.optional() }).strict(),
    z.object({ type: z.literal('operator') }).strict(),
  ]),
);

/** One line for journals, traces and the route preview. */
export function describeDestination(d: Destination): string {
  switch (d.type) {
    case 'extension': return `extension ${d.ext}`;
    case 'queue': return `queue ${d.queue}`;
    case 'ivr': return `IVR menu ${d.menu}`;
    case 'voicemail': return `voicemail box ${d.box}`;
    case 'timecondition': return `time condition ${d.id}`;
    case 'external': return `external number ${d.number}`;
    case 'hangup': return 'hang up';
    case 'busy': return 'busy tone';
    case 'congestion': return 'congestion tone';
    case 'announcement': return `announcement ${d.prompt}${d.then ? `, then ${describeDestination(d.then)}` : ', then hang up'}`;
    case 'operator': return 'operator';
  }
}
