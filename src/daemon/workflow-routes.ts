/**
 * The workflow routes of docs/http-api.md: `GET /workflows` lists runs (`?workflow=`,
 * `?status=`, `?limit=`), `GET /workflows/:id` shows one with its steps and dead letters;
 * `GET /dead-letters` lists letters, `GET /dead-letters/:id` shows one, `POST
 * /dead-letters/:id/retry` makes its run pending again, `DELETE /dead-letters/:id` drops it.
 */
import type { Hono } from 'hono';
import { checkedLimit, type WorkflowsApi } from '../protocol/workflows-api.js';

export function addWorkflowRoutes(app: Hono, workflows: WorkflowsApi): void {
  app.get('/workflows', async (c) => {
    const workflow = c.req.query('workflow');
    const status = c.req.queries('status');
    const limit = c.req.query('limit');
    const runs = await workflows.runs({
      ...(workflow !== undefined && { workflow }),
      ...(status !== undefined && { status }),
      ...(limit !== undefined && { limit: checkedLimit(limit) }),
    });
    return c.json({ runs });
  });

  app.get('/workflows/:id', async (c) => c.json(await workflows.run(c.req.param('id'))));

  app.get('/dead-letters', async (c) => {
    const workflow = c.req.query('workflow');
    const limit = c.req.query('limit');
    const deadLetters = await workflows.deadLetters({
      ...(workflow !== undefined && { workflow }),
      ...(limit !== undefined && { limit: checkedLimit(limit) }),
    });
    return c.json({ deadLetters });
  });

  app.get('/dead-letters/:id', async (c) => c.json(await workflows.deadLetter(c.req.param('id'))));

  app.post('/dead-letters/:id/retry', async (c) =>
    c.json({ run: await workflows.retryDeadLetter(c.req.param('id')) }),
  );

  app.delete('/dead-letters/:id', async (c) => {
    const id = c.req.param('id');
    await workflows.dropDeadLetter(id);
    return c.json({ dropped: id });
  });
}
