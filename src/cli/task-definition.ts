/**
 * The task `overseer run` submits, from its options and command: the definition a
 * supervisor checks (so its refusals name the same keys as `POST /tasks`). What only the
 * command line can get wrong (a `-e` without `=`) is refused here, naming the argument.
 */
import { resolve } from 'node:path';
import { OverseerError } from '../core/errors.js';

export interface RunOptions {
  readonly timeout?: string;
  readonly priority?: string;
  readonly memory?: string;
  readonly cpu?: string;
  readonly cwd?: string;
  readonly env?: readonly string[];
  readonly name?: string;
  readonly label?: readonly string[];
  readonly retry?: string;
  /** Give the task this command's stdin. */
  readonly stdin?: boolean;
}

/**
 * `remote`: the task goes to a supervisor on another machine, where this folder means
 * nothing: it runs in `--cwd` as given (relative to the config's folder there), else there.
 */
export function taskDefinitionOf(
  words: readonly string[],
  options: RunOptions,
  { remote = false } = {},
): Record<string, unknown> {
  if (words.length === 0) throw usage('give the command after --: overseer run -- CMD [ARG…]');
  const limits = {
    ...(options.memory !== undefined && { memory: options.memory }),
    ...(options.cpu !== undefined && { cpu: options.cpu }),
  };
  return {
    // One string is a shell line, as a process's `command` string is; words run directly.
    command: words.length === 1 ? words[0] : [...words],
    // The folder the user is in: a daemon would otherwise run it in the config's folder.
    ...(remote
      ? options.cwd !== undefined && { cwd: options.cwd }
      : { cwd: resolve(process.cwd(), options.cwd ?? '.') }),
    ...(options.env && options.env.length > 0 && { env: pairsOf('--env', options.env) }),
    ...(options.label && options.label.length > 0 && { labels: pairsOf('--label', options.label) }),
    ...(options.name !== undefined && { name: options.name }),
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    ...(options.priority !== undefined && { priority: options.priority }),
    ...(Object.keys(limits).length > 0 && { limits }),
    ...(options.retry !== undefined && { retry: { attempts: attemptsOf(options.retry) } }),
  };
}

/**
 * This command's stdin, read to its end, for `--stdin`. A terminal is refused: it would
 * wait for an end of input the user does not know to type.
 */
export async function ownStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) {
    throw usage(
      '--stdin: stdin is a terminal: pipe the input in (… | overseer run --stdin -- CMD)',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function pairsOf(option: string, pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw usage(`${option}: expected KEY=VALUE, got ${JSON.stringify(pair)}`);
    result[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return result;
}

function attemptsOf(raw: string): number {
  const attempts = Number(raw);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw usage(`--retry: expected a whole number of tries ≥ 1, got ${JSON.stringify(raw)}`);
  }
  return attempts;
}

function usage(message: string): OverseerError {
  return new OverseerError('BAD_REQUEST', message);
}
