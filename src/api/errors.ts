// API errors: a stable id a client can switch on, an HTTP status, a message
// for people and, for bad input, the fields at fault. Every failure leaves the
// API as one of these (unknown errors become `internal`, with no details).
import type { z } from 'zod';

export const ERROR_STATUS = {
  not_found: 404,
  validation_failed: 400,
  permission_required: 403,
  unauthenticated: 401,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
  not_supported: 501,
} as const;
export type ErrorId = keyof typeof ERROR_STATUS;

export interface FieldProblem { path: string; message: string; row?: number }

export class ApiError extends Error {
  constructor(readonly id: ErrorId, message: string, readonly fields?: FieldProblem[], readonly retryAfterS?: number) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number { return ERROR_STATUS[this.id]; }

  toJSON(): { id: ErrorId; message: string; fields?: FieldProblem[] } {
    return { id: this.id, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} does not exist`);
export const conflict = (message: string) => new ApiError('conflict', message);
export const unauthenticated = (message = 'sign in first: no valid session cookie or bearer token') => new ApiError('unauthenticated', message);
export const permissionRequired = (message: string) => new ApiError('permission_required', message);
export const rateLimited = (message: string, retryAfterS: number) => new ApiError('rate_limited', message, undefined, retryAfterS);
export const internal = (message = 'internal error') => new ApiError('internal', message);
// The hardware cannot do it this way (the message says what to do instead).
export const notSupported = (message: string) => new ApiError('not_supported', message);

export function validationFailed(fields: FieldProblem[]): ApiError {
  return new ApiError('validation_failed', fields.map((f) => `${f.row !== undefined ? `row ${f.row}: ` : ''}${f.path}: ${f.message}`).join('; '), fields);
}

// Zod issues as field problems; unknown keys name themselves.
export function fromZod(err: z.ZodError, prefix = ''): ApiError {
  const fields: FieldProblem[] = [];
  for (const i of err.issues) {
    const base = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) fields.push({ path: base ? `${base}.${k}` : k, message: 'is not a known field' });
    } else {
      fields.push({ path: base || '(input)', message: i.message });
    }
  }
  return validationFailed(fields);
}
