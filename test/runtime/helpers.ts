/**
 * Helpers for the runtime integration tests: supervisors, temp dirs and pids that are
 * cleaned up after each test, fixture commands, free ports, and waits on explicit signals
 * (an event, a condition) instead of bare sleeps.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ProcessInfo,
  Supervisor,
  type SupervisorEvent,
  type SupervisorEventType,
  type SupervisorOptions,
} from '../../src/index.js';
import type { SupervisorEngine } from '../../src/runtime/supervisor/engine.js';

/** The library's supervisor, or the engine a daemon runs on: the helpers read either. */
export type AnySupervisor = Supervisor | SupervisorEngine;

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** How long a wait lasts unless told otherwise: generous, since CI machines are slow. */
const DEFAULT_TIMEOUT_MS = 5_000;
const POLL_MS = 15;

const supervisors: Supervisor[] = [];
const pids = new Set<number>();
const dirs: string[] = [];

/** A supervisor that is shut down after the test. */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  const supervisor = new Supervisor(options);
  supervisors.push(supervisor);
  return supervisor;
}

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-runtime-'));
  dirs.push(dir);
  return dir;
}

/** A pid learned during the test (a grandchild, say), killed after it if still alive. */
export function trackPid(pid: number): number {
  pids.add(pid);
  return pid;
}

const keptSupervisors: Supervisor[] = [];
const keptDirs: string[] = [];

/**
 * Runs `make`, keeping the supervisors and temp folders it creates past the test: for what
 * several tests of a file share and only read (a stack each would otherwise start anew).
 * `cleanupKept`, in `afterAll`, ends them. Tests of a file run one at a time, so what was
 * created while `make` ran is its own.
 */
export async function keepForTheFile<T>(make: () => Promise<T>): Promise<T> {
  const supervisorsBefore = supervisors.length;
  const dirsBefore = dirs.length;
  try {
    return await make();
  } finally {
    keptSupervisors.push(...supervisors.splice(supervisorsBefore));
    keptDirs.push(...dirs.splice(dirsBefore));
  }
}

/** For `afterAll`: what `cleanup` does, for what `keepForTheFile` kept. */
export async function cleanupKept(): Promise<void> {
  await end(keptSupervisors.splice(0), keptDirs.splice(0));
}

/**
 * For `afterEach`: shuts every supervisor down, kills any tracked pid still alive, and
 * removes the temp folders. A shutdown that fails still lets the rest run.
 */
export async function cleanup(): Promise<void> {
  await end(supervisors.splice(0), dirs.splice(0));
}

async function end(created: readonly Supervisor[], folders: readonly string[]): Promise<void> {
  const results = await Promise.allSettled(created.map((supervisor) => supervisor.shutdown()));
  for (const pid of pids) {
    if (!isGone(pid) && isOurs(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  pids.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** The command that runs a fixture program with node, exec'd directly (no shell). */
export function fixture(name: string, ...args: Array<string | number>): string[] {
  return [process.execPath, join(FIXTURES, name), ...args.map(String)];
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port assigned'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Polls `condition` every 15 ms until it returns a truthy value, which is returned. */
export async function waitFor<T>(
  condition: () => T,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const SETTLED = new Set(['completed', 'failed', 'stopped']);

/**
 * Waits until every process (or the named ones) has settled (`completed`, `failed` or
 * `stopped`) and returns their rows. `up()` alone is not enough for a process that ends on
 * its own: it returns once a process is `running`, which a slow machine can reach (past
 * `min_uptime`) before the process exits.
 */
export async function waitForSettled(
  supervisor: AnySupervisor,
  names?: readonly string[],
  timeoutMs = 10_000,
): Promise<ProcessInfo[]> {
  const rows = () =>
    supervisor.list().filter((info) => names === undefined || names.includes(info.name));
  await waitFor(
    () => rows().every((info) => SETTLED.has(info.status)),
    timeoutMs,
    'the processes to settle',
  );
  return rows();
}

/**
 * The next event (from now on) that satisfies `predicate`. Call it before the action that
 * should cause the event, then await it.
 */
export function waitForEvent<E extends SupervisorEvent>(
  supervisor: AnySupervisor,
  predicate: (event: SupervisorEvent) => event is E,
  timeoutMs?: number,
): Promise<E>;
export function waitForEvent(
  supervisor: AnySupervisor,
  predicate: (event: SupervisorEvent) => boolean,
  timeoutMs?: number,
): Promise<SupervisorEvent>;
export function waitForEvent(
  supervisor: AnySupervisor,
  predicate: (event: SupervisorEvent) => boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<SupervisorEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dispose();
      reject(new Error(`timed out after ${timeoutMs}ms waiting for an event`));
    }, timeoutMs);
    const dispose = supervisor.onAny((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      dispose();
      resolve(event);
    });
  });
}

/** A predicate for `waitForEvent`: an event of `type`, about process `name` when given. */
export function isEvent<T extends SupervisorEventType>(
  type: T,
  name?: string,
): (event: SupervisorEvent) => event is Extract<SupervisorEvent, { type: T }> {
  return (event): event is Extract<SupervisorEvent, { type: T }> =>
    event.type === type && (name === undefined || ('name' in event && event.name === name));
}

/** Every event the supervisor emits from now on, in order. */
export function recordEvents(supervisor: AnySupervisor): SupervisorEvent[] {
  const events: SupervisorEvent[] = [];
  supervisor.onAny((event) => events.push(event));
  return events;
}

/** `type name` for each process event, e.g. `process:started web`: easy to compare as a list. */
export function describeEvents(
  events: readonly SupervisorEvent[],
  types?: readonly SupervisorEventType[],
): string[] {
  return events
    .filter((event) => types === undefined || types.includes(event.type))
    .map((event) => ('name' in event ? `${event.type} ${event.name}` : event.type));
}

/** True when no process has this pid, or only a zombie is left (a zombie counts as dead, as docs/containment.md says). */
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** True when `pid` carries this test run's mark (see test/global-setup.ts): safe to kill. */
function isOurs(pid: number): boolean {
  const mark = process.env.OVERSEER_TEST_RUN;
  if (mark === undefined) return false;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .includes(`OVERSEER_TEST_RUN=${mark}`);
  } catch {
    return false;
  }
}
