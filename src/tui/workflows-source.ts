/**
 * Where the workflow views read from, and what they say when there is nothing to read: a
 * dashboard given no `WorkflowsApi`, or a supervisor that serves no workflows (a daemon
 * without the routes answers `no route GET /workflows`), has no store to show. Either is
 * said plainly, in place of the rows, rather than as an error.
 */

/** `no workflows store: …`, in place of the rows. */
export function noStoreText(reason: string): string {
  return `no workflows store: ${reason}`;
}

/** Why there is no store when the dashboard was given no way to read one. */
export const NOT_SERVED = 'this supervisor serves no workflows';

/** Whether a failed read says the supervisor serves no workflows at all. */
export function servesNoWorkflows(error: string | undefined): boolean {
  return error !== undefined && /^no route \w+ \/(?:workflows|dead-letters)\b/.test(error);
}
