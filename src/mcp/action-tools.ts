/**
 * The tools that change something: start, stop and restart processes, run a one-off task,
 * retry a dead letter. Registered only when the server was started with `--allow-actions`,
 * so a client that was not given them cannot even see them.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OverseerError } from '../core/errors.js';
import type { RequestTarget } from '../core/stack/selector.js';
import { isFinalTaskStatus } from '../core/tasks/task.js';
import { answer } from './answers.js';
import type { McpContext } from './context.js';
import { processListText } from './process-text.js';
import { taskDetailsText } from './task-text.js';
import { runLine } from './workflow-text.js';

/** How long `run_task` waits for its task unless told, and at most. */
export const DEFAULT_TASK_WAIT_SECONDS = 30;
export const MAX_TASK_WAIT_SECONDS = 600;

const targetShape = {
  name: z
    .string()
    .min(1)
    .optional()
    .describe('a process (all its instances), an instance such as worker-1, or all'),
  namespace: z.string().min(1).optional().describe('every process of this namespace instead'),
};

type ProcessAction = 'start' | 'stop' | 'restart';

const PROCESS_ACTIONS: ReadonlyArray<{
  readonly action: ProcessAction;
  readonly description: string;
  readonly destructive: boolean;
}> = [
  {
    action: 'start',
    description:
      'Start processes (and what they depend on) that are stopped or failed; answers their rows once started.',
    destructive: false,
  },
  {
    action: 'stop',
    description:
      'Stop processes (their whole process tree), and keep them stopped until started again; answers their rows.',
    destructive: true,
  },
  {
    action: 'restart',
    description:
      'Stop then start processes again (a new pid); answers their rows once started again.',
    destructive: true,
  },
];

export function registerActionTools(server: McpServer, context: McpContext): void {
  const { supervisor, withWorkflows, answering, now } = context;

  for (const { action, description, destructive } of PROCESS_ACTIONS) {
    server.registerTool(
      `${action}_process`,
      {
        description: `${description} Give the name, or a namespace.`,
        inputSchema: targetShape,
        annotations: { readOnlyHint: false, destructiveHint: destructive, openWorldHint: false },
      },
      ({ name, namespace }) =>
        answer(answering, async () => {
          const rows = await supervisor[action](targetOf(name, namespace));
          return processListText(rows, now());
        }),
    );
  }

  server.registerTool(
    'run_task',
    {
      description: `Run a one-off command under the supervisor (its slots and limits) and wait for its result: exit code, duration, resource use and the end of its output. One string runs through /bin/sh -c, a list of words directly. Waits ${DEFAULT_TASK_WAIT_SECONDS}s unless told; a task still running then goes on, and get_task reads it later.`,
      inputSchema: {
        command: z
          .union([z.string().min(1), z.array(z.string()).min(1)])
          .describe('a shell line, or the program and its arguments'),
        cwd: z
          .string()
          .min(1)
          .optional()
          .describe("its working folder (default: the config's folder)"),
        env: z.record(z.string(), z.string()).optional().describe('environment variables to add'),
        timeout: z
          .string()
          .optional()
          .describe('stop it after this long, such as 30s or 10m (default: never)'),
        name: z.string().min(1).optional().describe('its name in task lists'),
        wait_seconds: z
          .number()
          .min(0)
          .max(MAX_TASK_WAIT_SECONDS)
          .optional()
          .describe(
            `how long to wait for it to end (default ${DEFAULT_TASK_WAIT_SECONDS}, at most ${MAX_TASK_WAIT_SECONDS})`,
          ),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    ({ wait_seconds, ...definition }) =>
      answer(answering, async () => {
        const id = await supervisor.submitTask(definition);
        const waitMs = (wait_seconds ?? DEFAULT_TASK_WAIT_SECONDS) * 1000;
        const view = await supervisor.waitTask(id, waitMs);
        if (isFinalTaskStatus(view.status)) return taskDetailsText(view);
        return `Task ${id} is ${view.status} after ${waitMs / 1000}s, and goes on: call get_task with {"id":"${id}"} for its result.\n${taskDetailsText(view)}`;
      }),
  );

  server.registerTool(
    'retry_dead_letter',
    {
      description:
        'Take a dead letter back and make its run pending again: a workflow worker resumes it at the failed step. Answers the run.',
      inputSchema: {
        id: z.string().min(1).describe('the dead letter id, as list_dead_letters shows it'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    ({ id }) =>
      answer(answering, async () => {
        const run = await withWorkflows((workflows) => workflows.retryDeadLetter(id));
        return `Run ${run.id} is ${run.status} again; a worker resumes it at the failed step.\n${runLine(run)}`;
      }),
  );
}

/** A process name, or a namespace: one of them. */
function targetOf(name: string | undefined, namespace: string | undefined): RequestTarget {
  if ((name === undefined) === (namespace === undefined)) {
    throw new OverseerError('BAD_REQUEST', 'give either name or namespace (one of them)');
  }
  return name ?? { namespace: namespace! };
}
