/**
 * What a run's whole tree used, measured by the usage shim (native/usage-shim.c) rather than
 * sampled: right for a run of 50 ms, counting the CPU of children that exited before the
 * run and of orphans re-parented to the shim. The shim must change nothing else about a
 * run: its exit code or signal, its stop, its stdin and output, its containment.
 *
 * The shim is built by `npm ci` (the install script) or `npm run build`: these tests fail,
 * saying so, when it is missing.
 */
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { specsFromDefinition } from '../../../src/config/normalize.js';
import type { ContainmentMode } from '../../../src/core/view.js';
import { type ChildExit, ChildRun } from '../../../src/runtime/process/child.js';
import { Containment } from '../../../src/runtime/process/containment.js';
import { type LaunchOptions, planLaunch } from '../../../src/runtime/process/launch.js';
import type { LaunchPlan } from '../../../src/runtime/process/launch-plan.js';
import { RunTree } from '../../../src/runtime/process/run-tree.js';
import {
  type MeasuredUsage,
  measuringUsage,
  parseUsageReport,
  usageShimPath,
} from '../../../src/runtime/process/usage-shim.js';
import { cleanup, fixture, isGone, tempDir, trackPid } from '../helpers.js';

const MiB = 2 ** 20;

let shim: string;

beforeAll(() => {
  const found = usageShimPath();
  if (found === undefined) {
    throw new Error(
      'native/build/overseer-usage-shim is missing: `npm ci` builds it (or `npm run build`, or `node scripts/build-native.mjs`); a C compiler (cc) is needed',
    );
  }
  shim = found;
});

interface Finished {
  readonly exit: ChildExit;
  readonly usage: MeasuredUsage | undefined;
}

interface Started {
  readonly child: ChildRun;
  readonly plan: LaunchPlan;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly finished: Promise<Finished>;
  /** Resolves with the first stdout line matching `pattern`. */
  readonly line: (pattern: RegExp) => Promise<string>;
}

const runs: ChildRun[] = [];
const containments: Containment[] = [];

afterEach(async () => {
  // A test that failed half way leaves no tree behind.
  for (const run of runs.splice(0)) run.kill();
  await cleanup();
  for (const containment of containments.splice(0)) containment.close();
});

/** A run of `command` as the supervisor starts one: its spec planned, then a `ChildRun`. */
function start(
  command: string | readonly string[],
  options: LaunchOptions & { tree?: RunTree; limits?: object } = {},
): Started {
  const [spec] = specsFromDefinition({
    name: 'task',
    command,
    ...(options.limits && { limits: options.limits }),
  });
  const tree = options.tree ?? new RunTree(null, null);
  const plan = planLaunch(spec!, process.cwd(), process.env, undefined, tree, options);
  return startPlan(plan, tree);
}

function startPlan(plan: LaunchPlan, tree = new RunTree(null, null)): Started {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<() => void> = [];
  let child: ChildRun | undefined;
  const finished = new Promise<Finished>((resolve, reject) => {
    child = new ChildRun(tree, plan, 'SIGTERM', 2_000, {
      onLines: (stream, block) => {
        (stream === 'stdout' ? stdout : stderr).push(...block.lines);
        for (const waiter of waiters.splice(0)) waiter();
      },
      onSpawnError: (message) => reject(new Error(`spawn error: ${message}`)),
      onExit: (exit) => resolve({ exit, usage: child!.usage() }),
    });
  });
  runs.push(child!);
  if (child!.pid !== undefined) trackPid(child!.pid);
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const look = () => {
        const found = stdout.find((text) => pattern.test(text));
        if (found !== undefined) resolve(found);
        else waiters.push(look);
      };
      look();
    });
  return { child: child!, plan, stdout, stderr, finished, line };
}

/** A node program given as source, run directly (no shell). */
function node(source: string): string[] {
  return [process.execPath, '-e', source];
}

describe('the report', () => {
  it('reads maxrss in KiB and CPU in microseconds', () => {
    expect(parseUsageReport('1576 694 306\n')).toEqual({ peakRssBytes: 1576 * 1024, cpuMs: 1 });
    expect(parseUsageReport('142888 59736 71684')).toEqual({
      peakRssBytes: 142_888 * 1024,
      cpuMs: 131.42,
    });
  });

  it('is undefined for anything else', () => {
    for (const text of ['', '\n', '1 2', '1 2 3 4\n', 'a b c\n', '1 2 3\n4 5 6\n', '-1 2 3']) {
      expect(parseUsageReport(text)).toBeUndefined();
    }
  });
});

describe('measured usage', () => {
  it('sees the peak memory of a run of 50 ms: 100 MiB allocated and touched', async () => {
    const run = start(node('Buffer.alloc(100 * 2 ** 20, 1)'), { measureUsage: true });
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(usage!.peakRssBytes).toBeGreaterThanOrEqual(100 * MiB);
    expect(usage!.cpuMs).toBeGreaterThan(0);
  });

  it('counts the CPU of a child that exited before the run, and the run’s own', async () => {
    const run = start(fixture('usage-tree.mjs', 'child', 300), { measureUsage: true });
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    const own = Number(run.stdout.find((line) => line.startsWith('own cpu'))!.slice(8));
    expect(own).toBeGreaterThan(0);
    expect(usage!.cpuMs).toBeGreaterThanOrEqual(300 + own);
  });

  it('reaps a double-forked setsid grandchild re-parented to it, and counts its CPU', async () => {
    const run = start(fixture('usage-tree.mjs', 'orphan', 300), { measureUsage: true });
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    // Re-parented to the shim (a child subreaper), the spawned process, not to PID 1.
    expect(run.stdout).toContain(`ppid ${run.child.pid}`);
    const own = Number(run.stdout.find((line) => line.startsWith('own cpu'))!.slice(8));
    expect(usage!.cpuMs).toBeGreaterThanOrEqual(300 + own);
  });

  it('is undefined when the run is not measured, which then runs as it always did', async () => {
    const run = start(fixture('exit-with.mjs', 0));
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(usage).toBeUndefined();
    expect(run.plan.measureUsage).toBeUndefined();
    expect(run.plan.file).toBe(process.execPath);
  });

  it('runs the shim outermost: resource limits apply to the program inside it', async () => {
    const run = start('ulimit -n', { measureUsage: true, limits: { open_files: 64 } });
    const { exit, usage } = await run.finished;

    expect(run.plan.file).toBe(shim);
    expect(run.plan.args[0]).toBe('/bin/sh');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout).toEqual(['64']);
    expect(usage).toBeDefined();
  });
});

describe('a run as another user', () => {
  it.skipIf(process.getuid?.() !== 0)('is not measured: it runs as it would unmeasured', () => {
    const [spec] = specsFromDefinition({ name: 'job', command: ['true'], user: 'nobody' });
    const plan = planLaunch(spec!, '/', process.env, undefined, undefined, {
      measureUsage: true,
    });

    expect(plan.measureUsage).toBeUndefined();
    expect(plan).toMatchObject({ file: 'true', args: [], uid: 65534 });
  });
});

describe('the exit through the shim', () => {
  it('is the program’s exit code', async () => {
    const run = start(fixture('exit-with.mjs', 3), { measureUsage: true });
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 3, signal: null });
    expect(usage).toBeDefined();
  });

  it.each(['SIGKILL', 'SIGHUP'])(
    'is the signal that killed the program (%s), with its usage',
    async (signal) => {
      const run = start(node(`process.kill(process.pid, '${signal}')`), { measureUsage: true });
      const { exit, usage } = await run.finished;

      expect(exit).toEqual({ code: null, signal });
      expect(usage).toBeDefined();
    },
  );

  it('is SIGKILL when the group is killed (the shim with it: no report)', async () => {
    const run = start(fixture('sleeper.mjs'), { measureUsage: true });
    await run.line(/^ready$/);
    run.child.kill();
    const { exit } = await run.finished;

    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('survives SIGTERM to the group until the program, which traps it, exits 0', async () => {
    const release = join(tempDir(), 'release');
    const run = start(
      node(`
        process.on('SIGTERM', () => {
          console.log('got SIGTERM');
          setInterval(() => require('node:fs').existsSync(${JSON.stringify(release)}) && process.exit(0), 10);
        });
        console.log('ready');
        setInterval(() => {}, 1 << 30);
      `),
      { measureUsage: true },
    );
    await run.line(/^ready$/);
    run.child.signal('SIGTERM');
    await run.line(/^got SIGTERM$/);
    // The program is still on it: the shim, which got the same SIGTERM, is still there.
    expect(isGone(run.child.pid!)).toBe(false);
    writeFileSync(release, '');
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(usage).toBeDefined();
  });

  it('ends in SIGKILL a program that ignores the stop signal', async () => {
    const run = start(fixture('ignore-sigterm.mjs'), { measureUsage: true });
    await run.line(/^ready$/);
    run.child.signal('SIGTERM');
    await run.line(/^SIGTERM ignored$/);
    run.child.kill();
    const { exit } = await run.finished;

    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('is 127 with a message when the program cannot be run', async () => {
    const base: LaunchPlan = {
      file: 'overseer-no-such-command',
      args: ['an argument'],
      cwd: process.cwd(),
      env: process.env,
    };
    const run = startPlan(measuringUsage(base, shim));
    const { exit } = await run.finished;

    expect(exit).toEqual({ code: 127, signal: null });
    expect(run.stderr).toEqual([
      'overseer: cannot run overseer-no-such-command: No such file or directory',
    ]);
  });

  it('is 126 with a message, the program never run, when it cannot enter the cgroup', async () => {
    const base: LaunchPlan = {
      file: 'echo',
      args: ['ran'],
      cwd: process.cwd(),
      env: process.env,
    };
    const run = startPlan(measuringUsage(base, shim, '/nonexistent/overseer-run'));
    const { exit } = await run.finished;

    expect(exit).toEqual({ code: 126, signal: null });
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toEqual([
      "overseer: cannot enter the run's cgroup /nonexistent/overseer-run: No such file or directory",
    ]);
  });

  it('leaves a missing program a spawn error, as it is without the shim', () => {
    expect(() => start(['overseer-no-such-command'], { measureUsage: true })).toThrow(
      'spawn overseer-no-such-command ENOENT',
    );
  });
});

describe.each([true, false])('stdin (measured: %s)', (measureUsage) => {
  it('gives the program its input, then the end of it', async () => {
    const cat = start(['cat'], { measureUsage, stdin: 'one\ntwo\nthree\n' });
    const read = start(
      node(`
        let text = '';
        process.stdin.setEncoding('utf8').on('data', (chunk) => { text += chunk; });
        process.stdin.on('end', () => console.log(JSON.stringify(text.split('\\n'))));
      `),
      { measureUsage, stdin: Buffer.from('a\nb\nc') },
    );

    expect((await cat.finished).exit).toEqual({ code: 0, signal: null });
    expect(cat.stdout).toEqual(['one', 'two', 'three']);
    expect((await read.finished).exit).toEqual({ code: 0, signal: null });
    expect(read.stdout).toEqual(['["a","b","c"]']);
  });

  it('is no error when the program exits without reading 1 MB of it', async () => {
    const run = start(node('process.exit(0)'), { measureUsage, stdin: Buffer.alloc(MiB, 'x') });

    expect((await run.finished).exit).toEqual({ code: 0, signal: null });
  });

  it('is no error when the program closes it unread and goes on', async () => {
    const run = start(
      node(`require('node:fs').closeSync(0); setTimeout(() => console.log('done'), 100)`),
      { measureUsage, stdin: Buffer.alloc(MiB, 'x') },
    );

    expect((await run.finished).exit).toEqual({ code: 0, signal: null });
    expect(run.stdout).toEqual(['done']);
  });
});

const MODES: readonly ContainmentMode[] = ['cgroup', 'process-group'];

describe.each(MODES)('containment %s, measured', (mode) => {
  function open(): RunTree {
    const containment = Containment.detect(mode, {});
    containments.push(containment);
    return containment.open();
  }

  it('spawns the shim as the run’s leader, in its cgroup, carrying the run mark', async () => {
    const tree = open();
    const run = start(fixture('sleeper.mjs'), { measureUsage: true, tree });
    await run.line(/^ready$/);
    const pid = run.child.pid!;

    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(shim);
    expect(readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')).toContain(
      `OVERSEER_RUN=${tree.mark}`,
    );
    if (tree.cgroup !== null) {
      const own = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('0::'))!;
      expect(tree.cgroup.endsWith(own.slice(3))).toBe(true);
    }
    run.child.signal('SIGTERM');
    expect((await run.finished).exit).toEqual({ code: 0, signal: null });
  });

  it('ends a double-forked setsid grandchild left behind when the program exits', async () => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const run = start(fixture('double-fork.mjs', pidFile, 'exit'), {
      measureUsage: true,
      tree: open(),
    });
    await run.line(/^escaped$/); // once the grandchild has written its pid
    const grandchild = trackPid(Number(readFileSync(pidFile, 'utf8')));
    const { exit, usage } = await run.finished;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(usage).toBeDefined();
    expect(isGone(grandchild)).toBe(true);
  });
});
