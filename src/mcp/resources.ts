/**
 * The stack as resources a client can attach to a conversation: the processes, each one in
 * detail and its recent logs, the tasks, the workflow runs and the dead letters. The same
 * texts as the tools answer; a failure is a protocol error saying what was wrong.
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ListResourcesResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { OverseerError } from '../core/errors.js';
import { failureText, redact } from './answers.js';
import type { McpContext } from './context.js';
import { logPageText } from './log-answer.js';
import { processDetailsText, processListText } from './process-text.js';
import { taskListText } from './task-text.js';
import { deadLetterListText, runListText } from './workflow-text.js';

const TEXT = 'text/plain';

export function registerResources(server: McpServer, context: McpContext): void {
  const { supervisor, withWorkflows, now } = context;
  const read = (compute: () => Promise<string>) => (uri: URL) => readAs(uri, context, compute);
  const perProcess = (suffix: string, title: string) =>
    new ResourceTemplate(`overseer://processes/{name}${suffix}`, {
      list: () => processResources(context, suffix, title),
    });

  server.registerResource(
    'processes',
    'overseer://processes',
    {
      title: 'Processes',
      description: 'Every process: status, health, pid, uptime, restarts, cpu, memory, and why',
      mimeType: TEXT,
    },
    read(async () => processListText(await supervisor.list(), now())),
  );
  // Before the process itself: its pattern would not take the slash, but the order says so.
  server.registerResource(
    'process-logs',
    perProcess('/logs', 'logs'),
    {
      title: 'Recent logs of a process',
      description: 'The newest lines of a process; read_logs pages further back',
      mimeType: TEXT,
    },
    (uri, { name }) => readAs(uri, context, () => logPageText(supervisor, { name: nameOf(name) })),
  );
  server.registerResource(
    'process',
    perProcess('', 'details'),
    {
      title: 'One process',
      description: 'Everything known about one process, as inspect_process answers it',
      mimeType: TEXT,
    },
    (uri, { name }) =>
      readAs(uri, context, async () =>
        processDetailsText(await supervisor.get(nameOf(name)), now()),
      ),
  );
  server.registerResource(
    'tasks',
    'overseer://tasks',
    { title: 'Tasks', description: 'One-off tasks, not ended first, then newest', mimeType: TEXT },
    read(async () => taskListText(await supervisor.listTasks())),
  );
  server.registerResource(
    'workflows',
    'overseer://workflows',
    { title: 'Workflow runs', description: 'Durable workflow runs, newest first', mimeType: TEXT },
    read(async () => runListText(await withWorkflows((workflows) => workflows.runs()))),
  );
  server.registerResource(
    'dead-letters',
    'overseer://dead-letters',
    {
      title: 'Dead letters',
      description: 'Workflow steps out of retries, newest first',
      mimeType: TEXT,
    },
    read(async () =>
      deadLetterListText(await withWorkflows((workflows) => workflows.deadLetters())),
    ),
  );
}

/** The text as the resource's content, or its failure as an error saying what was wrong. */
async function readAs(
  uri: URL,
  context: McpContext,
  compute: () => Promise<string>,
): Promise<ReadResourceResult> {
  const { secrets } = context.answering;
  let text: string;
  try {
    text = await compute();
  } catch (error) {
    throw new Error(redact(await failureText(error, context.answering), secrets));
  }
  return { contents: [{ uri: uri.href, mimeType: TEXT, text: redact(text, secrets) }] };
}

/**
 * One resource per process; none while no supervisor answers (the fixed resources say why
 * when read), so that listing the resources never fails.
 */
async function processResources(
  context: McpContext,
  suffix: string,
  title: string,
): Promise<ListResourcesResult> {
  const rows = await Promise.resolve(context.supervisor.list()).catch(() => []);
  return {
    resources: rows.map((row) => ({
      uri: `overseer://processes/${encodeURIComponent(row.name)}${suffix}`,
      name: `${row.name} ${title}`,
      mimeType: TEXT,
    })),
  };
}

/** A template variable as one name. */
function nameOf(value: string | string[] | undefined): string {
  const name = Array.isArray(value) ? value[0] : value;
  if (name === undefined || name === '') {
    throw new OverseerError('BAD_REQUEST', 'the resource names no process');
  }
  return decodeURIComponent(name);
}
