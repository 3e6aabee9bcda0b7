/**
 * `start|stop|restart NAME…`: every name is resolved first (a process, an instance, or
 * `all`), so one unknown name exits 2 with nothing done; then each is acted on, showing on
 * stderr where the processes are and what they wait for, until they are at rest or
 * `--wait-timeout` runs out.
 */
import { OverseerError } from '../../core/errors.js';
import { type Request, refusalOf } from '../../core/process/refusal.js';
import { judgeRequest } from '../../core/stack/selector.js';
import type { ProcessInfo } from '../../core/view.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  ProgressWatch,
  parseWaitTimeout,
} from '../wait.js';

type Verb = 'start' | 'stop' | 'restart';

interface ActOptions extends ConfigOption {
  readonly json?: boolean;
  readonly waitTimeout: string;
}

/** Exit 1: a process failed, still waits on a dependency stopped on request, or the wait ran out. */
export function actOn(verb: Verb) {
  return async (names: string[], options: ActOptions): Promise<number> => {
    const waitMs = parseWaitTimeout(options.waitTimeout);
    const client = await connect(options);
    // Every name is checked before anything is done: UNKNOWN_PROCESS here changes nothing,
    // and neither does a request one of the names refuses (`start web` of a running web).
    const selected = await resolveNames(client, names);
    await assertAccepted(client, verb, names);
    const paint = painterFor(process.stderr);
    let acting = false;
    const watch = new ProgressWatch(
      client,
      selected.map((info) => info.name),
      // Only what says what it waits for: plain moves are in the table at the end.
      (progress) => {
        if (acting && isWaiting(progress) && progress.reason !== null) {
          process.stderr.write(`${describeProgress(progress, paint)}\n`);
        }
      },
    );
    await watch.start();
    acting = true;
    try {
      const results = await withDeadline(actOnEach(client, verb, names), waitMs);
      if (results === undefined) {
        const rows = await client.list({ names });
        const waiting = rows.filter(isWaiting);
        process.stderr.write(`overseer: ${describeTimeout(waitMs, waiting, paint)}\n`);
        return 1;
      }
      if (options.json) process.stdout.write(`${JSON.stringify({ processes: results })}\n`);
      else process.stdout.write(`${renderProcessTable(results, painterFor(process.stdout))}\n`);
      return reportOutcome(results);
    } finally {
      watch.close();
    }
  };
}

/**
 * The rows of every instance the names of a command stand for (each a process, an
 * instance, or `all`), in declaration order: the one resolution every command that acts
 * goes through. Throws `UNKNOWN_PROCESS` naming what names nothing, before anything is done.
 */
export function resolveNames(
  client: HttpSupervisorClient,
  names: readonly string[],
): Promise<ProcessInfo[]> {
  return client.list({ names });
}

/**
 * Judges the request for every name on the processes' current rows, as the supervisor will
 * (the same rule, in core), and throws the first refusal before any name is acted on. The
 * supervisor judges each request again when it is made.
 */
export async function assertAccepted(
  client: HttpSupervisorClient,
  verb: Request,
  names: readonly string[],
): Promise<void> {
  for (const name of names) {
    const rows = await client.list({ names: [name] });
    const refusals = rows.map((row) => refusalOf(verb, row.name, row.status, row.retryAt !== null));
    // One row of that very name is an instance named alone (or a process of one instance,
    // which comes to the same); anything else is a process named whole, or `all`.
    const selectsWhole = !(rows.length === 1 && rows[0]!.name === name);
    const verdict = judgeRequest(selectsWhole, refusals);
    if (!verdict.ok) throw new OverseerError(verdict.refusal.code, verdict.refusal.message);
  }
}

/**
 * Asks for every name at once, then waits for them all: one at a time, a slow first name
 * would hold back the rest, and a `--wait-timeout` running out would leave them never asked.
 */
async function actOnEach(
  client: HttpSupervisorClient,
  verb: Verb,
  names: readonly string[],
): Promise<ProcessInfo[]> {
  const answers = await Promise.all(names.map((name) => client[verb](name)));
  return answers.flat();
}

/**
 * Exit 1 when one failed, or was left `pending` on something that will not happen unless
 * asked (a dependency stopped on request): waiting on it would hang, so it is said instead.
 */
function reportOutcome(results: readonly ProcessInfo[]): number {
  const blocked = results.filter((info) => info.status === 'pending');
  for (const info of blocked) {
    process.stderr.write(
      `overseer: ${info.name} stays pending: ${info.reason}. Start what it waits for, or run \`overseer up ${info.name}\` to start it with its dependencies.\n`,
    );
  }
  return blocked.length > 0 || results.some((info) => info.status === 'failed') ? 1 : 0;
}

/** The promise's value, or `undefined` once `ms` have passed without one. */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
