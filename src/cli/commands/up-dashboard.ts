/**
 * A foreground `up` on a terminal: the supervisor in this process, shown by the dashboard.
 * `q`, Ctrl-C, SIGTERM or SIGHUP stop the stack in reverse dependency order while the
 * dashboard shows it happening; a second one kills every process tree at once; a third
 * gives up waiting (see stop-ladder.ts). The terminal is given back as it was, then one line
 * says how the stack ended.
 */
import type { Project } from '../../config/load.js';
import type { DaemonSide, LocalDaemon } from '../daemon-side.js';
import { loadDashboard } from '../dashboard-loader.js';
import { type StopStep, stopLadder } from '../stop-ladder.js';

/** What the dashboard says while the stack stops, after each step. */
const STOPPING: Readonly<Record<Exclude<StopStep, 'given up'>, string>> = {
  graceful: 'stopping the stack in reverse dependency order… (q again to force)',
  forced: 'forced: killing every process tree now… (q again to stop waiting)',
};

export async function upWithDashboard(
  project: Project,
  names: readonly string[],
  watch: boolean,
  daemonSide: DaemonSide,
): Promise<number> {
  // The dashboard's code loads while the daemon opens.
  const loading = loadDashboard();
  loading.catch(() => {});
  const daemon = await daemonSide.open(project);
  let showDashboard: Awaited<typeof loading>['showDashboard'];
  try {
    ({ showDashboard } = await loading);
  } catch (error) {
    // Nothing shows the stack: it must not run on with no one to stop it.
    await daemon.shutdown().catch(() => {});
    throw error;
  }
  if (watch) void daemon.watchConfig();
  const ladder = stopLadder(daemon, (error) =>
    shown.tell({ text: `the stop failed: ${(error as Error).message}`, failed: true }),
  );
  const quit = () => {
    const step = ladder.next();
    if (step !== 'given up') shown.say({ text: STOPPING[step], failed: false });
  };
  const shown = showDashboard(daemon.api, {
    project: project.name,
    workflows: daemon.workflows,
    settings: project.settings.tui,
    onQuit: quit,
    processes: daemon.supervisor.list(),
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, quit);
  try {
    if (daemon.orphansCleaned > 0) {
      shown.tell({
        text: `stopped ${daemon.orphansCleaned} process(es) left running by a supervisor that died`,
        failed: false,
      });
    }
    daemon.up(names.length > 0 ? names : undefined).catch((error: Error) => {
      // Once the stack stops, a start cut short says nothing the stop does not.
      if (!ladder.asked) shown.tell({ text: error.message, failed: true });
    });
    // A dashboard that breaks must not leave the stack running with no one to stop it.
    const broken = shown.ended.then(
      () => undefined,
      (error: unknown) => {
        daemon.shutdown().catch(() => {});
        return error;
      },
    );
    const code = await Promise.race([daemon.closed.then(() => exitCode(daemon)), ladder.givenUp]);
    shown.end();
    const error = await broken;
    if (error !== undefined) throw error;
    process.stdout.write(`${project.name}: ${summary(daemon, code)}\n`);
    return code;
  } finally {
    for (const signal of signals) process.off(signal, quit);
  }
}

function exitCode(daemon: LocalDaemon): number {
  return daemon.supervisor.list().some((info) => info.status === 'failed') ? 1 : 0;
}

/** `stack stopped`, or which processes had failed. */
function summary(daemon: LocalDaemon, code: number): string {
  if (code === 130) return 'gave up waiting for the stack to stop';
  const failed = daemon.supervisor.list().filter((info) => info.status === 'failed');
  if (failed.length === 0) return 'stack stopped';
  return `stack stopped; failed: ${failed.map((info) => `${info.name} (${info.reason ?? 'failed'})`).join(', ')}`;
}
