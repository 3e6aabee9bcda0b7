/**
 * The commands that read and print: `ps`, `logs`, `inspect`, `validate`, `top`. One
 * definition a function, so the program lists them in the order of `--help`; each action is
 * loaded only when it runs.
 */
import type { CommandKit } from './command-kit.js';
import { localOnly, withRemoteOptions } from './remote-options.js';
import { namespaceOption } from './selection.js';

/** `overseer ps`: one row per process. */
export function definePs({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('ps')
    .description(
      'one row per process: namespace, status, health, pid, restarts, uptime, cpu, memory',
    )
    .argument('[names...]', 'processes (all their instances), instances (worker-1), or all')
    .addOption(fileOption())
    .addOption(namespaceOption(Option))
    .option('--json', 'print {"processes": [...]} as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer ps\n  overseer ps -n backend\n  overseer ps --json | jq ".processes[].status"\n  OVERSEER_TOKEN=… overseer ps --api http://10.0.0.5:9615',
    )
    .action(lazy(async () => (await import('./commands/ps.js')).ps));
}

/** `overseer logs`: the last lines of processes, merged by time, then followed with -f. */
export function defineLogs({ program, Option, lazy }: CommandKit): void {
  const command = program
    .command('logs')
    .description(
      'the last lines of processes (from their log files), merged by time, then follow with -f',
    )
    .argument('[names...]', 'processes (all their instances) or instances; none: every process')
    // -f means follow here, as in tail: the config file is --file only.
    .addOption(new Option('--file <file>', 'config file (default: ./overseer.yaml)'))
    // -n is the line count here, as in tail: the namespace is --namespace only.
    .addOption(namespaceOption(Option, '--namespace <namespace>'))
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <count>', 'how many lines', '100')
    .option('--since <time>', 'only lines since an ISO time, or a duration ago (10m, 2h)')
    .option('--grep <regex>', 'only lines whose text matches')
    .option(
      '--json',
      'one JSON object per line: {at, name, stream, text} (the record itself with --supervisor)',
    )
    .option('--supervisor', "the supervisor's own log (time, level, category, message, fields)");
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer logs\n  overseer logs api -n 50\n  overseer logs worker-0 -f\n  overseer logs api --since 10m --grep "error|warn" --json\n  overseer logs --supervisor --grep probe',
    )
    .action(lazy(async () => (await import('./commands/logs.js')).logs, { printsOnly: true }));
}

/** `overseer inspect NAME`: everything known about one process. */
export function defineInspect({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('inspect')
    .description('everything known about a process: spec, state, runs, probes')
    .argument('<name>', 'a process of one instance, or an instance (worker-1)')
    .addOption(fileOption())
    .addOption(namespaceOption(Option))
    .option('--json', 'print as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer inspect api --json\n  overseer inspect web -n frontend',
    )
    .action(lazy(async () => (await import('./commands/inspect.js')).inspect));
}

/** `overseer validate`: the config checked, and what would start, in order. */
export function defineValidate({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('validate')
    .description('check the config and print what would start, in order')
    .addOption(fileOption())
    .option('--json', 'print the normalized processes and start order as JSON');
  localOnly(command, Option, 'checks a config file on this machine and talks to no supervisor')
    .addHelpText('after', '\nExample:\n  overseer validate -f overseer.yaml')
    .action(lazy(async () => (await import('./commands/validate.js')).validate));
}

/** `overseer top`: a live view of a running supervisor. */
export function defineTop({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('top')
    .description("a live view of a running supervisor: this folder's, or a remote one")
    .addOption(fileOption());
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer top\n  OVERSEER_TOKEN=… overseer top --api http://10.0.0.5:9615',
    )
    .action(lazy(async () => (await import('./commands/top.js')).top, { printsOnly: true }));
}
