/**
 * The daemon says how it keeps process trees together: `/health` and `GET /processes/:name`
 * (what `overseer inspect` shows) name the containment mode in force.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, httpRequest, json, openDaemon, sleeper } from './helpers.js';

afterEach(async () => {
  delete process.env.OVERSEER_CONTAINMENT;
  await cleanupAll();
});

describe.each(['cgroup', 'process-group'])('a daemon in %s containment', (mode) => {
  it('names its mode in /health and in each process', async () => {
    process.env.OVERSEER_CONTAINMENT = mode;
    const { daemon, socketPath } = await openDaemon({ processes: { idle: sleeper() } });
    await daemon.up();

    const health = json(await httpRequest({ socketPath }, 'GET', '/health'));
    const details = json(await httpRequest({ socketPath }, 'GET', '/processes/idle'));

    expect(health).toMatchObject({ containment: { mode } });
    expect(details).toMatchObject({ containment: { mode } });
    const { containment } = health as { containment: { cgroup?: string; reason?: string } };
    if (mode === 'cgroup') expect(containment.cgroup).toMatch(/\/overseer-\d+-\d+$/);
    else expect(containment.reason).toBe('chosen by OVERSEER_CONTAINMENT');
  });
});
