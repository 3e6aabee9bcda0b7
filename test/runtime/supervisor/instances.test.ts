/**
 * `instances: N` runs N replicas named `name-0…name-(N-1)`, each told its number through
 * OVERSEER_INSTANCE.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, createSupervisor, fixture, waitForSettled } from '../helpers.js';

afterEach(cleanup);

describe('instances', () => {
  it('runs x-0, x-1 and x-2, each seeing its own OVERSEER_INSTANCE', async () => {
    const supervisor = createSupervisor();
    const names = supervisor.add({
      name: 'x',
      kind: 'job',
      instances: 3,
      command: fixture('print-env.mjs', 'OVERSEER_INSTANCE', 'OVERSEER_PROCESS', 'GREETING'),
      env: { GREETING: 'hello' },
    });
    expect(names).toEqual(['x-0', 'x-1', 'x-2']);

    await supervisor.up();
    const infos = await waitForSettled(supervisor);

    expect(infos.map((info) => [info.name, info.instance, info.status])).toEqual([
      ['x-0', 0, 'completed'],
      ['x-1', 1, 'completed'],
      ['x-2', 2, 'completed'],
    ]);
    for (const [instance, name] of names.entries()) {
      expect(supervisor.logs(name).map((line) => line.text)).toEqual([
        `OVERSEER_INSTANCE=${instance}`,
        `OVERSEER_PROCESS=${name}`,
        'GREETING=hello',
      ]);
    }
  });

  it('acts on one instance by its name, and on all by the declared name', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'x',
      instances: 2,
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
    });
    await supervisor.up();

    const stoppedOne = await supervisor.stop('x-1');
    expect(stoppedOne.map((info) => [info.name, info.status])).toEqual([['x-1', 'stopped']]);
    expect(supervisor.get('x-0').status).toBe('running');

    const startedOne = await supervisor.start('x-1');
    expect(startedOne.map((info) => [info.name, info.status])).toEqual([['x-1', 'running']]);

    const stoppedAll = await supervisor.stop('x');
    expect(stoppedAll.map((info) => [info.name, info.status])).toEqual([
      ['x-0', 'stopped'],
      ['x-1', 'stopped'],
    ]);
  });
});
