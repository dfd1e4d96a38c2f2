// E1 spans and their R2 or SS7 circuits: the list, blocking, a span reset or
// link restart, a call's trace.
import type { Connection } from './api.js';

export type CircuitState = 'idle' | 'in-call' | 'blocked-local' | 'blocked-remote' | 'alarm';
export interface Circuit { chan: number; timeslot: number; signalling: string; cic: number | null; sigState: string | null; state: CircuitState; trunk: string | null }
export interface Span {
  span: number; alarms: string[]; errors: { bpv: number; crc4: number; ebit: number; fas: number } | null; signalling: 'r2' | 'ss7' | null; settings: Record<string, unknown> | null;
  link: { chan: number; state: string; counters: { msuIn: number; msuOut: number; badFrames: number; retransmissions: number; failures: number; isupErrors: number } | null } | null; mismatch: string | null; circuits: Circuit[];
}
export type TraceEntry = [ms: number, dir: 'tx' | 'rx', what: string];
export interface Trace { at: string; chan: number; dropped: number; entries: TraceEntry[] }

export const fetchSpans = (conn: Connection) => conn.request<{ spans: Span[] }>('e1/span/list').then((d) => d.spans);
export const blockCircuit = (conn: Connection, chan: number) => conn.request<{ chan: number; pending: boolean }>('e1/circuit/block', { chan });
export const unblockCircuit = (conn: Connection, chan: number) => conn.request('e1/circuit/unblock', { chan });
export const resetSpan = (conn: Connection, span: number) => conn.request<{ unblocked?: number[]; reset: unknown; inCall?: number[] }>('e1/span/reset', { span });
// Re-lays the span with its saved signalling now: its calls end, other spans' calls go on.
export const applySpan = (conn: Connection, span: number) => conn.request<{ span: number; signalling: string; changed: boolean; callsEnded: number }>('e1/span/apply', { span });
export const restartLink = (conn: Connection, span: number) => conn.request('e1/span/reset', { span, link: true });
export const fetchTrace = (conn: Connection, journey: string) => conn.request<{ journey: string; traces: Trace[] }>('e1/trace/get', { journey });
export const fetchTraceText = (conn: Connection, journey: string) => conn.request<{ filename: string; text: string }>('e1/trace/get', { journey, format: 'text' });
