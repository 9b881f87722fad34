/**
 * The one error type of CX Cockpit. Its code is a closed set so the HTTP layer can map it to a
 * status in one place, and the CLI can print `message` without a stack trace.
 */
export const ERROR_CODES = [
  'bad_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'locked',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in an input the problem is, so a user can go and fix it. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  /** Index of a message inside a batch, a row inside a table, … */
  index?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorLocation | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorLocation) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: ErrorLocation | null } } {
    return { error: { code: this.code, message: this.message, details: this.details ?? null } };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** "file.csv, line 12, field ts: …" — the prefix every input error starts with. */
export function describeLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.index !== undefined && loc.line === undefined) parts.push(`item ${loc.index}`);
  if (loc.field) parts.push(`field ${loc.field}`);
  return parts.join(', ');
}

export function inputError(message: string, loc?: ErrorLocation): AppError {
  const where = describeLocation(loc);
  return new AppError('bad_input', where ? `${where}: ${message}` : message, loc);
}
