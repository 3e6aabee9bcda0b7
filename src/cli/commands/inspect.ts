import type { ProcessDetails } from '../../core/view.js';
import { type ConfigOption, connect } from '../context.js';
import { formatUptime, type Painter, painterFor, renderTable } from '../output.js';
import { renderProcessTable } from '../views.js';

export async function inspect(
  name: string,
  options: ConfigOption & { json?: boolean },
): Promise<number> {
  const details = await (await connect(options)).get(name);
  if (options.json) process.stdout.write(`${JSON.stringify(details)}\n`);
  else process.stdout.write(`${renderDetails(details, painterFor(process.stdout))}\n`);
  return 0;
}

function renderDetails(details: ProcessDetails, paint: Painter): string {
  const { spec, runs } = details;
  const runRows = runs.map((run) => [
    String(run.pid),
    run.startedAt,
    run.endedAt ?? 'running',
    run.runMs === null ? '-' : formatUptime(run.runMs),
    run.signal ?? (run.exitCode === null ? '-' : String(run.exitCode)),
    run.killedAfterTimeout ? 'yes' : '',
    run.reason ?? '',
  ]);
  return [
    renderProcessTable([details], paint),
    '',
    paint('bold', 'spec'),
    JSON.stringify(spec, null, 2),
    '',
    paint('bold', `runs (last ${runs.length})`),
    renderTable(
      ['PID', 'STARTED', 'ENDED', 'RAN', 'EXIT', 'KILLED AFTER TIMEOUT', 'REASON'],
      runRows,
    ),
  ].join('\n');
}
