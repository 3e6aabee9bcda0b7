/**
 * The commands for coding agents: `mcp`, the stack as a Model Context Protocol server. Its
 * action is loaded only when it runs.
 */
import type { CommandKit } from './command-kit.js';

/** `overseer mcp [--allow-actions]`. */
export function defineMcp({ program, lazy, fileOption }: CommandKit): void {
  program
    .command('mcp')
    .description(
      'serve the stack to coding agents over the Model Context Protocol on stdio (read-only unless --allow-actions)',
    )
    .addOption(fileOption())
    .option(
      '--allow-actions',
      'also offer start_process, stop_process, restart_process, run_task and retry_dead_letter',
    )
    .option(
      '--api <url>',
      "a daemon's TCP listener (settings.api.listen), e.g. http://10.0.0.5:9615",
    )
    .option('--token <token>', 'its bearer token (default: OVERSEER_TOKEN)')
    .addHelpText(
      'after',
      '\nSee docs/agents.md for the tools, the resources and client configurations.\n\nExamples:\n  overseer mcp\n  overseer mcp --allow-actions -f ./overseer.yaml\n  OVERSEER_TOKEN=… overseer mcp --api http://10.0.0.5:9615',
    )
    .action(lazy(async () => (await import('./commands/mcp.js')).mcp, { printsOnly: true }));
}
