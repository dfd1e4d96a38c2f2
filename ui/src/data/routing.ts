// "What happens to a call at a time": routing/preview/run.
import type { Connection } from './api.js';

export interface TraceStep { kind: 'route' | 'timecondition' | 'choice' | 'problem'; text: string; state?: string }
export interface CallPreview {
  outcome: 'blocked' | 'vip' | 'unmatched' | 'routed';
  at: string;
  text: string;
  route?: string;
  entry?: string;
  why?: string;
  action?: string;
  destination?: { type: string; [k: string]: unknown };
  description?: string;
  trace?: TraceStep[];
  problems?: string[];
}

export const previewCall = (conn: Connection, input: { caller: string; at: string; trunk?: string; did?: string }) =>
  conn.request<CallPreview>('routing/preview/run', input);
