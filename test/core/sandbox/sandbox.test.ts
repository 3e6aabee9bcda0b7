/**
 * The pure part of the sandbox: a process narrows the settings' policy and never widens it,
 * the environment a child starts from, path containment; and a refusal as the lifecycle
 * sees it.
 */
import { describe, expect, it } from 'vitest';
import { transition } from '../../../src/core/process/transition.js';
import {
  isWithin,
  narrowSandbox,
  OPEN_SANDBOX,
  type SandboxPolicy,
  visibleEnv,
} from '../../../src/core/sandbox/sandbox.js';
import { makeSpec, recordIn } from '../helpers.js';

/** The settings' policy written as `rules`, which must be valid. */
function settings(rules: Parameters<typeof narrowSandbox>[1]): SandboxPolicy {
  const { policy, issues } = narrowSandbox(OPEN_SANDBOX, rules);
  expect(issues).toEqual([]);
  return policy;
}

describe('narrowSandbox', () => {
  it('a process may narrow every key', () => {
    const base = settings({
      allowedCommands: ['node', 'npm', '/usr/bin/python3'],
      restrictedPaths: ['/etc'],
      env: { inherit: false, pass: ['PATH', 'HOME', 'LC_*'] },
    });

    const { policy, issues } = narrowSandbox(base, {
      allowedCommands: ['node', '/usr/local/bin/npm'],
      restrictedPaths: ['/usr'],
      env: { inherit: false, pass: ['PATH', 'LC_ALL'] },
      isolate: true,
    });

    expect(issues).toEqual([]);
    expect(policy).toEqual({
      // Both lists must allow the executable: the process's cannot add to the settings'.
      allowedCommands: [
        ['node', 'npm', '/usr/bin/python3'],
        ['node', '/usr/local/bin/npm'],
      ],
      restrictedPaths: ['/etc', '/usr'],
      env: { inherit: false, pass: ['PATH', 'LC_ALL'] },
      isolate: true,
      // Isolation turned on by the process itself comes without the network.
      network: false,
    });
  });

  it('keys a process leaves out are the settings’', () => {
    const base = settings({ allowedCommands: ['node'], isolate: true, network: true });

    expect(narrowSandbox(base, {}).policy).toEqual(base);
  });

  it('every widening attempt is an issue, named by its path', () => {
    const base = settings({
      allowedCommands: ['node'],
      env: { inherit: false, pass: ['PATH', 'LC_*'] },
      isolate: true,
    });

    const { issues } = narrowSandbox(base, {
      allowedCommands: ['node', 'python3', './node', '/opt/bin/bash'],
      env: { inherit: true, pass: ['PATH', 'SECRET', 'L*', 'bad-name'] },
      isolate: false,
      network: true,
    });

    expect(issues).toEqual([
      {
        path: 'allowed_commands.1',
        message:
          '"python3" is not allowed by settings.sandbox.allowed_commands (node): a process may only narrow them',
      },
      {
        path: 'allowed_commands.2',
        message: 'expected a command name (node) or an absolute path',
      },
      {
        path: 'allowed_commands.3',
        message:
          '"/opt/bin/bash" is not allowed by settings.sandbox.allowed_commands (node): a process may only narrow them',
      },
      {
        path: 'env.inherit',
        message: 'cannot inherit the environment: settings.sandbox.env.inherit is false',
      },
      {
        path: 'env.pass.1',
        message:
          '"SECRET" is not passed by settings.sandbox.env.pass: a process may only narrow it',
      },
      {
        path: 'env.pass.2',
        message: '"L*" is not passed by settings.sandbox.env.pass: a process may only narrow it',
      },
      {
        path: 'env.pass.3',
        message: 'expected a variable name (PATH) or a prefix ending in * (LC_*)',
      },
      { path: 'isolate', message: 'cannot turn isolation off: settings.sandbox.isolate is true' },
      {
        path: 'network',
        message: 'cannot allow the network: settings.sandbox keeps isolated processes off it',
      },
    ]);
  });

  it('restricted paths only add up: a process cannot un-restrict one', () => {
    const base = settings({ restrictedPaths: ['/etc', '/usr'] });

    expect(
      narrowSandbox(base, { restrictedPaths: ['/srv', '/etc'] }).policy.restrictedPaths,
    ).toEqual(['/etc', '/usr', '/srv']);
  });

  it('an absolute path narrows a name of the settings with the same file name', () => {
    const base = settings({ allowedCommands: ['node'] });

    expect(narrowSandbox(base, { allowedCommands: ['/usr/bin/node'] }).issues).toEqual([]);
  });

  it('without settings, a process may set anything, and network follows isolation', () => {
    expect(narrowSandbox(OPEN_SANDBOX, { isolate: true }).policy.network).toBe(false);
    expect(narrowSandbox(OPEN_SANDBOX, { isolate: true, network: true }).policy.network).toBe(true);
    expect(narrowSandbox(OPEN_SANDBOX, {}).policy.network).toBe(true);
  });
});

describe('visibleEnv', () => {
  const base = { PATH: '/usr/bin', HOME: '/root', SECRET_TOKEN: 's3cret', LC_ALL: 'C' };

  it('inherit: everything', () => {
    expect(visibleEnv(base, { inherit: true, pass: [] })).toEqual(base);
    expect(visibleEnv(base, undefined)).toEqual(base);
  });

  it('inherit false: only the names and prefixes in pass', () => {
    expect(visibleEnv(base, { inherit: false, pass: ['PATH', 'LC_*', 'MISSING'] })).toEqual({
      PATH: '/usr/bin',
      LC_ALL: 'C',
    });
  });
});

describe('isWithin', () => {
  it.each([
    ['/etc', '/etc', true],
    ['/etc/ssl/certs', '/etc', true],
    ['/etc/ssl', '/etc/', true],
    ['/etcetera', '/etc', false],
    ['/srv/app', '/etc', false],
    ['/anything', '/', true],
  ])('%s in %s: %s', (path, parent, inside) => {
    expect(isWithin(path, parent)).toBe(inside);
  });
});

describe('transition: a sandbox refusal', () => {
  it('ends a starting process failed with a reason starting "sandbox:", with no restart', () => {
    const spec = makeSpec();
    const record = recordIn(spec, { status: 'starting', since: 0, pid: null, restarting: false });

    const step = transition(
      spec,
      record,
      { type: 'sandbox-refused', message: 'command not allowed (x)' },
      10,
    );

    expect(step.record.state).toMatchObject({
      status: 'failed',
      reason: 'sandbox: command not allowed (x)',
    });
  });
});
