/**
 * Error codes on the wire: the one place that maps a code to an HTTP status, and back.
 * Errors travel as `{"error": {"code", "message", "issues"?}}`.
 */
import { type ErrorCode, OverseerError, type SpecIssue } from '../core/errors.js';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_SPEC: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  UNKNOWN_PROCESS: 404,
  UNKNOWN_NAMESPACE: 404,
  NOT_FOUND: 404,
  DUPLICATE_PROCESS: 409,
  INVALID_STATE: 409,
  INTERNAL: 500,
  QUEUE_FULL: 429,
  SHUT_DOWN: 503,
  UNAVAILABLE: 503,
};

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly issues?: readonly SpecIssue[];
  };
}

/** The wire form of any thrown value; unexpected errors become `INTERNAL`. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof OverseerError) {
    const { code, message, issues } = error;
    return { error: issues.length > 0 ? { code, message, issues } : { code, message } };
  }
  return { error: { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) } };
}

/** Turns an error body back into the `OverseerError` it stood for. */
export function errorFromBody(body: unknown, status: number): OverseerError {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string' && error.code in HTTP_STATUS) {
    return new OverseerError(error.code, error.message, error.issues ?? []);
  }
  return new OverseerError('INTERNAL', `unexpected answer (HTTP ${status})`);
}
