// Queues and agents: the live status (pushed on the acd topic), and a
// supervisor's agent commands.
import { type Connection, liveCollection } from './api.js';
import type { Cdr, Recording, WrapUp } from './calls.js';

export type AgentState = 'logged-out' | 'ready' | 'reserved' | 'on-call' | 'wrap-up' | 'paused';
export interface QueueStatus {
  id: string; waiting: number; loggedIn: number; agentsByState: Partial<Record<AgentState, number>>;
  offered: number; answered: number; abandoned: number; abandonRate: number | null; serviceLevel: number | null;
  asaSec: number | null; ahtSec: number | null; longestWaitSec: number;
}
// Whom the agent's phone is ringing with or talking to (line data: text only).
export interface Party { journey: string; caller: string; callerName: string; queue: string; phase: 'ringing' | 'talking'; held?: boolean }
export interface AgentStatus {
  id: string; name: string; user: string | null; ext: string; state: AgentState; reason: string | null; sinceSec: number | null; party: Party | null;
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
export type MonitorMode = 'listen' | 'whisper' | 'barge';
// The box rings the supervisor's phone `ext` and taps the agent's call once it is answered.
export const monitorAgent = (conn: Connection, agent: string, mode: MonitorMode, ext: string) => conn.request('acd/agent/monitor', { agent, mode, ext });

// The signed-in user's own agent (acd/me/*): not_found when no agent has the
// user's name in its `user` field.
export const PAUSE_REASONS = ['lunch', 'training', 'meeting', 'break'] as const;
export const fetchMyAgent = (conn: Connection) => conn.request<AgentStatus>('acd/me/get');
export const loginMe = (conn: Connection) => conn.request('acd/me/login');
export const logoutMe = (conn: Connection) => conn.request('acd/me/logout');
export const pauseMe = (conn: Connection, reason: string) => conn.request('acd/me/pause', { reason });
export const resumeMe = (conn: Connection) => conn.request('acd/me/resume');

// My agent now and on every acd push (picked out of the snapshot by id);
// fetched again after a reconnect.
export function subscribeMyAgent(conn: Connection, onAgent: (a: AgentStatus) => void, onError?: (e: unknown) => void): () => void {
  let id: string | null = null;
  let stopped = false;
  const refetch = () => { fetchMyAgent(conn).then((a) => { if (!stopped) { id = a.id; onAgent(a); } }, (e) => { if (!stopped) onError?.(e); }); };
  const unsub = conn.subscribe<AcdStatus>('acd', (s) => {
    const a = id && !stopped ? s.agents.find((x) => x.id === id) : undefined;
    if (a) onAgent(a);
  });
  const off = conn.onReconnect(refetch);
  refetch();
  return () => { stopped = true; unsub(); off(); };
}

// Reports for a period (computed on the box in a worker; can take a while).
export type GroupBy = 'queue' | 'agent' | 'hour' | 'day' | 'month';
export interface Figures {
  offered: number; answered: number; abandoned: number; abandonRate: number | null; serviceLevel: number | null;
  asaSec: number | null; ahtSec: number | null; handled: number; talkSec: number;
}
export interface AgentFigures {
  calls: number; answered: number; handled: number; talkSec: number; ahtSec: number | null; offers: number; offersMissed: number;
  loginSec: number; pauseSec: number; occupancy: number | null;
}
export type ReportRow = (Figures & { queue: string }) | (AgentFigures & { agent: string; name: string }) | (Figures & { period: string; startAt: string; agentLoginSec: number; occupancy: number | null });
export interface AcdReport { from: string; to: string; tz: string; groupBy: GroupBy; rows: ReportRow[]; totals: { queues: Figures; agents: AgentFigures }; computeMs: number }
export interface ReportQuery { from: string; to: string; groupBy: GroupBy; tz: string }

export const runReport = (conn: Connection, q: ReportQuery) => conn.request<AcdReport>('acd/report/run', q);
export const runReportCsv = (conn: Connection, q: ReportQuery) => conn.request<{ csv: string }>('acd/report/run', { ...q, format: 'csv' });

// The agent's call from the panel. An analog phone is answered by lifting it,
// so there is no answer command: the console tells the agent to pick up.
export const holdMe = (conn: Connection) => conn.request<{ held: boolean }>('acd/me/hold');
export const unholdMe = (conn: Connection) => conn.request<{ held: boolean }>('acd/me/unhold');
export const hangupMe = (conn: Connection) => conn.request('acd/me/hangup');
export const transferMe = (conn: Connection, to: { ext: string } | { queue: string }) => conn.request('acd/me/transfer', to);
// The box rings the agent's phone first, then dials `number` (outside-line prefix included).
export const dialMe = (conn: Connection, number: string) => conn.request<{ journey: string }>('acd/me/dial', { number });

// Wrap-up of one of the agent's calls: a note and disposition tags.
export const saveWrapUp = (conn: Connection, journey: string, note: string, tags: string[]) => conn.request<WrapUp>('acd/me/wrapup', { journey, note, tags });
export interface MyCall { cdr: Cdr; recordings: Recording[]; wrapup: WrapUp | null }
export interface MyHistory { agent: string; tags: string[]; calls: MyCall[] }
export const fetchMyHistory = (conn: Connection, limit = 30) => conn.request<MyHistory>('acd/me/history', { limit });

// My calls now and after every call event (one fetch per 300 ms at most); again after a reconnect.
export function subscribeMyHistory(conn: Connection, onHistory: (h: MyHistory) => void, onError?: (e: unknown) => void, limit = 30): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const refetch = () => { fetchMyHistory(conn, limit).then((h) => { if (!stopped) onHistory(h); }, (e) => { if (!stopped) onError?.(e); }); };
  const unsub = conn.subscribe('calls', () => { if (!timer) timer = setTimeout(() => { timer = null; refetch(); }, 300); });
  const off = conn.onReconnect(refetch);
  refetch();
  return () => { stopped = true; unsub(); off(); if (timer) clearTimeout(timer); };
}
