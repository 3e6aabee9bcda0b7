/**
 * Errors with a stable code and a short human message. Codes are mapped to exit codes and
 * HTTP statuses in one place each, at the edges.
 */

export type ErrorCode =
  /** A spec or config failed validation; `issues` lists each problem with its path. */
  | 'INVALID_SPEC'
  /** No process has that name. */
  | 'UNKNOWN_PROCESS'
  /** No process is in that namespace. */
  | 'UNKNOWN_NAMESPACE'
  /** A process with that name is already declared. */
  | 'DUPLICATE_PROCESS'
  /** The request conflicts with the process's state (stop of a stopped process…). */
  | 'INVALID_STATE'
  /** The supervisor has shut down and takes no more requests. */
  | 'SHUT_DOWN'
  /** A request was malformed: a bad parameter, body or argument. */
  | 'BAD_REQUEST'
  /** A request lacked the right credentials. */
  | 'UNAUTHORIZED'
  /** No such route or resource. */
  | 'NOT_FOUND'
  /** No supervisor answers (not running, or unreachable). */
  | 'UNAVAILABLE'
  /** The task queue holds as many tasks as it may (`settings.tasks.max_queued`). */
  | 'QUEUE_FULL'
  /** Something failed that should not have; the message says what. */
  | 'INTERNAL';

/** One problem found in a spec: where (`restart.max_restarts`) and what. */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
}

export class OverseerError extends Error {
  override readonly name = 'OverseerError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `INVALID_SPEC`: every problem found, each with its path. */
    readonly issues: readonly SpecIssue[] = [],
  ) {
    super(message);
  }
}

/** `processes.api.restart.delay: expected a duration` lines, one per issue. */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('\n');
}
