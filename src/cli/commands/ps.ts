/** `ps [NAME…] [-n NS] [--json]`: one row per process, of those named (all when none). */
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { type NamedOptions, resolveNamed } from '../selection.js';
import { renderProcessTable } from '../views.js';

export interface PsOptions extends ConfigOption, NamedOptions {
  readonly json?: boolean;
}

export async function ps(names: readonly string[], options: PsOptions): Promise<number> {
  const processes = await resolveNamed(await connect(options), names, options);
  if (options.json) process.stdout.write(`${JSON.stringify({ processes })}\n`);
  else process.stdout.write(`${renderProcessTable(processes, painterFor(process.stdout))}\n`);
  return 0;
}
