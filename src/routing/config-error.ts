/**
 * The one error routing config validation throws: every issue carries the
 * field path the UI highlights (`weekly.mon[1].end`) and a sentence for it.
 */
import type { z } from 'zod';

export interface ConfigIssue {
  path: string;
  message: string;
}

export class RoutingConfigError extends Error {
  readonly code = 'invalid_routing_config';
  constructor(
    readonly what: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'RoutingConfigError';
  }
}

export function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Parses `input` with `schema` or throws a RoutingConfigError naming `what`. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new RoutingConfigError(
    what,
    r.error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message })),
  );
}
