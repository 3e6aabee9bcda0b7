/**
 * The routes of the everyday controls: `POST /processes/:name/reload`, `…/scale`
 * `{instances}` and `…/signal` `{signal}`. A body that is not the JSON object a route
 * expects is a 400 naming what was wrong, and nothing is done.
 */
import type { Hono } from 'hono';
import { OverseerError } from '../core/errors.js';
import type { SupervisorApi } from '../protocol/api.js';

/** Adds the control routes to `app`, acting on `supervisor`. */
export function addControlRoutes(app: Hono, supervisor: SupervisorApi): void {
  // Answers once the reload is over: 200 with `ok: false` when a replacement failed, since
  // the request itself was carried out (as far as it could go), and the report says how.
  app.post('/processes/:name/reload', async (c) =>
    c.json(await supervisor.reload(c.req.param('name'))),
  );

  app.post('/processes/:name/scale', async (c) => {
    const { instances } = jsonObject(await c.req.text(), '{"instances": N}');
    if (typeof instances !== 'number') {
      throw new OverseerError(
        'BAD_REQUEST',
        `instances: expected a whole number, got ${describeValue(instances)}`,
      );
    }
    return c.json({ processes: await supervisor.scale(c.req.param('name'), instances) });
  });

  app.post('/processes/:name/signal', async (c) => {
    const { signal } = jsonObject(await c.req.text(), '{"signal": "SIGHUP"}');
    if (typeof signal !== 'string') {
      throw new OverseerError(
        'BAD_REQUEST',
        `signal: expected a signal name such as "SIGHUP", got ${describeValue(signal)}`,
      );
    }
    return c.json(await supervisor.signal(c.req.param('name'), signal));
  });
}

/** The body as a JSON object, or a `BAD_REQUEST` saying what was expected (`shape`). */
export function jsonObject(text: string, shape: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OverseerError('BAD_REQUEST', `the body is not JSON: expected ${shape}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OverseerError('BAD_REQUEST', `expected a JSON object ${shape}`);
  }
  return body as Record<string, unknown>;
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
