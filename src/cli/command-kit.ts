/**
 * What every command definition of the program is built with: the program itself,
 * commander's `Option`, the one wrapper of lazily loaded actions, the config file option and
 * what the CLI needs of the daemon. Types only: commander is loaded by the program, and only
 * when it has a command line to parse.
 */
import type { Command, Option } from 'commander';
import type { DaemonSide } from './daemon-side.js';

/** An action as a command's module exports it: resolves with its exit code (none: 0). */
export type Action = (...args: never[]) => Promise<number | undefined>;

/** The program being built, and what its command definitions share. */
export interface CommandKit {
  readonly program: Command;
  readonly Option: typeof Option;
  /**
   * Wraps a lazily imported action so its exit code is kept; `printsOnly`: it ends, with 0,
   * once its reader has gone (`logs -f | head`).
   */
  readonly lazy: <A extends Action>(
    load: () => Promise<A>,
    options?: { printsOnly?: boolean },
  ) => (...args: Parameters<A>) => Promise<void>;
  /** `-f, --file <file>`: the config file. */
  readonly fileOption: () => Option;
  readonly daemonSide: DaemonSide;
}
