/**
 * `settings.alerts` in the daemon as served: the built CLI's `up -d` leaves a daemon whose
 * failed process is POSTed to a webhook receiver of the test's (headers from `${VAR}`); a
 * config applied again takes alerts up. The test waits on the receiver's requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Receiver } from '../runtime/alerts/receiver.js';
import { cleanup, createProject, overseer, writeConfig } from './helpers.js';

const receivers: Receiver[] = [];

afterEach(async () => {
  await cleanup();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(): Promise<Receiver> {
  const made = await new Receiver().listen();
  receivers.push(made);
  return made;
}

const ALERTS = `  alerts:
    webhook: "\${HOOK}"
    headers: { authorization: "Bearer \${HOOK_TOKEN}" }
    on: [failed, limit]
`;

const CRASHY = `  crashy:
    namespace: jobs
    command: "exit 3"
    restart: { policy: always, max_restarts: 1, delay: 10ms, min_uptime: 1s }
`;

describe('settings.alerts', () => {
  it('POSTs a failed process to the webhook, from the daemon that up -d left', async () => {
    const hook = await receiver();
    const project = createProject(
      `version: 1\nname: shop\nsettings:\n${ALERTS}processes:\n${CRASHY}`,
    );
    const env = { HOOK: hook.url, HOOK_TOKEN: 'sekret' };
    const arrived = hook.request(1);
    const up = await overseer(project, ['up', '-d'], { env });
    expect(up.exitCode).toBe(1);
    const request = await arrived;
    expect(request.headers.authorization).toBe('Bearer sekret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.json).toMatchObject({
      kind: 'failed',
      process: 'crashy',
      namespace: 'jobs',
      project: 'shop',
      severity: 'critical',
      heldBack: 0,
      notSent: 0,
      event: { type: 'process:failed', name: 'crashy' },
    });
  });

  it('takes alerts up when the config is applied again', async () => {
    const hook = await receiver();
    const env = { HOOK: hook.url, HOOK_TOKEN: 'sekret' };
    const project = createProject(
      `version: 1\nname: shop\nprocesses:\n  idle:\n    command: "sleep 60"\n`,
    );
    expect((await overseer(project, ['up', '-d'], { env })).exitCode).toBe(0);
    writeConfig(
      project,
      `version: 1\nname: shop\nsettings:\n${ALERTS}processes:\n  idle:\n    command: "sleep 60"\n${CRASHY}`,
    );
    const arrived = hook.request(1);
    await overseer(project, ['up', '-d'], { env });
    expect((await arrived).json).toMatchObject({ kind: 'failed', process: 'crashy' });
  });
});
