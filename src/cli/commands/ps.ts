/**
 * `ps [NAME…] [-n NS] [--json]`: one row per process, of those named (all when none); under
 * the table, a config change that did not load, while the previous config still runs.
 */
import { clockTime } from '../../core/process/reasons.js';
import type { ConfigRejection } from '../../protocol/daemon-control.js';
import { type ConfigOption, connect } from '../context.js';
import { type Painter, painterFor } from '../output.js';
import { type NamedOptions, resolveNamed } from '../selection.js';
import { renderProcessTable } from '../views.js';

export interface PsOptions extends ConfigOption, NamedOptions {
  readonly json?: boolean;
}

export async function ps(names: readonly string[], options: PsOptions): Promise<number> {
  const client = await connect(options);
  if (options.json) {
    const processes = await resolveNamed(client, names, options);
    process.stdout.write(`${JSON.stringify({ processes })}\n`);
    return 0;
  }
  const [processes, status] = await Promise.all([
    resolveNamed(client, names, options),
    client.status(),
  ]);
  const paint = painterFor(process.stdout);
  process.stdout.write(`${renderProcessTable(processes, paint)}\n`);
  if (status.configRejected) {
    process.stdout.write(`${describeRejection(status.configRejected, paint)}\n`);
  }
  return 0;
}

/** The line under the table while the last edit of the config did not load. */
function describeRejection({ at, issues }: ConfigRejection, paint: Painter): string {
  const head = `config change at ${clockTime(at)} not applied (the previous config still runs):`;
  const lines = issues.map(({ path, message }) => `  ${path ? `${path}: ` : ''}${message}`);
  return [paint('yellow', head), ...lines].join('\n');
}
