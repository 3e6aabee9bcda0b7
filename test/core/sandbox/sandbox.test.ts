/**
 * The pure part of the sandbox: a process narrows the settings' policy and never widens it,
 * the environment a child starts from, path containment, and the simple command lines a
 * checked string command may be.
 */
import { describe, expect, it } from 'vitest';
import { transition } from '../../../src/core/process/transition.js';
import {
  isShellSyntax,
  isWithin,
  narrowSandbox,
  OPEN_SANDBOX,
  parseSimpleCommand,
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

describe('parseSimpleCommand', () => {
  it.each([
    ['node server.js --port 3000', {}, ['node', 'server.js', '--port', '3000']],
    ['  node\tserver.js  ', {}, ['node', 'server.js']],
    [`node -e 'console.log("a; b && $(c)")'`, {}, ['node', '-e', 'console.log("a; b && $(c)")']],
    ['node "my app.js" ""', {}, ['node', 'my app.js', '']],
    ['echo a\\;b "\\"q\\" \\$HOME \\x"', {}, ['echo', 'a;b', '"q" $HOME \\x']],
    [
      'PORT=3000 NODE_ENV=production node app.js',
      { PORT: '3000', NODE_ENV: 'production' },
      ['node', 'app.js'],
    ],
    ["MSG='a b' node app.js X=1", { MSG: 'a b' }, ['node', 'app.js', 'X=1']],
    ['/usr/bin/node --flag=a,b@c+d%e', {}, ['/usr/bin/node', '--flag=a,b@c+d%e']],
    ['"A=1" node', {}, ['A=1', 'node']],
  ])('%s', (line, assignments, argv) => {
    expect(parseSimpleCommand(line)).toEqual({ assignments, argv });
  });

  it.each([
    ['node a.js; rm -rf /', '; at column 10 runs another command'],
    ['node a.js && curl evil', '&& at column 11 runs another command'],
    ['node a.js || sh', '|| at column 11 runs another command'],
    ['node a.js | sh', '| at column 11 runs another command'],
    ['node a.js &', '& at column 11 runs another command'],
    ['node $(which evil)', '$( at column 6 runs another command'],
    ['node "$(which evil)"', '$( at column 7 inside double quotes runs another command'],
    ['node `evil`', '` at column 6 runs another command'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax is the subject here
    ['node ${SCRIPT}', '${ at column 6 expands a variable'],
    ['$EVIL app.js', '$ at column 1 expands a variable'],
    ['node a.js > /etc/passwd', '> at column 11 redirects output'],
    ['node < input', '< at column 6 redirects input'],
    ['(node a.js)', '( at column 1 starts a subshell'],
    ['node a.js\nrm -rf /', 'a line break at column 10 starts another command'],
    ['node *.js', '* at column 6 expands to file names'],
    ['node ~/app.js', '~ at column 6 expands to a home folder'],
    ['node a.js # comment', '# at column 11 starts a comment'],
    ["node 'a.js", "unterminated ' at column 6"],
    ['node "a.js', 'unterminated " at column 6'],
    ['node a.js \\', '\\ at the end of a line (column 11) continues the command'],
    ['A=1 B=2', 'no program to run, only variable assignments'],
  ])('refuses %j', (line, problem) => {
    const parsed = parseSimpleCommand(line);
    expect(isShellSyntax(parsed) && parsed.problem).toBe(problem);
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
