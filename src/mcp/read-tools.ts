/**
 * The tools that only read: processes, logs, tasks, workflow runs and dead letters. Each
 * has a description a model can choose by and a zod schema of its input.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OverseerError } from '../core/errors.js';
import type { Status } from '../core/process/state.js';
import { STATUSES } from '../core/stack/process-filter.js';
import type { TaskStatus } from '../core/tasks/task.js';
import { TASK_STATUSES } from '../core/tasks/task-filter.js';
import { RUN_STATUSES, type RunStatus } from '../core/workflows/records.js';
import { MAX_WORKFLOW_LIMIT } from '../protocol/workflows-api.js';
import { answer } from './answers.js';
import type { McpContext } from './context.js';
import { logPageText } from './log-answer.js';
import { DEFAULT_PAGE_LINES, MAX_PAGE_LINES } from './log-pages.js';
import { processDetailsText, processListText } from './process-text.js';
import { taskDetailsText, taskListText } from './task-text.js';
import { deadLetterListText, runDetailsText, runListText } from './workflow-text.js';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

const processName = z
  .string()
  .min(1)
  .describe('a process (all its instances), an instance such as worker-1, or all');
const limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_WORKFLOW_LIMIT)
  .optional()
  .describe(`at most this many, newest first (default 100, at most ${MAX_WORKFLOW_LIMIT})`);

export function registerReadTools(server: McpServer, context: McpContext): void {
  const { supervisor, withWorkflows, answering, now } = context;

  server.registerTool(
    'list_processes',
    {
      description:
        'The processes of the stack, one line each: status, health, pid, uptime, restarts, cpu, memory, health score, and why it is where it is (what a pending one waits for, why one failed). Narrow by namespace or status.',
      inputSchema: {
        namespace: z.string().min(1).optional().describe('only processes of this namespace'),
        status: z
          .array(z.enum(STATUSES as [Status, ...Status[]]))
          .optional()
          .describe('only processes in any of these statuses'),
      },
      annotations: READ_ONLY,
    },
    ({ namespace, status }) =>
      answer(answering, async () => {
        const filter = {
          ...(namespace !== undefined && { namespace }),
          ...(status !== undefined && status.length > 0 && { status }),
        };
        return processListText(await supervisor.list(filter), now());
      }),
  );

  server.registerTool(
    'inspect_process',
    {
      description:
        'Everything known about one process: its state and why, health score and its reasons, its spec (environment variable names only), its recent runs with exit codes, resource samples and limit breaches.',
      inputSchema: {
        name: z.string().min(1).describe('a process of one instance, or an instance (worker-1)'),
      },
      annotations: READ_ONLY,
    },
    ({ name }) =>
      answer(answering, async () => {
        const rows = await supervisor.list({ names: [name] });
        if (rows.length !== 1) {
          const instances = rows.map((row) => row.name).join(', ');
          throw new OverseerError(
            'BAD_REQUEST',
            `${name} stands for ${rows.length} instances (${instances}): inspect one of them`,
          );
        }
        return processDetailsText(await supervisor.get(rows[0]!.name), now());
      }),
  );

  server.registerTool(
    'read_logs',
    {
      description: `The newest lines a process printed (stdout and stderr, from its log files), oldest first, a page at a time: ${DEFAULT_PAGE_LINES} lines unless told, cut to fit a model's context. The answer ends with the cursor of the page before it: pass it back as \`before\` to read further back.`,
      inputSchema: {
        name: processName,
        lines: z
          .number()
          .int()
          .min(1)
          .max(MAX_PAGE_LINES)
          .optional()
          .describe(`how many lines (default ${DEFAULT_PAGE_LINES}, at most ${MAX_PAGE_LINES})`),
        before: z
          .string()
          .optional()
          .describe('the cursor a previous answer gave: the page of lines older than it'),
        grep: z.string().optional().describe('a regular expression: only lines whose text matches'),
      },
      annotations: READ_ONLY,
    },
    (request) => answer(answering, () => logPageText(supervisor, request)),
  );

  server.registerTool(
    'list_tasks',
    {
      description:
        'One-off tasks of the supervisor (`overseer run`), not ended first, then ended ones newest first: id, name, status, exit code, duration, peak memory, and why it ended so.',
      inputSchema: {
        status: z
          .array(z.enum(TASK_STATUSES as [TaskStatus, ...TaskStatus[]]))
          .optional()
          .describe('only tasks in any of these statuses'),
      },
      annotations: READ_ONLY,
    },
    ({ status }) =>
      answer(answering, async () => {
        const filter = status !== undefined && status.length > 0 ? { status } : {};
        return taskListText(await supervisor.listTasks(filter));
      }),
  );

  server.registerTool(
    'get_task',
    {
      description:
        'One task by id: where it is, and once ended its result: exit code, signal, duration, resource use, limit breaches, and the end of its captured stdout and stderr.',
      inputSchema: { id: z.string().min(1).describe('the task id, as list_tasks shows it') },
      annotations: READ_ONLY,
    },
    ({ id }) => answer(answering, async () => taskDetailsText(await supervisor.getTask(id))),
  );

  server.registerTool(
    'list_workflows',
    {
      description:
        'Durable workflow runs, newest first: id, workflow, status, steps done, failures, last error.',
      inputSchema: {
        workflow: z.string().min(1).optional().describe('only runs of this workflow'),
        status: z
          .array(z.enum(RUN_STATUSES as [RunStatus, ...RunStatus[]]))
          .optional()
          .describe('only runs in any of these statuses'),
        limit,
      },
      annotations: READ_ONLY,
    },
    ({ workflow, status, limit }) =>
      answer(answering, async () => {
        const query = {
          ...(workflow !== undefined && { workflow }),
          ...(status !== undefined && status.length > 0 && { status }),
          ...(limit !== undefined && { limit }),
        };
        return runListText(await withWorkflows((workflows) => workflows.runs(query)));
      }),
  );

  server.registerTool(
    'get_workflow_run',
    {
      description:
        'One workflow run by id: its input, output or error, each recorded step with its output and attempts, and its dead letters.',
      inputSchema: { id: z.string().min(1).describe('the run id, as list_workflows shows it') },
      annotations: READ_ONLY,
    },
    ({ id }) =>
      answer(answering, async () =>
        runDetailsText(await withWorkflows((workflows) => workflows.run(id))),
      ),
  );

  server.registerTool(
    'list_dead_letters',
    {
      description:
        'Dead letters, newest first: workflow steps that ran out of retries, with their run, step, attempts and error. retry_dead_letter (with --allow-actions) resumes a run at its failed step.',
      inputSchema: {
        workflow: z.string().min(1).optional().describe('only letters of this workflow'),
        limit,
      },
      annotations: READ_ONLY,
    },
    ({ workflow, limit }) =>
      answer(answering, async () => {
        const query = {
          ...(workflow !== undefined && { workflow }),
          ...(limit !== undefined && { limit }),
        };
        return deadLetterListText(await withWorkflows((workflows) => workflows.deadLetters(query)));
      }),
  );
}
