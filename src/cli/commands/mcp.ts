/**
 * `overseer mcp [--allow-actions] [-f FILE | --api URL --token T]`: the stack as a Model
 * Context Protocol server on stdio, for coding agents. Stdout carries protocol messages and
 * nothing else (what the server has to say goes to stderr); the server runs until its client
 * closes stdin. It starts whether or not a daemon runs: each answer that needs one says how
 * to start it.
 */
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import type { WithWorkflows } from '../../mcp/context.js';
import { createOverseerMcpServer } from '../../mcp/server.js';
import { serveStdio } from '../../mcp/stdio.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import { clientAt, openProject } from '../context.js';
import { remoteClient } from '../remote.js';
import { VERSION } from '../version.js';
import { type WorkflowsOptions, withWorkflows } from '../workflows-access.js';

export interface McpOptions extends WorkflowsOptions {
  readonly allowActions?: boolean;
}

interface Reach {
  readonly supervisor: HttpSupervisorClient;
  readonly withWorkflows: WithWorkflows;
  readonly noDaemonHint: string;
  readonly where: string;
}

export async function mcp(options: McpOptions): Promise<number> {
  keepStdoutForProtocol();
  const reach = await reachOf(options);
  const server = createOverseerMcpServer({
    supervisor: reach.supervisor,
    withWorkflows: reach.withWorkflows,
    allowActions: options.allowActions === true,
    noDaemonHint: reach.noDaemonHint,
    secrets: await tokensOf(options),
    version: VERSION,
  });
  const mode = options.allowActions ? 'actions allowed' : 'read-only';
  process.stderr.write(`overseer mcp: serving ${reach.where} on stdio (${mode})\n`);
  await serveStdio(server);
  return 0;
}

/** The supervisor `--api` names, or the one of the config (`-f`, or found here). */
async function reachOf(options: McpOptions): Promise<Reach> {
  const remote = remoteClient(options);
  if (remote) {
    return {
      supervisor: remote,
      withWorkflows: (use) => use(remote.workflows),
      noDaemonHint: `Nothing answers at ${options.api}: start the daemon on that machine (overseer up -d, with settings.api.listen) or check the URL.`,
      where: `the daemon at ${options.api}`,
    };
  }
  const configPath = findConfigFile(process.cwd(), options.file);
  const stateDir = await locateStateDir(configPath);
  return {
    supervisor: clientAt(stateDir),
    withWorkflows: (use) => withWorkflows(options, use),
    noDaemonHint: `No overseer daemon runs for ${configPath}: start one with \`overseer up -d -f ${configPath}\` (or \`overseer up -d\` in its folder), then ask again.`,
    where: configPath,
  };
}

/**
 * The API tokens no answer may show: the one `--api` is given, `OVERSEER_TOKEN` whenever it
 * is set (the config's `${OVERSEER_TOKEN}` most often), and the one the config gives its
 * daemon's TCP listener (a process may well print it). A config that does not load gives
 * none of its own: the daemon says what is wrong with it when asked.
 */
export async function tokensOf(options: McpOptions): Promise<string[]> {
  const tokens = [options.token, process.env.OVERSEER_TOKEN];
  if (options.api === undefined) {
    const project = await openProject(options).catch(() => undefined);
    tokens.push(project?.settings.api.token);
  }
  return [
    ...new Set(tokens.filter((token): token is string => token !== undefined && token !== '')),
  ];
}

/**
 * Sends whatever would print on stdout (a library's `console.log`) to stderr instead: a
 * stray line on stdout would break the protocol for the client.
 */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}
