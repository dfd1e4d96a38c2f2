// Configuration over the API: the config service validates every document and
// cross-checks it against the rest; its errors name the field, prefixed here
// with "doc." so they point into the request.
import { z } from 'zod';
import { command, ADMINS, SUPERVISORS, type CommandRegistry, type CommandContext } from '../registry.js';
import { notFound, validationFailed } from '../errors.js';
import { KIND_SCHEMAS, type ConfigKind } from '../../config/kinds.js';
import { ConfigError } from '../../config/config-service.js';
import { toJsonSchema } from '../zod-json-schema.js';
import { collectionSchemas } from '../../config/form-schemas.js';

const kind = z.enum(Object.keys(KIND_SCHEMAS) as [ConfigKind, ...ConfigKind[]]);
const docId = z.string().min(1).max(40);

function inDoc<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw validationFailed(e.errors.map((x) => ({ path: x.path === 'kind' ? 'kind' : `doc.${x.path}`, message: x.message })));
    throw e;
  }
}

// Supervisors read the configuration but not its secrets (SMTP password, voicemail PINs).
const SECRET_KEY = /^(pass|password|pin|secret)$/i;
function forRole(doc: unknown, ctx: CommandContext): unknown {
  if (ctx.actor?.role === 'admin') return doc;
  const hide = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(hide);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) && x !== undefined ? '***' : hide(x)]));
    return v;
  };
  return hide(doc);
}

export function configCommands(r: CommandRegistry): void {
  r.add(command({
    name: 'config/kind/list', summary: 'Configuration kinds with the JSON schema of their documents', access: SUPERVISORS, kind: 'read',
    input: z.object({}).strict(),
    handler: () => Object.entries(KIND_SCHEMAS).map(([k, s]) => ({ kind: k, schema: toJsonSchema(s) })),
  }));

  // The panel's forms: every collection with its id field and JSON schema
  // (descriptions, defaults, limits), so forms are built from the one schema.
  r.add(command({
    name: 'config/schema/get', summary: 'Configuration collections for the admin forms: id field and JSON schema of each (one kind, or all)', access: ADMINS, kind: 'read',
    input: z.object({ kind: kind.optional() }).strict(),
    handler: (i) => ({ collections: collectionSchemas().filter((c) => !i.kind || c.kind === i.kind) }),
  }));

  r.add(command({
    name: 'config/doc/list', summary: 'Every document of a kind', access: SUPERVISORS, kind: 'read',
    input: z.object({ kind }).strict(),
    handler: (i, ctx) => Object.entries(ctx.deps.config.table(i.kind)).map(([id, doc]) => ({ id, doc: forRole(doc, ctx) })),
  }));

  r.add(command({
    name: 'config/doc/get', summary: 'One document', access: SUPERVISORS, kind: 'read',
    input: z.object({ kind, id: docId }).strict(),
    handler(i, ctx) {
      const doc = ctx.deps.config.doc(i.kind, i.id);
      if (doc === undefined) throw notFound(`${i.kind} ${i.id}`);
      return { id: i.id, doc: forRole(doc, ctx) };
    },
  }));

  r.add(command({
    name: 'config/doc/put', summary: 'Validate and save a document; it applies at once', access: ADMINS, kind: 'write',
    input: z.object({ kind, id: docId, doc: z.unknown() }).strict(),
    target: (i) => `${i.kind} ${i.id}`,
    handler: (i, ctx) => ({ id: i.id, doc: inDoc(() => ctx.deps.config.put(i.kind, i.id, i.doc)) }),
  }));

  r.add(command({
    name: 'config/doc/validate', summary: 'What put would say, without saving', access: ADMINS, kind: 'read',
    input: z.object({ kind, id: docId, doc: z.unknown() }).strict(),
    handler: (i, ctx) => ({ id: i.id, doc: inDoc(() => ctx.deps.config.check(i.kind, i.id, i.doc)) }),
  }));

  r.add(command({
    name: 'config/doc/remove', summary: 'Remove a document (refused while others refer to it)', access: ADMINS, kind: 'write',
    input: z.object({ kind, id: docId }).strict(),
    target: (i) => `${i.kind} ${i.id}`,
    handler(i, ctx) {
      if (!inDoc(() => ctx.deps.config.remove(i.kind, i.id))) throw notFound(`${i.kind} ${i.id}`);
      return {};
    },
  }));

  r.add(command({
    name: 'config/bundle/export', summary: 'The whole configuration as one bundle { kind: { id: doc } }', access: ADMINS, kind: 'read',
    input: z.object({}).strict(),
    handler: (_i, ctx) => ctx.deps.config.exportBundle(),
  }));

  r.add(command({
    name: 'config/bundle/import', summary: 'Replace the whole configuration: all of it validates or nothing changes', access: ADMINS, kind: 'write',
    input: z.object({ bundle: z.record(z.unknown()) }).strict(),
    maxBodyBytes: 4 << 20,
    handler(i, ctx) {
      ctx.audit.summary = `configuration replaced (${Object.keys(i.bundle).join(', ')})`;
      try {
        ctx.deps.config.importBundle(i.bundle);
      } catch (e) {
        if (e instanceof ConfigError) throw validationFailed(e.errors.map((x) => ({ path: `bundle.${x.path}`, message: x.message })));
        throw e;
      }
      return {};
    },
  }));
}
