// Configuration documents: list, read, check and save one.
import type { Connection } from './api.js';

export type ConfigKind = 'queue' | 'agent' | 'extension' | 'ivr' | string;
export interface ConfigDoc { id: string; doc: Record<string, unknown> }

export const fetchConfigDocs = (conn: Connection, kind: ConfigKind) => conn.request<ConfigDoc[]>('config/doc/list', { kind });
export const fetchConfigDoc = (conn: Connection, kind: ConfigKind, id: string) => conn.request<ConfigDoc>('config/doc/get', { kind, id });
export const validateConfigDoc = (conn: Connection, kind: ConfigKind, id: string, doc: unknown) => conn.request<ConfigDoc>('config/doc/validate', { kind, id, doc });
export const putConfigDoc = (conn: Connection, kind: ConfigKind, id: string, doc: unknown) => conn.request<ConfigDoc>('config/doc/put', { kind, id, doc });
