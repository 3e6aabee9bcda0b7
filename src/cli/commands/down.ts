import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import { lockHolder } from '../../daemon/lock.js';
import { type ConfigOption, clientAt } from '../context.js';

/** How long `down` waits for the daemon to let go of its lock once the stack is stopped. */
const EXIT_WAIT_MS = 10_000;

export async function down(options: ConfigOption): Promise<number> {
  const stateDir = await locateStateDir(findConfigFile(process.cwd(), options.file));
  const client = clientAt(stateDir);
  let project: string;
  try {
    project = (await client.status()).project;
    await client.shutdown();
  } catch (error) {
    if (!(error instanceof OverseerError && error.code === 'UNAVAILABLE')) throw error;
    process.stderr.write(`overseer: nothing to stop: no supervisor is running for ${stateDir}\n`);
    return 0;
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
