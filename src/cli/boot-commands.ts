/**
 * The commands that put the stack under systemd, to run at boot: `startup` and
 * `unstartup`. Each action is loaded only when it runs.
 */
import type { CommandKit } from './command-kit.js';
import type { StartupOptions } from './commands/startup.js';

/** `overseer startup`: a systemd unit that runs the stack at boot. */
export function defineStartup({ program, lazy, fileOption }: CommandKit): void {
  program
    .command('startup')
    .description('run the stack at boot: write and enable a systemd unit (or print it)')
    .addOption(fileOption())
    .option('--user', "a unit of the user's own systemd (~/.config/systemd/user), no root needed")
    .option('--print', 'print the unit on stdout; write nothing')
    .option('--force', 'replace a different unit of the same name')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer startup --user\n  sudo overseer startup\n  overseer startup --print > overseer-shop.service',
    )
    .action(
      lazy(
        async () =>
          (await import('./commands/startup.js')).startup as (
            options: StartupOptions,
          ) => Promise<number>,
      ),
    );
}

/** `overseer unstartup`: the unit of `startup` stopped, disabled and removed. */
export function defineUnstartup({ program, lazy, fileOption }: CommandKit): void {
  program
    .command('unstartup')
    .description('stop, disable and remove the systemd unit of startup')
    .addOption(fileOption())
    .option('--user', "the unit of the user's own systemd")
    .addHelpText('after', '\nExamples:\n  overseer unstartup --user\n  sudo overseer unstartup')
    .action(lazy(async () => (await import('./commands/startup.js')).unstartup));
}
