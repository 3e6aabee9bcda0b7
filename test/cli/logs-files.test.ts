/**
 * `overseer logs` over the log files of a real daemon: past the memory ring and across
 * rotated files, `--since`, `--grep`, `--json`, a name with instances merged by time,
 * reading after the daemon has stopped, and `-f` following a process across rotations.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  fixture,
  overseer,
  type Project,
  ps,
  readLines,
  spawnOverseer,
  waitFor,
  writeConfig,
} from './helpers.js';

afterEach(cleanup);

interface JsonLine {
  readonly at: number;
  readonly name: string;
  readonly stream: string;
  readonly text: string;
}

function jsonLines(stdout: unknown): JsonLine[] {
  return String(stdout)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonLine);
}

async function settled(project: ReturnType<typeof createProject>, names: readonly string[]) {
  await waitFor(
    async () =>
      (await ps(project))
        .filter((info) => names.includes(info.name))
        .every((info) => info.status === 'completed'),
    `${names.join(', ')} to complete`,
    30_000,
  );
}

describe('overseer logs, from the files', () => {
  it('reads past the memory ring across rotated files, with --since, --grep and --json, and after down', async () => {
    const project = createProject(`version: 1
settings:
  logs: { max_size: 64KB, max_files: 20 }
processes:
  flood:
    command: ${fixture('print-many.mjs', 5_000, 100, 'flood')}
    kind: job
  pair:
    command: ${fixture('print-lines.mjs', 3)}
    kind: job
    instances: 2
`);
    const up = await overseer(project, ['up', '-d']);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    await settled(project, ['flood', 'pair-0', 'pair-1']);

    const logDir = join(project.stateDir, 'logs');
    expect(
      readdirSync(logDir).filter((entry) => entry.startsWith('flood.log')).length,
    ).toBeGreaterThan(5);

    const [many, since, future, grep, json, pair, badSince, badGrep, unknown] = await Promise.all([
      overseer(project, ['logs', 'flood', '-n', '3000']),
      overseer(project, ['logs', 'flood', '-n', '2', '--since', '10m']),
      overseer(project, ['logs', 'flood', '--since', '2999-01-01T00:00:00Z']),
      overseer(project, ['logs', 'flood', '--grep', '^flood 4(00|99)\\d ', '-n', '3']),
      overseer(project, ['logs', 'flood', '-n', '2', '--json']),
      overseer(project, ['logs', 'pair', '--json']),
      overseer(project, ['logs', 'flood', '--since', 'soon']),
      overseer(project, ['logs', 'flood', '--grep', '(']),
      overseer(project, ['logs', 'nope']),
    ]);

    const manyLines = String(many.stdout).trimEnd().split('\n');
    expect(manyLines).toHaveLength(3000);
    expect(manyLines[0]).toMatch(/^flood 2001 x+$/);
    expect(manyLines.at(-1)).toMatch(/^flood 5000 x+$/);
    expect(
      String(since.stdout)
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' ')[1]),
    ).toEqual(['4999', '5000']);
    expect(future.exitCode).toBe(0);
    expect(future.stdout).toBe('');
    expect(
      String(grep.stdout)
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' ')[1]),
    ).toEqual(['4997', '4998', '4999']);

    const [first, second] = jsonLines(json.stdout);
    expect(first).toEqual({
      at: expect.any(Number),
      name: 'flood',
      stream: 'stdout',
      text: expect.stringMatching(/^flood 4999 /),
    });
    expect(second!.text).toMatch(/^flood 5000 /);
    expect(second!.at).toBeGreaterThanOrEqual(first!.at);

    // A name with instances: all of them, merged by time.
    const pairLines = jsonLines(pair.stdout);
    expect(pairLines).toHaveLength(8);
    for (const name of ['pair-0', 'pair-1']) {
      expect(pairLines.filter((line) => line.name === name).map((line) => line.text)).toEqual([
        'line 1',
        'line 2',
        'line 3',
        'partial',
      ]);
    }
    const times = pairLines.map((line) => line.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    expect([badSince.exitCode, String(badSince.stderr)]).toEqual([
      2,
      'overseer: --since: expected an ISO time (2026-11-23T11:00:00Z) or a duration (10m, 2h), got soon\n',
    ]);
    expect(badGrep.exitCode).toBe(2);
    expect(String(badGrep.stderr)).toMatch(/^overseer: --grep: Invalid regular expression/);
    expect([unknown.exitCode, String(unknown.stderr)]).toEqual([
      2,
      'overseer: no process named nope\n',
    ]);

    // The files outlive the daemon.
    expect((await overseer(project, ['down'])).exitCode).toBe(0);
    const after = await overseer(project, ['logs', 'flood', '-n', '1']);
    expect(after.exitCode).toBe(0);
    expect(String(after.stdout)).toMatch(/^flood 5000 x+\n$/);
    const human = await overseer(project, ['logs', 'pair', '-n', '2'], { env: { NO_COLOR: '1' } });
    expect(String(human.stdout)).toMatch(
      /^pair-\d │ line 3\npair-\d │ partial\n$|^pair-\d │ partial\npair-\d │ partial\n$/,
    );
  }, 60_000);

  it('-f follows a process across rotations without losing or repeating a line', async () => {
    const project = createProject(`version: 1
processes:
  ticker:
    command: ${fixture('print-slowly.mjs', 400, 4)}
    kind: job
    logs: { max_size: 1KB, max_files: 100 }
`);
    // Not waiting for the process to settle: the follower may start before it has written
    // anything, or after it has rotated a few times; either way every line comes once.
    expect(
      (await overseer(project, ['up', '-d', '--wait-timeout', '1ms'])).exitCode,
    ).toBeLessThanOrEqual(1);
    const follower = spawnOverseer(project, ['logs', 'ticker', '-f', '-n', '1000']);
    const followed = readLines(follower);
    await followed.waitFor(/^tick 400$/, 0, 30_000);
    follower.kill('SIGINT');
    const result = await follower;

    expect(result.exitCode).toBe(0);
    expect(followed.lines.filter(Boolean)).toEqual(
      Array.from({ length: 400 }, (_, index) => `tick ${index + 1}`),
    );
    const files = readdirSync(join(project.stateDir, 'logs'));
    expect(files.length).toBeGreaterThan(10);
  }, 60_000);

  it('logs NAME -f follows every instance after scaling 2 → 1 → 2, not a stale file, and picks up one added later', async () => {
    const withInstances = (count: number) => `version: 1
processes:
  worker:
    command: ${fixture('sleeper.mjs')}
    instances: ${count}
    # Each up -d and the restart wait for the instances to be up: not a second each.
    restart: { min_uptime: 100ms }
`;
    const project = createProject(withInstances(2));
    for (const count of [2, 1, 2]) {
      writeConfig(project, withInstances(count));
      const up = await overseer(project, ['up', '-d']);
      expect(up.exitCode, String(up.stderr)).toBe(0);
    }
    expect((await ps(project)).map((info) => info.name)).toEqual(['worker-0', 'worker-1']);

    const follower = spawnOverseer(project, ['logs', 'worker', '-f', '-n', '1', '--json']);
    const followed = readLines(follower);
    // The tail is printed once every file is followed: lines from now on reach the follower.
    await followed.waitFor(/"text":"ready"/);
    const from = followed.lines.length;
    expect((await overseer(project, ['restart', 'worker'])).exitCode).toBe(0);
    await followed.waitFor(/"name":"worker-0","stream":"stdout","text":"ready"/, from);
    await followed.waitFor(/"name":"worker-1","stream":"stdout","text":"ready"/, from);
    // An instance added while following is picked up from its first line.
    writeConfig(project, withInstances(3));
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    await followed.waitFor(/"name":"worker-2","stream":"stdout","text":"ready"/, from);
    follower.kill('SIGINT');
    expect((await follower).exitCode).toBe(0);
  }, 60_000);

  // Regression: the tail was gathered in memory before printing: 10 M lines took 3.9 GB and
  // 14 M ran out of heap (exit 134) having printed nothing.
  it('logs NAME -n N streams in bounded memory, whatever N is', async () => {
    const project = projectWithLongLog();

    // A heap far too small for the lines asked for: only streaming gets through.
    const result = await overseer(project, ['logs', 'big', '-n', '500000'], {
      env: { NODE_OPTIONS: '--max-old-space-size=24' },
      timeoutMs: 60_000,
    });

    expect(result.exitCode, String(result.stderr).slice(0, 500)).toBe(0);
    const printed = String(result.stdout);
    expect(printed.startsWith('line 100001 of a long log\nline 100002 ')).toBe(true);
    expect(printed.endsWith('line 599999 of a long log\nline 600000 of a long log\n')).toBe(true);
    expect(printed.split('\n')).toHaveLength(500_001);
  }, 90_000);

  it('logs NAME -n N ends quietly when its reader goes away mid-tail', async () => {
    const project = projectWithLongLog();
    const reader = spawnOverseer(project, ['logs', 'big', '-n', '600000'], {
      env: { NODE_OPTIONS: '--max-old-space-size=24' },
    });
    // Like `| head -1`: the pipe is closed after the first chunk.
    reader.stdout?.once('data', () => reader.stdout?.destroy());

    const result = await reader;

    expect([result.exitCode, String(result.stderr)]).toEqual([0, '']);
  }, 90_000);
});

/**
 * A project whose process `big` has 600,000 lines over a rotated log file and the current
 * one (`line 1 of a long log`…), and nothing running.
 */
function projectWithLongLog(): Project {
  const project = createProject(`version: 1
processes:
  big:
    command: ${fixture('sleeper.mjs')}
`);
  const logDir = join(project.stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const perFile = 300_000;
  const at = Date.UTC(2026, 0, 1);
  for (const [file, first] of [
    ['big.log.1', 1],
    ['big.log', perFile + 1],
  ] as const) {
    const lines: string[] = [];
    for (let n = first; n < first + perFile; n++) {
      lines.push(`${new Date(at + n).toISOString()} stdout line ${n} of a long log\n`);
    }
    writeFileSync(join(logDir, file), lines.join(''));
  }
  return project;
}
