/**
 * `scale NAME N`: run N instances of a process from now on (until its config is applied
 * again). Adds `NAME-k` or stops and removes the highest-numbered ones; the others are not
 * touched. Prints the process's instances once the added ones are at rest.
 */
import { OverseerError } from '../../core/errors.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';
import { describeTimeout, isWaiting, parseWaitTimeout } from '../wait.js';
import { resolveNames, withDeadline } from './act.js';

interface ScaleOptions extends ConfigOption {
  readonly json?: boolean;
  readonly waitTimeout: string;
}

/** Exit 1 when an added instance failed, or the wait ran out; 2 for a bad count or name. */
export async function scale(name: string, count: string, options: ScaleOptions): Promise<number> {
  const instances = parseCount(count);
  const waitMs = parseWaitTimeout(options.waitTimeout);
  const client = await connect(options);
  await resolveNames(client, [name]);
  const rows = await withDeadline(client.scale(name, instances), waitMs);
  if (rows === undefined) {
    const waiting = (await resolveNames(client, [name])).filter(isWaiting);
    process.stderr.write(
      `overseer: ${describeTimeout(waitMs, waiting, painterFor(process.stderr))}\n`,
    );
    return 1;
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ processes: rows })}\n`);
  else process.stdout.write(`${renderProcessTable(rows, painterFor(process.stdout))}\n`);
  return rows.some((row) => row.status === 'failed') ? 1 : 0;
}

/** The N of `scale NAME N`: digits only; its bounds are the supervisor's to judge. */
function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new OverseerError(
      'BAD_REQUEST',
      `N: expected a whole number of instances, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}
