// The OpenAPI 3.1 document, generated from the command registry: one POST
// operation per command, its input schema from zod, its roles in the text.
import type { CommandRegistry } from './registry.js';
import { ERROR_STATUS } from './errors.js';
import { toJsonSchema } from './zod-json-schema.js';

export function openApiDocument(registry: CommandRegistry, version = '0.1.0'): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const c of registry.list()) {
    const who = c.access === 'public' ? 'public' : `roles: ${c.access.join(', ')}`;
    paths[`/api/${c.name}`] = {
      post: {
        operationId: c.name.replace(/[/-](.)/g, (_m, ch: string) => ch.toUpperCase()),
        tags: [c.name.split('/')[0]],
        summary: c.summary,
        description: `${who}. ${c.kind === 'write' ? 'Changes state: with a session cookie, send the x-csrf-token header; audited.' : 'Read-only.'}${c.httpOnly ? ' HTTP only (not over the WebSocket).' : ''}`,
        ...(c.access === 'public' ? { security: [] } : {}),
        'x-hotline-access': c.access,
        'x-hotline-kind': c.kind,
        requestBody: { required: false, content: { 'application/json': { schema: toJsonSchema(c.input) } } },
        responses: {
          200: { description: 'done', content: { 'application/json': { schema: { $ref: '#/components/schemas/Ok' } } } },
          default: { description: 'refused; error.id says why', content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hotline API', version, description: 'Every operation is a command POSTed to /api/<domain>/<noun>/<verb>; the same commands run over the WebSocket at /api/ws. See docs/api.md.' },
    paths,
    security: [{ session: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'hotline_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (auth/token/create)' },
      },
      schemas: {
        Ok: { type: 'object', required: ['ok', 'data'], properties: { ok: { const: true }, data: {} } },
        Failure: {
          type: 'object', required: ['ok', 'error'],
          properties: {
            ok: { const: false },
            error: {
              type: 'object', required: ['id', 'message'],
              properties: {
                id: { type: 'string', enum: Object.keys(ERROR_STATUS) },
                message: { type: 'string' },
                fields: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' }, row: { type: 'integer' } } } },
              },
            },
          },
        },
      },
    },
  };
}
