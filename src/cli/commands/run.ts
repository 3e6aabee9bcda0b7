/**
 * `run [options] -- CMD [ARG…]`: a one-off task under supervision. With a daemon running
 * for the config (found as `ps` finds it) the task is submitted there; without one, it
 * runs in this process under the config's settings (sandbox, slots, logs under the state
 * dir), and that supervisor is shut down after. Its output is streamed as it comes
 * (stdout lines to stdout, stderr lines to stderr), a summary goes to stderr, and the
 * command exits with the task's code: 124 timed out, 125 refused or bad input, 130 when
 * Ctrl-C cancelled it. `--json`: nothing streamed, the result alone on stdout. `--api`: the
 * task goes to that daemon, and to no other supervisor when it does not answer.
 */
import { constants } from 'node:os';
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { TaskResult, TaskView } from '../../core/tasks/task.js';
import type { SupervisorApi } from '../../protocol/api.js';
import { stateDirLayout } from '../../protocol/state-dir.js';
import { type ConfigOption, clientAt } from '../context.js';
import { formatBytes, formatUptime } from '../output.js';
import { remoteClient } from '../remote.js';
import { ownStdin, type RunOptions, taskDefinitionOf } from '../task-definition.js';

export interface RunCommandOptions extends ConfigOption, RunOptions {
  readonly json?: boolean;
}

/** Exit codes of a task that did not end with its own. */
export const TASK_EXIT = {
  timedOut: 124,
  refused: 125,
  /** As a shell says of a program it found but could not run, and of one it did not find. */
  cannotRun: 126,
  notFound: 127,
  interrupted: 130,
} as const;

/** How long one wait for the end asks of the supervisor before asking again. */
const WAIT_SLICE_MS = 60_000;

export async function run(words: readonly string[], options: RunCommandOptions): Promise<number> {
  const remote = remoteClient(options);
  const definition = taskDefinitionOf(words, options, { remote: remote !== undefined });
  if (options.stdin) definition.input = await ownStdin();
  const supervisor = remote ? { api: remote, close: async () => {} } : await supervisorFor(options);
  try {
    let id: string;
    try {
      id = await supervisor.api.submitTask(definition);
    } catch (error) {
      if (!(error instanceof OverseerError && error.code === 'INVALID_SPEC')) throw error;
      process.stderr.write(`overseer: ${error.message}\n`);
      return TASK_EXIT.refused;
    }
    return await followToEnd(supervisor.api, id, options);
  } finally {
    await supervisor.close();
  }
}

/** Streams (unless `--json`) until the task ended; Ctrl-C cancels it meanwhile. */
async function followToEnd(
  api: SupervisorApi,
  id: string,
  options: RunCommandOptions,
): Promise<number> {
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`overseer: cancelling task ${id}…\n`);
    Promise.resolve(api.cancelTask(id)).catch(() => {
      // Already ended: its end is on its way.
    });
  };
  process.on('SIGINT', onInterrupt);
  try {
    const view = options.json ? await waitForEnd(api, id) : await streamToEnd(api, id);
    const result = view.result as TaskResult;
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stderr.write(`${summaryOf(result)}\n`);
    if (interrupted && result.status === 'cancelled') return TASK_EXIT.interrupted;
    return exitCodeOf(result);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function waitForEnd(api: SupervisorApi, id: string): Promise<TaskView> {
  for (;;) {
    const view = await api.waitTask(id, WAIT_SLICE_MS);
    if (view.result !== null) return view;
  }
}

function streamToEnd(api: SupervisorApi, id: string): Promise<TaskView> {
  return new Promise((resolve, reject) => {
    const stopBreaks = api.onBreak(reject);
    api.followTask(
      id,
      ({ stream, text }) =>
        (stream === 'stdout' ? process.stdout : process.stderr).write(`${text}\n`),
      (view) => {
        stopBreaks();
        resolve(view);
      },
    );
  });
}

/** The task's own exit code, or what stands for how it ended otherwise. */
export function exitCodeOf(result: TaskResult): number {
  switch (result.status) {
    case 'succeeded':
      return 0;
    case 'timed_out':
      return TASK_EXIT.timedOut;
    case 'refused':
      return TASK_EXIT.refused;
    case 'cancelled':
      return TASK_EXIT.interrupted;
    case 'failed': {
      // A try a limit stopped may well have exited 0 on SIGTERM: a failure is never 0.
      if (result.exitCode !== null && result.exitCode !== 0) return result.exitCode;
      if (result.attempts === 0 && /ENOENT/.test(result.reason ?? '')) return TASK_EXIT.notFound;
      if (result.attempts === 0 && /EACCES/.test(result.reason ?? '')) return TASK_EXIT.cannotRun;
      const number = result.signal ? constants.signals[result.signal as NodeJS.Signals] : undefined;
      return number === undefined ? 1 : 128 + number;
    }
  }
}

/** `overseer: task ID failed (exit 3) in 1.2s, peak memory 31.0MB, 1 attempt: why`. */
function summaryOf(result: TaskResult): string {
  const exit =
    result.exitCode !== null && result.status !== 'succeeded'
      ? ` (exit ${result.exitCode})`
      : result.signal
        ? ` (${result.signal})`
        : '';
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  const memory = formatBytes(result.resourceUsage.peakMemoryBytes);
  const why = result.reason ? `: ${result.reason}` : '';
  return `overseer: task ${result.id} ${result.status}${exit} in ${formatUptime(result.durationMs)}, peak memory ${memory}, ${attempts}${why}`;
}

interface TaskSupervisor {
  readonly api: SupervisorApi;
  close(): Promise<void>;
}

/**
 * The daemon running for the config, when one answers; else a supervisor in this process
 * under the config's settings (defaults, when there is no config and none was named).
 */
async function supervisorFor(options: ConfigOption): Promise<TaskSupervisor> {
  let configPath: string | undefined;
  try {
    configPath = findConfigFile(process.cwd(), options.file);
  } catch (error) {
    // No config here is fine for a task: only a config that was named must exist.
    if (options.file !== undefined) throw error;
  }
  if (configPath !== undefined) {
    const client = clientAt(await locateStateDir(configPath));
    if (await answers(client)) return { api: client, close: async () => {} };
  }
  const { Supervisor } = await import('../../supervisor.js');
  if (configPath === undefined) {
    const supervisor = new Supervisor();
    return { api: supervisor, close: () => supervisor.shutdown() };
  }
  const { loadProject } = await import('../../config/load.js');
  const { settings, baseDir } = await loadProject(configPath);
  const supervisor = new Supervisor({
    maxProcesses: settings.maxProcesses,
    cwd: baseDir,
    logDir: stateDirLayout(settings.stateDir).logDir,
    logRotation: settings.logs,
    sampleInterval: settings.sampleInterval,
    sandbox: settings.sandbox,
    tasks: settings.tasks,
  });
  return { api: supervisor, close: () => supervisor.shutdown() };
}

async function answers(client: SupervisorApi): Promise<boolean> {
  try {
    await client.health();
    return true;
  } catch (error) {
    if (error instanceof OverseerError && error.code === 'UNAVAILABLE') return false;
    throw error;
  }
}
