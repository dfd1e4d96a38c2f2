// What the panel's configuration forms are built from: each collection the
// config commands serve, the field that names its documents, and its JSON
// schema (descriptions, defaults, limits) converted from the one zod schema
// the box validates with. Forms never carry their own copy of a rule.
import { KIND_SCHEMAS, type ConfigKind } from './kinds.js';
import { toJsonSchema, type JsonSchema } from '../api/zod-json-schema.js';

export interface CollectionSchema {
  kind: ConfigKind;
  // The document field that is also its id; null for the one settings document.
  idField: string | null;
  // The settings collection holds one document under this id.
  singleton?: string;
  // Every configuration change applies at once (the supervisor reads through the config service).
  applies: 'hot';
  schema: JsonSchema;
}

const ID_FIELD: Record<ConfigKind, string | null> = {
  settings: null,
  extension: 'ext',
  trunk: 'id',
  screening: 'id',
  mailbox: 'id',
  timeCondition: 'id',
  inboundRoute: 'id',
  outboundRoute: 'id',
  ivr: 'id',
  queue: 'id',
  agent: 'id',
  // E1 span settings are edited on the E1 page, beside the span's live state.
  span: 'span',
  // Network, time and backup policy: the System page's one document.
  system: null,
};

// Converted once: the schemas are constants of the build.
let cache: CollectionSchema[] | null = null;

export function collectionSchemas(): CollectionSchema[] {
  cache ??= (Object.keys(KIND_SCHEMAS) as ConfigKind[]).map((kind) => ({
    kind,
    idField: ID_FIELD[kind],
    ...(kind === 'settings' || kind === 'system' ? { singleton: 'main' } : {}),
    applies: 'hot' as const,
    schema: toJsonSchema(KIND_SCHEMAS[kind]),
  }));
  return cache;
}
