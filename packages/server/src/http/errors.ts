import { AppError, type ErrorCode, isAppError } from '@cx/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

/** The one place an error code becomes an HTTP status. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  locked: 423,
  internal: 500,
};

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  if (e instanceof ZodError) {
    const first = e.issues[0];
    const field = first?.path.join('.') || undefined;
    return new AppError('bad_input', `${field ? `${field}: ` : ''}${first?.message ?? 'invalid input'}`, {
      ...(field ? { field } : {}),
      issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return new AppError('internal', 'Internal error');
}

export function errorResponse(c: Context, e: unknown, logger: Logger) {
  const err = toAppError(e);
  if (err.code === 'internal') logger.error({ err: e }, 'request failed');
  return c.json(err.toJSON(), STATUS[err.code]);
}
