import { Daemon } from '../../daemon/daemon.js';
import { type ConfigOption, openProject } from '../context.js';

/** Runs the project's supervisor in this process until SIGTERM, SIGINT or `down`. */
export async function daemon(names: string[], options: ConfigOption): Promise<number> {
  const running = await Daemon.open(await openProject(options));
  const stop = () => void running.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  running.up(names.length > 0 ? names : undefined).catch((error: Error) => {
    process.stderr.write(`overseer: ${error.message}\n`);
  });
  await running.closed;
  return 0;
}
