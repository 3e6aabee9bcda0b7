/**
 * `signal SIGNAL NAME… [-n NS]`: sends a signal to the process group of each running instance the
 * names stand for. Every name is checked first; an instance of a process named whole that
 * does not run is reported, not an error.
 */
import type { SignalReport } from '../../core/process/signals.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
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
  // Each instance once, however often the names stand for it (`web web-1`): a process named
  // whole goes first, and a name whose instances were all reached already is not sent again.
  const reached = new Set<string>();
  for (const name of await widestFirst(client, names)) {
    const rows = await resolveNames(client, [name]);
    if (rows.every((row) => reached.has(row.name))) continue;
    const report = await client.signal(name, signalName);
    const fresh = (info: { readonly name: string }) => !reached.has(info.name);
    reports.push({
      ...report,
      signalled: report.signalled.filter(fresh),
      notRunning: report.notRunning.filter(fresh),
    });
    for (const info of [...report.signalled, ...report.notRunning]) reached.add(info.name);
  }
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

/** The names once each, those that stand for the most instances first (`all`, then processes). */
async function widestFirst(client: HttpSupervisorClient, names: readonly string[]) {
  const unique = [...new Set(names)];
  const widths = await Promise.all(
    unique.map(async (name) => (await resolveNames(client, [name])).length),
  );
  return unique
    .map((name, index) => ({ name, width: widths[index]! }))
    .sort((a, b) => b.width - a.width)
    .map(({ name }) => name);
}
