/**
 * `signal SIGNAL NAME… [-n NS]`: sends a signal to the process group of each running instance the
 * names stand for. Every name is checked first; an instance of a process named whole that
 * does not run is reported, not an error.
 */
import type { SignalReport } from '../../core/process/signals.js';
import { type ConfigOption, connect } from '../context.js';
import { colourOf, painterFor } from '../output.js';
import { type NamedOptions, processNamesOf } from '../selection.js';
import { assertAccepted, resolveNames } from './act.js';

interface SignalOptions extends ConfigOption, NamedOptions {
  readonly json?: boolean;
}

/** Exit 0 once sent; 1 when nothing selected runs; 2 for a bad signal or name. */
export async function signal(
  signalName: string,
  given: string[],
  options: SignalOptions,
): Promise<number> {
  const client = await connect(options);
  const names = await processNamesOf(client, given, options);
  await resolveNames(client, names);
  await assertAccepted(client, 'signal', names);
  const reports: SignalReport[] = [];
  for (const name of names) reports.push(await client.signal(name, signalName));
  const sent = reports.flatMap((report) => report.signalled);
  const notRunning = reports.flatMap((report) => report.notRunning);
  const full = reports[0]?.signal ?? signalName;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ signal: full, signalled: sent, notRunning })}\n`);
    return 0;
  }
  const paint = painterFor(process.stdout);
  const lines = [
    ...sent.map(
      (info) => `sent ${full} to ${paint(colourOf(info.name), info.name)} (pid ${info.pid})`,
    ),
    ...notRunning.map(
      (info) =>
        `${paint(colourOf(info.name), info.name)} is not running (${info.status}): not signalled`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
