/**
 * The stack as a Model Context Protocol server, for coding agents: resources to read and
 * tools to call over a supervisor (`SupervisorApi`) and the project's workflows. Read-only
 * unless `allowActions`: the tools that change something are then registered, and not
 * otherwise, so a client without them does not see them at all.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerActionTools } from './action-tools.js';
import type { McpContext, McpSupervisor, WithWorkflows } from './context.js';
import { registerReadTools } from './read-tools.js';
import { registerResources } from './resources.js';

export interface OverseerMcpOptions {
  readonly supervisor: McpSupervisor;
  readonly withWorkflows: WithWorkflows;
  /** Register start, stop, restart, run_task and retry_dead_letter too. */
  readonly allowActions?: boolean;
  /** Said in every answer that found no daemon: how to start one. */
  readonly noDaemonHint: string;
  /** Strings never to appear in an answer (the API token). */
  readonly secrets?: readonly string[];
  /** The server's version, as it introduces itself. */
  readonly version: string;
  readonly now?: () => number;
}

const INSTRUCTIONS =
  'overseer supervises the processes of this project (services, workers, scheduled jobs), its one-off tasks and durable workflow runs. Start with list_processes; inspect_process and read_logs explain a process that failed or restarts. read_logs answers a page at a time and ends with the cursor of the page before it.';

export function createOverseerMcpServer(options: OverseerMcpOptions): McpServer {
  const server = new McpServer(
    { name: 'overseer', version: options.version },
    { instructions: INSTRUCTIONS },
  );
  const context: McpContext = {
    supervisor: options.supervisor,
    withWorkflows: options.withWorkflows,
    now: options.now ?? Date.now,
    answering: {
      noDaemonHint: options.noDaemonHint,
      secrets: options.secrets ?? [],
      knownNames: async () => (await options.supervisor.list()).map((row) => row.name),
    },
  };
  registerReadTools(server, context);
  if (options.allowActions) registerActionTools(server, context);
  registerResources(server, context);
  return server;
}
