/**
 * `down`: the stack stopped in reverse dependency order and the daemon ended, then waited
 * for until it let go of its state dir; with no live daemon, what a dead one left running is
 * ended from the store. `--api`: the remote daemon is asked the same, and its answer (the
 * stack stopped) is the end: its state dir is not ours to watch, nor its leftovers to end.
 */
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { ProcessSpec } from '../../core/process/spec.js';
import { type ConfigOption, clientAt } from '../context.js';
import type { DaemonSide } from '../daemon-side.js';
import { remoteClient } from '../remote.js';

/** How long `down` waits for the daemon to let go of its lock once the stack is stopped. */
const EXIT_WAIT_MS = 10_000;

export type DownOptions = ConfigOption;

export async function down(options: DownOptions, daemonSide: DaemonSide): Promise<number> {
  const remote = remoteClient(options);
  if (remote) {
    const { project } = await remote.status();
    await remote.shutdown();
    process.stdout.write(`stopped ${project}\n`);
    return 0;
  }
  const configPath = findConfigFile(process.cwd(), options.file);
  const stateDir = await locateStateDir(configPath);
  const client = clientAt(stateDir);
  let project: string;
  try {
    project = (await client.status()).project;
    await client.shutdown();
  } catch (error) {
    if (!(error instanceof OverseerError && error.code === 'UNAVAILABLE')) throw error;
    return downWithoutDaemon(configPath, stateDir, daemonSide);
  }
  await untilLockFree(stateDir, daemonSide);
  process.stdout.write(`stopped ${project}\n`);
  return 0;
}

/** Waits for the daemon to let go of the state dir's lock: it has exited then. */
async function untilLockFree(stateDir: string, daemonSide: DaemonSide): Promise<void> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (let holder = await daemonSide.lockHolder(stateDir); holder !== undefined; ) {
    if (Date.now() > deadline) {
      throw new OverseerError(
        'INTERNAL',
        `the stack is stopped but the daemon (pid ${holder}) has not exited`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
    holder = await daemonSide.lockHolder(stateDir);
  }
}

/**
 * No live supervisor: what a dead one left running is ended from the store, exactly as the
 * next `up` would (each process stopped the way its config asks).
 */
async function downWithoutDaemon(
  configPath: string,
  stateDir: string,
  daemonSide: DaemonSide,
): Promise<number> {
  const stopped = await daemonSide.stopLeftovers(stateDir, await specsIfLoadable(configPath));
  if (stopped === 0) {
    process.stderr.write(`overseer: nothing to stop: no supervisor is running for ${stateDir}\n`);
  } else {
    process.stdout.write(`stopped ${stopped} process(es) left running by a supervisor that died\n`);
  }
  return 0;
}

/**
 * The processes' stop signals and timeouts, from the config; none when it no longer loads
 * (leftovers are then stopped with SIGTERM, and SIGKILL after 10 s).
 */
async function specsIfLoadable(configPath: string): Promise<readonly ProcessSpec[]> {
  try {
    const { loadProject } = await import('../../config/load.js');
    return (await loadProject(configPath)).specs;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `overseer: ${configPath} does not load (${why}): what is left is stopped with SIGTERM, then SIGKILL after 10s\n`,
    );
    return [];
  }
}
