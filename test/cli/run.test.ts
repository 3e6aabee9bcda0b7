/**
 * `overseer run` and `overseer tasks` as a user runs them (the built CLI): exit codes, the
 * output streamed to the right stream, `--json`, in this process and through a daemon,
 * Ctrl-C cancelling the task; listing, showing and cancelling tasks of a daemon.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  cleanupShared,
  createProject,
  createSharedProject,
  isGone,
  overseer,
  type Project,
  readLines,
  spawnOverseer,
  waitFor,
} from './helpers.js';

afterEach(cleanup);
afterAll(cleanupShared);

const STACK = `version: 1
processes:
  idle:
    command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"]
    # Only there for the daemon to have a stack: up -d need not wait a second for it.
    restart: { min_uptime: 100ms }
`;

const SANDBOXED = `version: 1
settings:
  sandbox: { allowed_commands: ["${process.execPath}"] }
processes:
  idle:
    command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"]
    # Only there for the daemon to have a stack: up -d need not wait a second for it.
    restart: { min_uptime: 100ms }
`;

const node = (code: string) => ['--', process.execPath, '-e', code];

async function withDaemon(yaml = STACK): Promise<Project> {
  return startDaemon(createProject(yaml));
}

async function startDaemon(project: Project): Promise<Project> {
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode).toBe(0);
  return project;
}

const sharedDaemons = new Map<string, Promise<Project>>();

/**
 * The daemon of `yaml` that every test here asking for it shares: each runs tasks of its
 * own in it and asserts on them alone, so one daemon proves what one per test did.
 */
function sharedDaemon(yaml = STACK): Promise<Project> {
  let daemon = sharedDaemons.get(yaml);
  if (daemon === undefined) {
    daemon = startDaemon(createSharedProject(yaml));
    sharedDaemons.set(yaml, daemon);
  }
  return daemon;
}

describe.each([
  ['in this process', async (yaml?: string) => createProject(yaml ?? STACK)],
  ['through the daemon', sharedDaemon],
])('overseer run %s', (_how, projectFor) => {
  it('streams stdout and stderr apart, summarises on stderr, and exits with the task’s code', async () => {
    const project = await projectFor();
    const result = await overseer(project, [
      'run',
      ...node('console.log("to out"); console.error("to err"); process.exitCode = 3'),
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('to out\n');
    expect(result.stderr).toMatch(/^to err\n/);
    expect(result.stderr).toMatch(
      /overseer: task \S+ failed \(exit 3\) in \S+, peak memory \S+, 1 attempt: exited with code 3\n$/,
    );

    const ok = await overseer(project, ['run', '--', 'echo hello | tr a-z A-Z']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('HELLO\n');
  });

  it('gives the task its own stdin with --stdin', async () => {
    const project = await projectFor();
    const result = await overseer(project, ['run', '--stdin', '--', 'wc', '-c'], {
      input: 'hello\n',
    });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim()).toBe('6');
  });

  it('exits 124 when the timeout stops it, 125 for bad input', async () => {
    const project = await projectFor();
    const slow = await overseer(project, [
      'run',
      '--timeout',
      '300ms',
      ...node('setInterval(() => {}, 1000)'),
    ]);
    expect(slow.exitCode).toBe(124);
    expect(slow.stderr).toMatch(/timed_out/);

    const bad = await overseer(project, ['run', '--priority', 'urgent', '--', 'true']);
    expect(bad.exitCode).toBe(125);
    expect(bad.stderr).toMatch(/priority: expected one of low, normal, high, critical/);
  });

  it('exits 125 for a task the sandbox refuses', async () => {
    const project = await projectFor(SANDBOXED);
    const refused = await overseer(project, ['run', '--', 'true']);
    expect(refused.exitCode).toBe(125);
    expect(refused.stderr).toMatch(/task \S+ refused .*sandbox/);
  });

  it('prints the result alone with --json', async () => {
    const project = await projectFor();
    const result = await overseer(project, [
      'run',
      '--json',
      '--name',
      'greet',
      '--label',
      'team=ci',
      '-e',
      'WHO=world',
      ...node('console.log("hello " + process.env.WHO)'),
    ]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(String(result.stdout))).toMatchObject({
      name: 'greet',
      labels: { team: 'ci' },
      status: 'succeeded',
      exitCode: 0,
      stdout: 'hello world\n',
    });
  });

  it('cancels the task on Ctrl-C, waits for its end, and exits 130', async () => {
    const project = await projectFor();
    const run = spawnOverseer(project, [
      'run',
      ...node('console.log(process.pid); setInterval(() => {}, 1000)'),
    ]);
    const pid = Number(await readLines(run).waitFor(/^\d+$/));
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/task \S+ cancelled/);
    expect(isGone(pid)).toBe(true);
  });
});

describe('overseer run: regressions', () => {
  it('regression: a task a memory limit stopped exits non-zero even when its child exited 0', async () => {
    const project = createProject(STACK);
    const result = await overseer(project, [
      'run',
      '--memory',
      '100MB',
      ...node(
        'process.on("SIGTERM", () => process.exit(0)); const kept = []; setInterval(() => kept.push(Buffer.alloc(20e6, 1)), 50)',
      ),
    ]);
    expect(result.stderr).toMatch(/failed \(exit 0\).*memory .* over limit 100MB/);
    expect(result.exitCode).toBe(1);
  });
});

describe('overseer run: a program that is not there', () => {
  it('exits 127 as a shell does, in either form of the command', async () => {
    const project = createProject(STACK);
    const words = await overseer(project, ['run', '--', 'overseer-no-such-program', 'x']);
    expect(words.exitCode).toBe(127);
    expect(words.stderr).toMatch(/failed.*ENOENT/);
    const line = await overseer(project, ['run', '--', 'overseer-no-such-program']);
    expect(line.exitCode).toBe(127);
  });
});

describe('overseer run: regressions through a daemon', () => {
  it('regression: `down` lets a streaming run tell the task’s last lines and its end', async () => {
    const project = await withDaemon();
    const run = spawnOverseer(project, [
      'run',
      ...node(
        'process.on("SIGTERM", () => { console.log("got-term"); process.exit(0); }); console.log("started"); setInterval(() => {}, 1000)',
      ),
    ]);
    await readLines(run).waitFor(/^started$/);
    const down = await overseer(project, ['down']);
    expect(down.exitCode).toBe(0);
    const result = await run;
    expect(result.stdout).toBe('started\ngot-term\n');
    expect(result.stderr).toMatch(/task \S+ cancelled/);
    expect(result.exitCode).toBe(130);
  });
});

describe('overseer run: its arguments', () => {
  it('refuses a malformed option with exit 2 naming it', async () => {
    const project = createProject(STACK);
    const env = await overseer(project, ['run', '-e', 'NOVALUE', '--', 'true']);
    expect(env.exitCode).toBe(2);
    expect(env.stderr).toMatch(/--env: expected KEY=VALUE, got "NOVALUE"/);
    const retry = await overseer(project, ['run', '--retry', 'twice', '--', 'true']);
    expect(retry.exitCode).toBe(2);
    expect(retry.stderr).toMatch(/--retry: expected a whole number/);
  });
});

describe('overseer tasks', () => {
  it('lists, shows and cancels the daemon’s tasks', async () => {
    const project = await withDaemon();
    const done = await overseer(project, ['run', '--json', '--name', 'quick', '--', 'exit 4']);
    const { id } = JSON.parse(String(done.stdout)) as { id: string };

    const slow = spawnOverseer(project, [
      'run',
      '--name',
      'slow',
      ...node('console.log("up"); setInterval(() => {}, 1000)'),
    ]);
    await readLines(slow).waitFor(/^up$/);
    const running = JSON.parse(
      String((await overseer(project, ['tasks', '--json', '--status', 'running'])).stdout),
    ) as {
      tasks: { id: string; name: string }[];
    };
    expect(running.tasks.map((task) => task.name)).toEqual(['slow']);
    const slowId = running.tasks[0]!.id;

    const table = await overseer(project, ['tasks']);
    expect(table.exitCode).toBe(0);
    const lines = String(table.stdout).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +EXIT +DURATION +PEAK MEM +ATTEMPTS +AGE$/);
    expect(lines.slice(1).map((line) => line.split(/ +/).slice(0, 4))).toEqual([
      [slowId, 'slow', 'running', '-'],
      [id, 'quick', 'failed', '4'],
    ]);

    const shown = await overseer(project, ['tasks', id]);
    expect(shown.stdout).toMatch(/^status: +failed$/m);
    expect(shown.stdout).toMatch(/^exit code: +4$/m);

    const cancelled = await overseer(project, ['tasks', 'cancel', slowId]);
    expect(cancelled.exitCode).toBe(0);
    const ended = await slow;
    expect(ended.exitCode).toBe(130);
    await waitFor(async () => {
      const view = JSON.parse(
        String((await overseer(project, ['tasks', slowId, '--json'])).stdout),
      );
      return view.status === 'cancelled';
    }, 'the task to be cancelled');

    const again = await overseer(project, ['tasks', 'cancel', slowId]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already ended: cancelled/);
  });

  it('exits 1 for an unknown id and 2 for a bad status', async () => {
    const project = await sharedDaemon();
    const unknown = await overseer(project, ['tasks', 'nope']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/no task nope/);
    const bad = await overseer(project, ['tasks', '--status', 'done']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/status: "done" is not a task status/);
  });
});
