import { OverseerError } from '../../core/errors.js';
import type { LogLine } from '../../core/view.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';

interface LogsOptions extends ConfigOption {
  readonly follow?: boolean;
  readonly lines: string;
  readonly json?: boolean;
}

export async function logs(name: string, options: LogsOptions): Promise<number> {
  const count = Number(options.lines);
  if (!Number.isInteger(count) || count < 1) {
    throw new OverseerError('BAD_REQUEST', `-n: expected a whole number ≥ 1, got ${options.lines}`);
  }
  const client = await connect(options);
  const paint = painterFor(process.stdout);
  const print = (line: LogLine) => {
    const text = options.json
      ? JSON.stringify(line)
      : line.stream === 'stderr'
        ? paint('red', line.text)
        : line.text;
    process.stdout.write(`${text}\n`);
  };
  if (!options.follow) {
    for (const line of await client.logs(name, count)) print(line);
    return 0;
  }
  // Ask once first so an unknown name fails with its own error, not a broken stream.
  await client.logs(name, 1);
  return new Promise((resolve) => {
    const stop = client.followLogs(name, count, print);
    const end = (code: number) => {
      stop();
      resolve(code);
    };
    process.once('SIGINT', () => end(0));
    process.once('SIGTERM', () => end(0));
    client.onBreak = (error) => {
      process.stderr.write(`overseer: ${error.message}\n`);
      end(1);
    };
  });
}
