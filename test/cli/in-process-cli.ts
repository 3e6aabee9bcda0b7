/**
 * The `overseer` command line run in the test's own process: `runCli`, the function behind
 * the built binary, with what it prints to stdout and stderr captured and its exit code.
 * For tables of rows that prove what a command answers to many inputs: each row costs
 * milliseconds here against a node start through the binary. The binary itself stays
 * proven by a few rows that go through it.
 *
 * Only for commands that start no daemon: the daemon's side throws if asked for.
 */
import { vi } from 'vitest';
import type { DaemonSide } from '../../src/cli/daemon-side.js';
import { runCli } from '../../src/cli/program.js';

export interface InProcessResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const noDaemon = (): never => {
  throw new Error('the command line run in-process cannot start or reach a daemon');
};

const NO_DAEMON_SIDE: DaemonSide = {
  executable: '/nonexistent/overseer',
  open: noDaemon,
  prepare: noDaemon,
  lockHolder: noDaemon,
  stopLeftovers: noDaemon,
};

/**
 * Runs `overseer ARGS…` in this process. Output is captured for the whole process while it
 * runs, so calls must not overlap: await each before the next.
 */
export async function runInProcess(args: readonly string[]): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: unknown, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      // A write's callback, when given, is its last argument: call it as the stream would.
      const callback = rest.at(-1);
      if (typeof callback === 'function') queueMicrotask(() => callback());
      return true;
    };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(
    capture((text) => {
      stdout += text;
    }) as typeof process.stdout.write,
  );
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(
    capture((text) => {
      stderr += text;
    }) as typeof process.stderr.write,
  );
  try {
    const exitCode = await runCli(['node', 'overseer', ...args], NO_DAEMON_SIDE);
    return { exitCode, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
