/**
 * `overseer completion bash|zsh|fish`: the script that makes a shell complete overseer's
 * commands, options and the config's process names. What it offers is answered on each Tab
 * by `overseer __complete` (completion/complete.ts), which the program runs before commander
 * parses anything.
 */
import type { CommandKit } from './command-kit.js';
import { SHELLS, type Shell } from './completion/scripts.js';

/** `overseer completion SHELL`. */
export function defineCompletion({ program, lazy }: CommandKit): void {
  const shell = program.createArgument('<shell>', 'the shell to complete in').choices(SHELLS);
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(shell)
    .addHelpText(
      'after',
      '\nExamples:\n  source <(overseer completion bash)\n  overseer completion zsh > ~/.zfunc/_overseer   # a folder of $fpath\n  overseer completion fish > ~/.config/fish/completions/overseer.fish',
    )
    .action(
      lazy(async () => {
        const { completionScript } = await import('./completion/scripts.js');
        return async (chosen: Shell) => {
          process.stdout.write(completionScript(chosen));
          return 0;
        };
      }),
    );
}
