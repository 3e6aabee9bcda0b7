/**
 * The durable workflows of a project as a supervisor shows them: runs and their steps,
 * dead letters retried or dropped. Answered by the daemon over its HTTP API, by the client
 * of it, and over a `WorkflowStore` opened in this process (`storeWorkflowsApi`), so that
 * the CLI reads the runs alike whether a daemon runs or not.
 */
import { OverseerError } from '../core/errors.js';
import { RUN_STATUSES, type RunStatus } from '../core/workflows/records.js';
import {
  type DeadLetterView,
  deadLetterView,
  type RunDetailsView,
  type RunView,
  runView,
  stepView,
} from '../core/workflows/views.js';
import type { WorkflowStore } from '../core/workflows/workflow-store.js';

/** Most runs or letters one request answers. */
export const MAX_WORKFLOW_LIMIT = 1000;

/**
 * The fewest characters of a dead letter's id that name it, as a prefix (its ids are UUIDs,
 * long to type): fewer would match by accident.
 */
export const MIN_LETTER_PREFIX = 4;

/** Ids named when a start matches several letters. */
const SHOWN_MATCHES = 5;

export interface WorkflowRunQuery {
  readonly workflow?: string;
  /** One status or several (any of them). */
  readonly status?: string | readonly string[];
  /** 1 to `MAX_WORKFLOW_LIMIT`; 100 when absent. */
  readonly limit?: number;
}

export interface DeadLetterQuery {
  readonly workflow?: string;
  /** 1 to `MAX_WORKFLOW_LIMIT`; 100 when absent. */
  readonly limit?: number;
}

export interface WorkflowsApi {
  /** Runs, newest first. `BAD_REQUEST` naming a bad status or limit. */
  runs(query?: WorkflowRunQuery): Promise<RunView[]>;
  /** A run, its recorded steps and its dead letters; `NOT_FOUND` for an unknown id. */
  run(id: string): Promise<RunDetailsView>;
  /** Dead letters, newest first. */
  deadLetters(query?: DeadLetterQuery): Promise<DeadLetterView[]>;
  /**
   * By its id, or the start of it when that names one letter (`MIN_LETTER_PREFIX`
   * characters at least): `NOT_FOUND` for none, `BAD_REQUEST` naming them for several.
   * The same for retry and drop.
   */
  deadLetter(id: string): Promise<DeadLetterView>;
  /** Takes the letter back and makes its run pending again; answers the run. */
  retryDeadLetter(id: string): Promise<RunView>;
  /** Deletes the letter (its run stays failed). */
  dropDeadLetter(id: string): Promise<void>;
}

/** The workflows of `store`, as the daemon answers them. */
export function storeWorkflowsApi(store: WorkflowStore): WorkflowsApi {
  const withStepsDone = async (run: Parameters<typeof runView>[0]) =>
    runView(run, (await store.steps(run.id)).length);
  const letterOrNotFound = async (id: string) => {
    const letter = (await store.deadLetter(id)) ?? (await byPrefix(id));
    if (!letter) throw noDeadLetter(id);
    return letter;
  };
  // Asked of the store over every letter, not the newest page: a match elsewhere would
  // leave a start that names two letters looking unique.
  const byPrefix = async (prefix: string) => {
    if (prefix.length < MIN_LETTER_PREFIX) return undefined;
    const matches = await store.deadLetters({ idPrefix: prefix, limit: SHOWN_MATCHES + 1 });
    if (matches.length > 1) {
      const named = matches.slice(0, SHOWN_MATCHES).map((letter) => letter.id);
      throw new OverseerError(
        'BAD_REQUEST',
        `dead letter ${JSON.stringify(prefix)} is the start of ${matches.length > SHOWN_MATCHES ? `more than ${SHOWN_MATCHES}` : matches.length} ids (${named.join(', ')}): give more of it`,
      );
    }
    return matches[0];
  };
  return {
    async runs(query = {}) {
      const statuses = checkedStatuses(query.status);
      const found = await store.runs({
        limit: checkedLimit(query.limit),
        ...(query.workflow !== undefined && { workflow: query.workflow }),
        ...(statuses !== undefined && { statuses }),
      });
      return Promise.all(found.map(withStepsDone));
    },
    async run(id) {
      const run = await store.run(id);
      if (!run) throw new OverseerError('NOT_FOUND', `no workflow run ${JSON.stringify(id)}`);
      const [steps, letters] = await Promise.all([
        store.steps(id),
        store.deadLetters({ workflow: run.workflow, limit: MAX_WORKFLOW_LIMIT }),
      ]);
      return {
        run: runView(run, steps.length),
        steps: steps.map(stepView),
        deadLetters: letters.filter((letter) => letter.runId === id).map(deadLetterView),
      };
    },
    async deadLetters(query = {}) {
      const letters = await store.deadLetters({
        limit: checkedLimit(query.limit),
        ...(query.workflow !== undefined && { workflow: query.workflow }),
      });
      return letters.map(deadLetterView);
    },
    async deadLetter(id) {
      return deadLetterView(await letterOrNotFound(id));
    },
    async retryDeadLetter(id) {
      const run = await store.retryDeadLetter((await letterOrNotFound(id)).id);
      if (!run) throw noDeadLetter(id);
      return withStepsDone(run);
    },
    async dropDeadLetter(id) {
      if (!(await store.dropDeadLetter((await letterOrNotFound(id)).id))) throw noDeadLetter(id);
    },
  };
}

function noDeadLetter(id: string): OverseerError {
  return new OverseerError('NOT_FOUND', `no dead letter ${JSON.stringify(id)}`);
}

/** `limit`: a whole number from 1 to `MAX_WORKFLOW_LIMIT`, 100 when absent. */
export function checkedLimit(limit: unknown): number {
  if (limit === undefined) return 100;
  const count = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : limit;
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > MAX_WORKFLOW_LIMIT
  ) {
    throw new OverseerError(
      'BAD_REQUEST',
      `limit: expected a whole number from 1 to ${MAX_WORKFLOW_LIMIT}, got ${JSON.stringify(limit)}`,
    );
  }
  return count;
}

/** `status`: each among `RUN_STATUSES` (a value may list several, comma-separated). */
function checkedStatuses(status: WorkflowRunQuery['status']): RunStatus[] | undefined {
  if (status === undefined) return undefined;
  const statuses = [status].flat().flatMap((value) => value.split(','));
  const unknown = statuses.find((value) => !(RUN_STATUSES as readonly string[]).includes(value));
  if (unknown !== undefined) {
    throw new OverseerError(
      'BAD_REQUEST',
      `status: expected one of ${RUN_STATUSES.join(', ')}, got ${JSON.stringify(unknown)}`,
    );
  }
  return statuses as RunStatus[];
}
