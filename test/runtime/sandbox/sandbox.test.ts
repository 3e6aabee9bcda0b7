/**
 * The sandbox against real programs (docs/configuration.md): every refusal leaves the process `failed`
 * with a reason starting `sandbox:` and spawns nothing (a refused program would leave a
 * marker file behind); what is allowed runs, with only the environment it is given.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { specsFromDefinition } from '../../../src/config/normalize.js';
import type { ProcessDefinition } from '../../../src/config/process-schema.js';
import { settingsSandbox } from '../../../src/config/sandbox.js';
import type { SandboxRules } from '../../../src/core/sandbox/sandbox.js';
import { OverseerError, type ProcessInfo, type Supervisor } from '../../../src/index.js';
import { planLaunch } from '../../../src/runtime/process/launch.js';
import {
  bwrapProblem,
  findExecutable,
  SandboxRefusal,
} from '../../../src/runtime/sandbox/sandbox.js';
import {
  cleanup,
  createSupervisor,
  describeEvents,
  fixture,
  recordEvents,
  tempDir,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

/**
 * The supervisor's own PATH: where `node` (the one running the tests) is found first. Only
 * this PATH says what `node` in `allowed_commands` means, never the child's.
 */
const TRUSTED_PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

/** The test run's mark, passed on so the leak check (test/global-setup.ts) still sees children. */
const MARK = 'OVERSEER_TEST_RUN';

/** The supervisor's environment: the trusted PATH, the test run's mark and a secret. */
function supervisorEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: TRUSTED_PATH, [MARK]: process.env[MARK], SECRET_TOKEN: 'hunter2', ...extra };
}

/** Runs one process under `sandbox` until it settles; returns its row. */
async function runOne(
  sandbox: SandboxRules | undefined,
  definition: Omit<ProcessDefinition, 'name'>,
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ row: ProcessInfo; supervisor: Supervisor }> {
  const supervisor = createSupervisor({
    sandbox,
    env: supervisorEnv(options.env),
    cwd: options.cwd ?? tempDir(),
  });
  supervisor.add({ name: 'job', kind: 'job', ...definition });
  await supervisor.up();
  const [row] = await waitForSettled(supervisor, ['job']);
  return { row: row!, supervisor };
}

/** A program named `name` in a fresh folder that leaves `marker` behind if it ever runs. */
function fakeProgram(name: string, marker: string): string {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(file, 0o755);
  return dir;
}

const ONLY_NODE: SandboxRules = { allowedCommands: ['node'] };

describe('allowed_commands', () => {
  it('runs an allowed program, found by its absolute path or by name on PATH', async () => {
    const byPath = await runOne(ONLY_NODE, { command: fixture('exit-with.mjs', 0) });
    expect(byPath.row).toMatchObject({ status: 'completed', exitCode: 0 });

    const [, script] = fixture('print-lines.mjs', 1);
    const byName = await runOne(ONLY_NODE, { command: `node ${script} 2` });
    expect(byName.row).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(byName.supervisor.logs('job').map((line) => line.text)).toEqual([
      'line 1',
      'line 2',
      'partial',
    ]);
  });

  it('refuses an executable that is not allowed, naming its real file', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');

    const { row } = await runOne(ONLY_NODE, { command: ['/bin/touch', marker] });

    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(
      /^sandbox: command not allowed \(\/bin\/touch is (\/bin\/touch|\/bin\/touch → \/usr\/bin\/touch); allowed: node → \S+\)$/,
    );
    expect(row.pid).toBeNull();
    expect(existsSync(marker)).toBe(false);
  });

  it('PATH trick: a fake `node` first on the child’s PATH is not the allowed node', async () => {
    const marker = join(tempDir(), 'ran');
    const evil = fakeProgram('node', marker);

    const { row } = await runOne(ONLY_NODE, {
      command: 'node server.js',
      env: { PATH: `${evil}:${TRUSTED_PATH}` },
    });

    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(
      new RegExp(`^sandbox: command not allowed \\(node is ${evil}/node; allowed: node → \\S+\\)$`),
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('PATH trick: a symlink named `node` to another program is judged by its real file', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    symlinkSync('/bin/sh', join(dir, 'node'));

    const { row } = await runOne(ONLY_NODE, {
      command: ['node', '-c', `touch '${marker}'`],
      env: { PATH: `${dir}:${TRUSTED_PATH}` },
    });

    expect(row.status).toBe('failed');
    expect(row.reason).toContain(`(node is ${dir}/node → /usr/bin/`);
    expect(existsSync(marker)).toBe(false);
  });

  it('PATH trick: `./node` in the working folder is not the allowed node', async () => {
    const marker = join(tempDir(), 'ran');
    const dir = fakeProgram('node', marker);

    const { row } = await runOne(ONLY_NODE, { command: ['./node'], cwd: dir });

    expect(row.reason).toMatch(
      new RegExp(`^sandbox: command not allowed \\(\\./node is ${dir}/node;`),
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('an absolute entry allows that file through any symlink to it', async () => {
    const dir = tempDir();
    symlinkSync(process.execPath, join(dir, 'my-node'));

    const { row } = await runOne(
      { allowedCommands: [process.execPath] },
      { command: [join(dir, 'my-node'), fixture('exit-with.mjs', 0)[1]!] },
    );

    expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('checks again at every spawn: a symlink swapped after a good run is refused', async () => {
    const dir = tempDir();
    const link = join(dir, 'prog');
    symlinkSync(process.execPath, link);
    const { row, supervisor } = await runOne(
      { allowedCommands: [process.execPath] },
      { command: [link, fixture('exit-with.mjs', 0)[1]!] },
    );
    expect(row.status).toBe('completed');

    rmSync(link);
    symlinkSync('/bin/sh', link);
    await supervisor.start('job');

    expect(supervisor.get('job')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^sandbox: command not allowed \(.*prog → \/usr\/bin\/\w+;/),
    });
  });

  it('a refused service fails at once: no backoff, no restart', async () => {
    const supervisor = createSupervisor({ sandbox: ONLY_NODE, env: supervisorEnv() });
    const events = recordEvents(supervisor);
    supervisor.add({ name: 'svc', command: ['/bin/true'], restart: { policy: 'always' } });

    await supervisor.up();

    expect(supervisor.get('svc')).toMatchObject({ status: 'failed', restarts: 0, pid: null });
    expect(describeEvents(events)).toEqual([
      'process:pending svc',
      'process:starting svc',
      'process:failed svc',
    ]);
  });

  it('refuses a program that is not on the child’s PATH', async () => {
    const { row } = await runOne(ONLY_NODE, {
      command: ['no-such-program-here'],
      env: { PATH: '/nonexistent' },
    });

    expect(row.reason).toBe(
      'sandbox: command not found (no-such-program-here is not on PATH /nonexistent)',
    );
  });

  it('refuses LD_PRELOAD and friends, which would load any code into an allowed program', async () => {
    const { row } = await runOne(ONLY_NODE, {
      command: fixture('exit-with.mjs', 0),
      env: { LD_PRELOAD: '/tmp/evil.so' },
    });

    expect(row.reason).toBe(
      'sandbox: environment variable not allowed (LD_PRELOAD would let an allowed command load any code)',
    );
  });
});

describe('string commands under allowed_commands', () => {
  it.each([
    ['node a.js; touch ran', '; at column 10 runs another command'],
    ['node a.js && touch ran', '&& at column 11 runs another command'],
    ['node $(touch ran)', '$( at column 6 runs another command'],
    ['node a.js || touch ran', '|| at column 11 runs another command'],
    ['node `touch ran`', '` at column 6 runs another command'],
  ])('%j is refused up front, before anything runs', (command, problem) => {
    const supervisor = createSupervisor({ sandbox: ONLY_NODE, env: supervisorEnv() });

    let error: unknown;
    try {
      supervisor.add({ name: 'job', command });
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(OverseerError);
    expect((error as OverseerError).code).toBe('INVALID_SPEC');
    expect((error as OverseerError).issues).toEqual([
      {
        path: 'command',
        message: `shell syntax refused by sandbox.allowed_commands: ${problem} (use an array command, or a simple command line)`,
      },
    ]);
  });

  it('is checked again at spawn: a spec that skipped the check is refused, not run', () => {
    const dir = tempDir();
    const [spec] = specsFromDefinition({ name: 'job', command: `touch ran && touch ran2` });
    const confined = { ...spec!, sandbox: settingsSandbox(ONLY_NODE)! };

    expect(() => planLaunch(confined, dir, supervisorEnv())).toThrow(
      new SandboxRefusal('shell syntax in command (&& at column 11 runs another command)'),
    );
  });

  it('runs a simple command line directly, no shell: assignments become environment', async () => {
    const [, script] = fixture('print-env.mjs');

    const { row, supervisor } = await runOne(ONLY_NODE, {
      command: `GREETING='hello world' node ${script} GREETING`,
    });

    expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(supervisor.logs('job').map((line) => line.text)).toEqual(['GREETING=hello world']);
  });
});

describe('restricted_paths', () => {
  it('refuses a cwd that is a symlink into a restricted path', async () => {
    const restricted = tempDir();
    mkdirSync(join(restricted, 'inside'));
    const dir = tempDir();
    symlinkSync(join(restricted, 'inside'), join(dir, 'innocent'));
    const marker = join(dir, 'ran');

    const { row } = await runOne(
      { restrictedPaths: [restricted] },
      { command: ['/bin/touch', marker], cwd: 'innocent' },
      { cwd: dir },
    );

    expect(row.status).toBe('failed');
    expect(row.reason).toBe(
      `sandbox: cwd is inside a restricted path (${dir}/innocent → ${restricted}/inside is inside ${restricted})`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a cwd written inside a restricted path up front', () => {
    const restricted = tempDir();
    const supervisor = createSupervisor({ sandbox: { restrictedPaths: [restricted] } });

    expect(() =>
      supervisor.add({ name: 'job', command: ['true'], cwd: join(restricted, 'sub') }),
    ).toThrow(`cwd: ${restricted}/sub is inside restricted path ${restricted}`);
  });

  it('lets a cwd outside every restricted path run', async () => {
    const { row } = await runOne(
      { restrictedPaths: [tempDir()] },
      { command: fixture('exit-with.mjs', 0) },
    );

    expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
  });
});

describe('env', () => {
  /** The child's whole environment, as `NAME=value` lines. */
  async function childEnv(sandbox: SandboxRules | undefined, own: Record<string, string> = {}) {
    const { row, supervisor } = await runOne(sandbox, {
      command: fixture('print-all-env.mjs'),
      env: own,
    });
    expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
    return supervisor.logs('job').map((line) => line.text);
  }

  it('inherit: false gives the child only the names passed, its own variables and OVERSEER_*', async () => {
    const lines = await childEnv(
      { env: { inherit: false, pass: ['PATH', MARK] } },
      { OWN: 'mine' },
    );

    expect(lines).toEqual([
      'OVERSEER_INSTANCE=0',
      'OVERSEER_PROCESS=job',
      expect.stringMatching(/^OVERSEER_RUN=\d+-\d+-\d+$/),
      `${MARK}=${process.env[MARK]}`,
      'OWN=mine',
      `PATH=${TRUSTED_PATH}`,
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('without the sandbox the same secret reaches the child (the leak it prevents)', async () => {
    expect(await childEnv(undefined)).toContain('SECRET_TOKEN=hunter2');
  });

  it('a process cannot pass what the settings do not', () => {
    const supervisor = createSupervisor({
      sandbox: { env: { inherit: false, pass: ['PATH'] } },
      env: supervisorEnv(),
    });

    expect(() =>
      supervisor.add({
        name: 'job',
        command: ['true'],
        sandbox: { env: { inherit: true, pass: ['SECRET_TOKEN'] } },
      }),
    ).toThrow(
      'invalid process job: sandbox.env.inherit: cannot inherit the environment: settings.sandbox.env.inherit is false; sandbox.env.pass.0: "SECRET_TOKEN" is not passed by settings.sandbox.env.pass: a process may only narrow it',
    );
  });
});

describe('user and group', () => {
  const isRoot = process.getuid?.() === 0;

  it('refuses another user when the supervisor is not root', () => {
    const [spec] = specsFromDefinition({ name: 'job', command: ['true'], user: 'nobody' });
    const host = { path: TRUSTED_PATH, uid: 1000, gid: 1000 };

    expect(() => planLaunch(spec!, tempDir(), supervisorEnv(), host)).toThrow(
      new SandboxRefusal('user requires running as root (user nobody; overseer runs as uid 1000)'),
    );
  });

  it.skipIf(isRoot)(
    'a supervisor that is not root fails the process, spawning nothing',
    async () => {
      const { row } = await runOne(undefined, {
        command: fixture('exit-with.mjs', 0),
        user: 'root',
      });

      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(
        /^sandbox: user requires running as root \(user root; overseer runs as uid \d+\)$/,
      );
    },
  );

  it('refuses a user that does not exist', async () => {
    const { row } = await runOne(undefined, {
      command: fixture('exit-with.mjs', 0),
      user: 'no-such-user-here',
    });

    expect(row.reason).toBe('sandbox: unknown user (no-such-user-here)');
  });

  it.skipIf(!isRoot)('as root, runs the child as that user and group, with its HOME', async () => {
    // `-e` and cwd `/`: the test's own files and temp folders may be closed to `nobody`.
    const { row, supervisor } = await runOne(
      undefined,
      {
        command: [process.execPath, '-e', readIdsScript()],
        cwd: '/',
        user: 'nobody',
      },
      { cwd: '/' },
    );

    expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(supervisor.logs('job').map((line) => line.text)).toEqual([
      'uid=65534 gid=65534 groups=65534 home=/nonexistent user=nobody',
    ]);
  });
});

/** A script printing the ids, HOME and USER it runs with. */
function readIdsScript(): string {
  return [
    "const groups = process.getgroups().join(',');",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript for the child, not for us
    'console.log(`uid=${process.getuid()} gid=${process.getgid()} groups=${groups} home=${process.env.HOME} user=${process.env.USER}`);',
  ].join('\n');
}

/**
 * A fresh working folder holding the isolation-report fixture: inside the sandbox only the
 * working folder is left of the host's /tmp, and the repository may well live there.
 */
function withReportScript(): string {
  const dir = tempDir();
  copyFileSync(fixture('isolation-report.mjs')[1]!, join(dir, 'isolation-report.mjs'));
  return dir;
}

/** Why isolation cannot be tried here, or undefined when bubblewrap works. */
function isolationUnavailable(): string | undefined {
  const bwrap = findExecutable('bwrap', TRUSTED_PATH, '/');
  if (bwrap === undefined) return 'bubblewrap (bwrap) is not installed';
  return bwrapProblem(bwrap);
}

describe('isolate', () => {
  it('without bwrap on PATH, the process fails and nothing runs', async () => {
    const nodeOnly = tempDir();
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const marker = join(tempDir(), 'ran');

    const { row } = await runOne(
      { isolate: true },
      { command: ['/bin/touch', marker] },
      { env: { PATH: nodeOnly } },
    );

    expect(row.status).toBe('failed');
    expect(row.reason).toBe('sandbox: isolate requires bubblewrap (bwrap) on PATH');
    expect(existsSync(marker)).toBe(false);
  });

  it('with a bwrap that cannot create a sandbox here, the process fails and nothing runs', async () => {
    const tools = tempDir();
    const bwrap = join(tools, 'bwrap');
    writeFileSync(
      bwrap,
      '#!/bin/sh\necho "bwrap: No permissions to create a new namespace" >&2\nexit 1\n',
    );
    chmodSync(bwrap, 0o755);
    const marker = join(tempDir(), 'ran');

    const { row } = await runOne(
      { isolate: true },
      { command: ['/bin/touch', marker] },
      { env: { PATH: `${tools}:${TRUSTED_PATH}` } },
    );

    expect(row.reason).toBe(
      `sandbox: isolate failed (${bwrap} cannot create a sandbox here: bwrap: No permissions to create a new namespace)`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  const unavailable = isolationUnavailable();

  describe.skipIf(unavailable !== undefined)(
    `with bubblewrap${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    () => {
      let server: Server | undefined;
      afterEach(() => server?.close());

      async function listening(): Promise<number> {
        server = createServer((socket) => socket.end());
        await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
        return (server.address() as { port: number }).port;
      }

      async function report(sandbox: SandboxRules) {
        const hostFile = join('/tmp', `overseer-host-${process.pid}-${Date.now()}`);
        writeFileSync(hostFile, 'host\n');
        try {
          const port = await listening();
          const cwd = withReportScript();
          const { row, supervisor } = await runOne(
            sandbox,
            { command: [process.execPath, 'isolation-report.mjs', hostFile, String(port)] },
            { cwd },
          );
          expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
          return JSON.parse(supervisor.logs('job').at(-1)!.text) as Record<string, unknown>;
        } finally {
          rmSync(hostFile, { force: true });
        }
      }

      it('read-only system and working folder, private /tmp, no network', async () => {
        expect(await report({ isolate: true })).toEqual({
          cwdWritable: 'EROFS',
          tmpWritable: true,
          hostTmpVisible: false,
          network: expect.stringMatching(/^(ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|timeout)$/),
          // Regression: run by root, the child kept every capability and could remount / rw.
          capabilities: '0000000000000000',
        });
      });

      it('network: true keeps the network', async () => {
        expect((await report({ isolate: true, network: true })).network).toBe(true);
      });

      it('a process that narrows the settings to isolation runs isolated', async () => {
        const supervisor = createSupervisor({ sandbox: ONLY_NODE, env: supervisorEnv() });
        supervisor.add({
          name: 'job',
          kind: 'job',
          command: [process.execPath, 'isolation-report.mjs', '/nonexistent', '1'],
          cwd: withReportScript(),
          sandbox: { isolate: true },
        });
        await supervisor.up();
        const [row] = await waitForSettled(supervisor, ['job']);
        expect(row).toMatchObject({ status: 'completed', exitCode: 0 });
        expect(JSON.parse(supervisor.logs('job').at(-1)!.text)).toMatchObject({
          cwdWritable: 'EROFS',
        });
      });
    },
  );
});
