import { deserialize } from 'node:v8';
import type { Project } from '../../config/load.js';
import type { ConfigOption } from '../context.js';
import type { DaemonSide, LocalDaemon } from '../daemon-side.js';

export interface DaemonOptions extends ConfigOption {
  /**
   * The project comes from `up -d`, already loaded and validated, as `v8.serialize` wrote
   * it. Nothing at all means `up -d` found the config bad: there is nothing to run.
   */
  readonly projectOnStdin?: boolean;
  /** `up -d --watch`: apply every change of the config file for as long as this daemon runs. */
  readonly watch?: boolean;
}

/**
 * Runs the project's supervisor in this process until SIGTERM, SIGINT or `down`, which stop
 * the stack gracefully; a second signal forces the stop. SIGHUP applies the config file
 * again. The handlers are in place before the daemon opens: a signal that comes while it
 * ends what a dead supervisor left is acted on once that is done, never killing it midway.
 */
export async function daemon(
  names: string[],
  options: DaemonOptions,
  daemonSide: DaemonSide,
): Promise<number> {
  let running: LocalDaemon | undefined;
  let stops = 0;
  const stop = () => {
    stops += 1;
    if (!running) return;
    // A second signal (a service manager in a hurry) kills every tree at once, rather than
    // killing the daemon with its stack still running; the shutdown then ends as usual.
    if (stops === 1) void running.shutdown();
    else void running.supervisor.shutdown({ force: true });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => void running?.reload());
  // The daemon's code loads while the project comes: `up -d` sends it once it has loaded it.
  // The config code only when the daemon reads the file itself.
  const prepared = daemonSide.prepare();
  const project = options.projectOnStdin
    ? await receiveProject()
    : await (await import('../context.js')).openProject(options);
  await prepared;
  if (!project) return 0;
  running = await daemonSide.open(project);
  if (stops > 0) {
    await running.shutdown();
    return 0;
  }
  if (options.watch) void running.watchConfig();
  running.up(names.length > 0 ? names : undefined).catch((error: Error) => {
    process.stderr.write(`overseer: ${error.message}\n`);
  });
  await running.closed;
  return 0;
}

/**
 * The project `up -d` has just loaded: taking it spares the daemon the YAML parser and the
 * schema (a tenth of a second to load, and about 10 MB it would hold for as long as it runs).
 * `up -d` starts the daemon before it has loaded the config, so that both load at once:
 * when the config turns out bad, it sends nothing, and there is nothing to run.
 */
async function receiveProject(): Promise<Project | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return deserialize(Buffer.concat(chunks)) as Project;
}
