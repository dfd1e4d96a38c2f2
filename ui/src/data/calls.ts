// Call records, refreshed whenever a call event is journaled.
import { type Connection, liveCollection } from './api.js';

export type Disposition = 'in_progress' | 'answered' | 'no_answer' | 'busy' | 'failed' | 'abandoned' | 'blocked' | 'voicemail' | 'ivr' | 'interrupted' | 'callback';
export interface Cdr {
  journey: string; direction: 'inbound' | 'outbound' | 'internal'; caller: string; callerName: string; callee: string;
  trunk: string | null; startedAt: string; answeredAt: string | null; endedAt: string | null; talkS: number | null; waitS: number | null;
  disposition: Disposition; queue: string | null; agent: string | null; extension: string | null; tags: string[]; recordings: number[];
  port?: number | null; legs?: number[];
}
export interface CallEvent { at: string; journey: string | null; kind: string; event: string; data: Record<string, unknown> }

export const fetchCalls = (conn: Connection, opts: { limit?: number; caller?: string } = {}) => conn.request<Cdr[]>('calls/cdr/list', { limit: opts.limit ?? 20, ...(opts.caller ? { caller: opts.caller } : {}) });

// Recent calls now and after every call event (coalesced to one fetch per 300 ms).
export function subscribeCalls(conn: Connection, onCalls: (c: Cdr[]) => void, opts: { limit?: number; onEvent?: (e: CallEvent) => void } = {}): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const refetch = () => { fetchCalls(conn, opts).then((c) => { if (!stopped) onCalls(c); }, () => {}); };
  const unsub = conn.subscribe<CallEvent>('calls', (e) => {
    opts.onEvent?.(e);
    if (!timer) timer = setTimeout(() => { timer = null; refetch(); }, 300);
  });
  const off = conn.onReconnect(refetch);
  refetch();
  return () => { stopped = true; unsub(); off(); if (timer) clearTimeout(timer); };
}

// A recording's id is its one public id: the CDR's `recordings` lists it and
// GET /api/recordings/<id>.wav serves it.
export interface Recording { id: number; journey: string; durationMs: number | null; status: 'recording' | 'finished' | 'interrupted'; startedAt: string; deleted?: boolean; url: string }
export interface WrapUp { journey: string; agent: string | null; author: string; note: string; tags: string[]; customerId: number | null; createdAt: string; updatedAt: string }
export const fetchCall = (conn: Connection, journey: string) => conn.request<{ cdr: Cdr; recordings: Recording[]; wrapup: WrapUp | null }>('calls/cdr/get', { journey });
// Where the box serves a recording's audio (session cookie; byte ranges for seeking).
export const recordingUrl = (id: number) => `/api/recordings/${id}.wav`;
// Call records as CSV (supervisors); the recordings column holds the same ids.
export const exportCalls = (conn: Connection, q: { since?: string; until?: string } = {}) => conn.request<{ filename: string; rows: number; csv: string }>('calls/cdr/export', q);
