// Queues and agents: the live status (pushed on the acd topic), and a
// supervisor's agent commands.
import { type Connection, liveCollection } from './api.js';

export type AgentState = 'logged-out' | 'ready' | 'reserved' | 'on-call' | 'wrap-up' | 'paused';
export interface QueueStatus {
  id: string; waiting: number; loggedIn: number; agentsByState: Partial<Record<AgentState, number>>;
  offered: number; answered: number; abandoned: number; abandonRate: number | null; serviceLevel: number | null;
  asaSec: number | null; ahtSec: number | null; longestWaitSec: number;
}
export interface AgentStatus {
  id: string; name: string; ext: string; state: AgentState; reason: string | null; sinceSec: number | null;
  calls: number; talkSec: number; loginSec: number; pauseSec: number; pauseSecByReason: Record<string, number>;
}
export interface AcdStatus { queues: QueueStatus[]; agents: AgentStatus[] }

export const fetchAcdStatus = (conn: Connection) => conn.request<AcdStatus>('acd/status/get');

// The status now and on every change (the box pushes whole snapshots).
export function subscribeAcd(conn: Connection, onStatus: (s: AcdStatus) => void, onError?: (e: unknown) => void): () => void {
  return liveCollection(conn, () => fetchAcdStatus(conn), 'acd', onStatus, { eventIsValue: true, onError });
}

export const loginAgent = (conn: Connection, agent: string, ext?: string) => conn.request('acd/agent/login', ext ? { agent, ext } : { agent });
export const logoutAgent = (conn: Connection, agent: string) => conn.request('acd/agent/logout', { agent });
export const pauseAgent = (conn: Connection, agent: string, reason = 'break') => conn.request('acd/agent/pause', { agent, reason });
export const resumeAgent = (conn: Connection, agent: string) => conn.request('acd/agent/resume', { agent });
export const hangupAgent = (conn: Connection, agent: string) => conn.request('acd/agent/hangup', { agent });
