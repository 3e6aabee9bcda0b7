/**
 * A foreground `up` on a terminal: the supervisor in this process, shown by the dashboard.
 * `q`, Ctrl-C, SIGTERM or SIGHUP stop the stack in reverse dependency order while the
 * dashboard shows it happening; a second one kills every process tree at once; a third
 * gives up waiting. The terminal is given back as it was, then one line says how it ended.
 */
import type { Project } from '../../config/load.js';
import type { DaemonSide, LocalDaemon } from '../daemon-side.js';
import { loadDashboard } from '../dashboard-loader.js';

/** What the dashboard says while the stack stops, one line per quit so far. */
const STOPPING = [
  'stopping the stack in reverse dependency order… (q again to force)',
  'forced: killing every process tree now… (q again to stop waiting)',
];

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
  if (watch) void daemon.watchConfig();
  const { showDashboard } = await loading;
  let giveUp: (code: number) => void = () => {};
  const givenUp = new Promise<number>((resolve) => {
    giveUp = resolve;
  });
  let quits = 0;
  const quit = () => {
    quits += 1;
    if (quits === 1) void daemon.shutdown();
    // The supervisor's exit hook SIGKILLs whatever is left on the way out.
    else if (quits === 2) void daemon.supervisor.shutdown({ force: true });
    else return giveUp(130);
    shown.say({ text: STOPPING[quits - 1]!, failed: false });
  };
  const shown = showDashboard(daemon.api, {
    project: project.name,
    settings: project.settings.tui,
    onQuit: quit,
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, quit);
  if (daemon.orphansCleaned > 0) {
    shown.say({
      text: `stopped ${daemon.orphansCleaned} process(es) left running by a supervisor that died`,
      failed: false,
    });
  }
  daemon.up(names.length > 0 ? names : undefined).catch((error: Error) => {
    shown.say({ text: error.message, failed: true });
  });
  // A dashboard that breaks must not leave the stack running with no one to stop it.
  const broken = shown.ended.then(
    () => undefined,
    (error: unknown) => {
      void daemon.shutdown();
      return error;
    },
  );
  try {
    const code = await Promise.race([daemon.closed.then(() => exitCode(daemon)), givenUp]);
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
