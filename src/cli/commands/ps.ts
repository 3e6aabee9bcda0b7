import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';

export async function ps(options: ConfigOption & { json?: boolean }): Promise<number> {
  const processes = await (await connect(options)).list();
  if (options.json) process.stdout.write(`${JSON.stringify({ processes })}\n`);
  else process.stdout.write(`${renderProcessTable(processes, painterFor(process.stdout))}\n`);
  return 0;
}
