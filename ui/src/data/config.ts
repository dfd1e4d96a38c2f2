// Configuration documents: list, read, check and save one.
import type { Connection } from './api.js';

export type ConfigKind = 'queue' | 'agent' | 'extension' | 'ivr' | string;
export interface ConfigDoc { id: string; doc: Record<string, unknown> }

export const fetchConfigDocs = (conn: Connection, kind: ConfigKind) => conn.request<ConfigDoc[]>('config/doc/list', { kind });
export const fetchConfigDoc = (conn: Connection, kind: ConfigKind, id: string) => conn.request<ConfigDoc>('config/doc/get', { kind, id });
export const validateConfigDoc = (conn: Connection, kind: ConfigKind, id: string, doc: unknown) => conn.request<ConfigDoc>('config/doc/validate', { kind, id, doc });
export const putConfigDoc = (conn: Connection, kind: ConfigKind, id: string, doc: unknown) => conn.request<ConfigDoc>('config/doc/put', { kind, id, doc });
export const removeConfigDoc = (conn: Connection, kind: ConfigKind, id: string) => conn.request<Record<string, never>>('config/doc/remove', { kind, id });

// Field errors of a config command with the "doc." prefix taken off, so they
// name the field inside the document (menus.main.keys.1.ext).
export function docFields(fields: { path: string; message: string }[]): { path: string; message: string }[] {
  return fields.map((f) => ({ ...f, path: f.path.replace(/^doc\./, '') }));
}

// The collections the admin forms edit: the field naming each document and
// its JSON schema (descriptions, defaults, limits) from the box's own schemas.
export interface CollectionSchema { kind: string; idField: string | null; singleton?: string; applies: string; schema: import('../forms/schema-model.js').JsonSchema }
export const fetchConfigSchemas = (conn: Connection, kind?: ConfigKind) => conn.request<{ collections: CollectionSchema[] }>('config/schema/get', kind ? { kind } : {});
