import type { ProcessInfo } from '../../core/view.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';

type Verb = 'start' | 'stop' | 'restart';

/** `start|stop|restart NAME…`: every name in turn; the first error stops and is reported. */
export function actOn(verb: Verb) {
  return async (names: string[], options: ConfigOption & { json?: boolean }): Promise<number> => {
    const client = await connect(options);
    const results: ProcessInfo[] = [];
    for (const name of names) results.push(...(await client[verb](name)));
    if (options.json) process.stdout.write(`${JSON.stringify({ processes: results })}\n`);
    else process.stdout.write(`${renderProcessTable(results, painterFor(process.stdout))}\n`);
    return results.some((info) => info.status === 'failed') ? 1 : 0;
  };
}
