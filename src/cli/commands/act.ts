/**
 * `start|stop|restart NAME… [-n NS]`: every name is resolved first (a process, an instance,
 * or `all`, within the namespace when one is given; or the whole namespace), so one
 * unknown name or namespace exits 2 with nothing done; then each is acted on, showing on
 * stderr where the processes are and what they wait for, until they are at rest or
 * `--wait-timeout` runs out. A command naming several leaves those already so as they are.
 */
import { OverseerError } from '../../core/errors.js';
import { type Request, refusalOf } from '../../core/process/refusal.js';
import { planRequest, type SelectedRows } from '../../core/stack/request-plan.js';
import { judgeAction, type RequestTarget, requestTargetOf } from '../../core/stack/selector.js';
import type { ProcessInfo } from '../../core/view.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { filterOf, type NamedOptions, resolveNamed } from '../selection.js';
import { renderProcessTable } from '../views.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  ProgressWatch,
  parseWaitTimeout,
  saysWhatItWaitsFor,
} from '../wait.js';

type Verb = 'start' | 'stop' | 'restart';

interface ActOptions extends ConfigOption, NamedOptions {
  readonly json?: boolean;
  readonly waitTimeout: string;
}

/** Exit 1: a process failed, still waits on a dependency stopped on request, or the wait ran out. */
export function actOn(verb: Verb) {
  return async (names: string[], options: ActOptions): Promise<number> => {
    const waitMs = parseWaitTimeout(options.waitTimeout);
    const client = await connect(options);
    // Every name is checked before anything is done: UNKNOWN_PROCESS or UNKNOWN_NAMESPACE
    // here changes nothing, and neither does a request refused (`start web-1` of a running web-1).
    const selected = await resolveNamed(client, names, options, { required: true });
    const plan = planRequest(verb, await selectedRows(client, names, options));
    if (!plan.ok) throw new OverseerError(plan.refusal.code, plan.refusal.message);
    for (const refusal of plan.leftAlone) {
      process.stderr.write(`overseer: ${refusal.message}: left as it is\n`);
    }
    const paint = painterFor(process.stderr);
    let acting = false;
    const watch = new ProgressWatch(
      client,
      selected.map((info) => info.name),
      // Only what says what it waits for: plain moves are in the table at the end.
      (progress) => {
        if (acting && saysWhatItWaitsFor(progress)) {
          process.stderr.write(`${describeProgress(progress, paint)}\n`);
        }
      },
    );
    await watch.start();
    acting = true;
    try {
      const results = await withDeadline(actOnEach(client, verb, plan.send), waitMs);
      if (results === undefined) {
        const rows = await client.list(filterOf(names, options));
        const waiting = rows.filter(isWaiting);
        process.stderr.write(`overseer: ${describeTimeout(waitMs, waiting, paint)}\n`);
        return 1;
      }
      // Nothing to do: the table shows where the named processes are, as they were left.
      const shown = plan.send.length > 0 ? results : await client.list(filterOf(names, options));
      if (options.json) process.stdout.write(`${JSON.stringify({ processes: shown })}\n`);
      else process.stdout.write(`${renderProcessTable(shown, painterFor(process.stdout))}\n`);
      return reportOutcome(results);
    } finally {
      watch.close();
    }
  };
}

/**
 * The rows each selector of the command stands for, as the supervisor resolves them: one
 * per name (within the namespace), or the namespace's when no name is given.
 */
async function selectedRows(
  client: HttpSupervisorClient,
  names: readonly string[],
  options: NamedOptions,
): Promise<SelectedRows[]> {
  const { namespace } = options;
  if (names.length === 0) {
    return [{ target: { namespace: namespace! }, rows: await client.list({ namespace }) }];
  }
  // Each name once: `stop web web` is one request.
  return Promise.all(
    [...new Set(names)].map(async (name) => ({
      target: requestTargetOf(name, namespace),
      rows: await client.list({ names: [name], namespace }),
    })),
  );
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
    // which comes to the same): it must accept. A process named whole, or `all`, must have
    // one instance that does (a reload or a signal that reaches nothing is refused).
    const single = rows.length === 1 && rows[0]!.name === name;
    const verdict = judgeAction(single, refusals);
    if (!verdict.ok) throw new OverseerError(verdict.refusal.code, verdict.refusal.message);
  }
}

/**
 * Asks for every target at once, then waits for them all: one at a time, a slow first name
 * would hold back the rest, and a `--wait-timeout` running out would leave them never asked.
 */
async function actOnEach(
  client: HttpSupervisorClient,
  verb: Verb,
  targets: readonly RequestTarget[],
): Promise<ProcessInfo[]> {
  const answers = await Promise.all(targets.map((target) => client[verb](target)));
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
