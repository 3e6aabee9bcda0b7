/**
 * What every command needs first: the config file, and either the project it describes or
 * just a client for the supervisor that runs it (found through `state_dir`'s Unix socket,
 * or the remote one `--api` names). Commands that only talk to a supervisor skip loading
 * the full config, to start fast.
 */
import { findConfigFile } from '../config/files.js';
import type { Project } from '../config/load.js';
import { locateStateDir } from '../config/state-dir.js';
import { HttpSupervisorClient } from '../protocol/client.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import { type RemoteOptions, remoteClient } from './remote.js';

export interface ConfigOption extends RemoteOptions {
  readonly file?: string;
}

/** Loads and validates the project named by `--file`, or found in the current folder. */
export async function openProject(options: ConfigOption): Promise<Project> {
  const { loadProject } = await import('../config/load.js');
  return loadProject(findConfigFile(process.cwd(), options.file));
}

/**
 * A client for the supervisor `--api` names, else for that of the config named by `--file`
 * (or found here): the one place a command that talks to a supervisor learns which.
 */
export async function connect(options: ConfigOption): Promise<HttpSupervisorClient> {
  const remote = remoteClient(options);
  if (remote) return remote;
  const stateDir = await locateStateDir(findConfigFile(process.cwd(), options.file));
  return clientAt(stateDir);
}

/** A client for the supervisor whose state dir is `stateDir`. */
export function clientAt(stateDir: string): HttpSupervisorClient {
  return new HttpSupervisorClient({ socketPath: stateDirLayout(stateDir).socket });
}
