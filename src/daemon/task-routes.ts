/**
 * The task routes of docs/http-api.md: `POST /tasks` queues one (202 with its id),
 * `GET /tasks` lists them, `GET /tasks/:id` shows one (`?wait=30s` long-polls for its end),
 * `DELETE /tasks/:id` cancels it, `GET /tasks/:id/logs` reads its output from its log file
 * (`?follow=true` streams it until the task ends).
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { OverseerError } from '../core/errors.js';
import { taskFilterOf } from '../core/tasks/task-filter.js';
import { parseDuration } from '../core/units.js';
import type { SupervisorApi } from '../protocol/api.js';
import { readLogTail } from '../runtime/logs/log-files.js';
import { jsonObject } from './control-routes.js';
import { OpenStreams } from './open-streams.js';
import { pipeToStream } from './sse-pipe.js';

/** Longest a `GET /tasks/:id?wait=` is held open: a client wanting longer asks again. */
export const MAX_TASK_WAIT_MS = 5 * 60_000;

/**
 * Adds the task routes to `app`, acting on `supervisor`; the output of a task is read from
 * `<taskLogDir>/<id>.log` (absent: a supervisor keeping no files, whose tasks have none).
 */
export function addTaskRoutes(
  app: Hono,
  supervisor: SupervisorApi,
  taskLogDir: string | undefined,
  /** Resolves once what task `id` wrote is in its file (a supervisor of this process). */
  written: (id: string) => Promise<void> = async () => {},
  /** Where each follow stream is tracked until it is over. */
  streams: OpenStreams = new OpenStreams(),
): void {
  app.post('/tasks', async (c) => {
    const definition = jsonObject(await c.req.text(), 'the task: {"command": …}');
    return c.json({ id: await supervisor.submitTask(definition) }, 202);
  });

  app.get('/tasks', async (c) => {
    const filter = taskFilterOf(c.req.queries('status'), c.req.queries('label'));
    return c.json({ tasks: await supervisor.listTasks(filter) });
  });

  app.get('/tasks/:id', async (c) => {
    const id = c.req.param('id');
    const wait = c.req.query('wait');
    if (wait === undefined) return c.json(await supervisor.getTask(id));
    return c.json(await supervisor.waitTask(id, parseWait(wait)));
  });

  app.delete('/tasks/:id', async (c) => c.json(await supervisor.cancelTask(c.req.param('id'))));

  app.get('/tasks/:id/logs', async (c) => {
    const id = c.req.param('id');
    // NOT_FOUND for an unknown task before anything is read or streamed.
    await supervisor.getTask(id);
    if (c.req.query('follow') !== 'true') {
      // A task that just ended may have its last lines on their way to the disk.
      await written(id);
      const lines =
        taskLogDir === undefined
          ? []
          : await readLogTail(taskLogDir, id, { lines: Number.POSITIVE_INFINITY });
      return c.json({ lines });
    }
    return streamSSE(c, (stream) =>
      streams.track(
        pipeToStream(stream, (send, finish) =>
          supervisor.followTask(
            id,
            ({ at, stream: from, text }) => send('line', { at, stream: from, text }),
            (view) => {
              send('end', view);
              finish();
            },
          ),
        ),
      ),
    );
  });
}

/** `?wait=30s`: a duration, at most `MAX_TASK_WAIT_MS` (longer is cut to it). */
function parseWait(raw: string): number {
  const ms = parseDuration(raw);
  if (ms === undefined || ms < 0) {
    throw new OverseerError(
      'BAD_REQUEST',
      `wait: expected a duration such as 30s or 500ms, got ${JSON.stringify(raw)}`,
    );
  }
  return Math.min(ms, MAX_TASK_WAIT_MS);
}
