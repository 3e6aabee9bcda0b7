import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { ProcessSpec } from '../../core/process/spec.js';
import { lockHolder } from '../../daemon/lock.js';
import { recoverStateDir } from '../../daemon/recovery.js';
import { type ConfigOption, clientAt } from '../context.js';

/** How long `down` waits for the daemon to let go of its lock once the stack is stopped. */
const EXIT_WAIT_MS = 10_000;

export async function down(options: ConfigOption): Promise<number> {
  const configPath = findConfigFile(process.cwd(), options.file);
  const stateDir = await locateStateDir(configPath);
  const client = clientAt(stateDir);
  let project: string;
  try {
    project = (await client.status()).project;
    await client.shutdown();
  } catch (error) {
    if (!(error instanceof OverseerError && error.code === 'UNAVAILABLE')) throw error;
    return downWithoutDaemon(configPath, stateDir);
  }
  for (const deadline = Date.now() + EXIT_WAIT_MS; lockHolder(stateDir) !== undefined; ) {
    if (Date.now() > deadline) {
      throw new OverseerError(
        'INTERNAL',
        `the stack is stopped but the daemon (pid ${lockHolder(stateDir)}) has not exited`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  process.stdout.write(`stopped ${project}\n`);
  return 0;
}

/**
 * No live supervisor: what a dead one left running is ended from the store, exactly as the
 * next `up` would (each process stopped the way its config asks).
 */
async function downWithoutDaemon(configPath: string, stateDir: string): Promise<number> {
  const stopped = await recoverStateDir(stateDir, await specsIfLoadable(configPath));
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
