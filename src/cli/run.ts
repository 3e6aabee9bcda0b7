/**
 * The end of every `overseer` command: the one place that ends the process, once the
 * command is done.
 */
import type { DaemonSide } from './daemon-side.js';
import { tolerateClosedOutput } from './output.js';
import { runCli } from './program.js';

/** Runs the command line on this process's arguments, then exits with its code. */
export async function runMain(daemonSide: DaemonSide): Promise<void> {
  tolerateClosedOutput();
  const code = await runCli(process.argv, daemonSide);
  // Flush what was printed before exiting: stdout may be a pipe that drains asynchronously
  // (or a closed one, whose write calls back at once with its error).
  process.stdout.write('', () => process.exit(code));
}
