// The engine's live state (spans, channels, who is off-hook), fetched again
// whenever the engine reports an event (coalesced) and after a reconnect.
import type { Connection } from './api.js';

export interface ChannelInfo { chan: number; span: number; chanpos: number; kind: 'fxo' | 'fxs' | 'e1' | 'e1-r2' | 'dchan' | 'none'; name: string }
export interface ChannelState { chan: number; state: string; offhook: boolean; alarms: number; rings: number; callerNumber: string | null; sigState?: string; bridgedTo: number }
export interface EngineState { engine: { driver: string; zone: string } | null; channels: ChannelInfo[]; states: ChannelState[]; spans: { span: number; alarms: number }[] }

export const fetchEngineState = (conn: Connection) => conn.request<EngineState>('engine/state/get');

export function subscribeEngineState(conn: Connection, onState: (s: EngineState) => void, onError: (e: unknown) => void = () => {}): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const refetch = () => { fetchEngineState(conn).then((s) => { if (!stopped) onState(s); }, onError); };
  const unsub = conn.subscribe('engine', () => { if (!timer) timer = setTimeout(() => { timer = null; refetch(); }, 200); });
  const off = conn.onReconnect(refetch);
  refetch();
  return () => { stopped = true; unsub(); off(); if (timer) clearTimeout(timer); };
}
