/**
 * Where `overseer workflows` and `overseer dlq` read the project's runs: through the
 * running daemon when there is one (or the remote one `--api` names), else straight from
 * the store the config names (`settings.workflows`), a file no worker wrote yet reading as
 * empty. Either way through `WorkflowsApi`, so that both answer alike.
 */
import { findConfigFile } from '../config/files.js';
import { locateStateDir } from '../config/state-dir.js';
import { isNoSupervisor } from '../protocol/client.js';
import { storeWorkflowsApi, type WorkflowsApi } from '../protocol/workflows-api.js';
import { existingWorkflowStore } from '../store/existing-workflow-store.js';
import { type ConfigOption, clientAt, openProject } from './context.js';
import { type RemoteOptions, remoteClient } from './remote.js';

export type WorkflowsOptions = ConfigOption & RemoteOptions;

/** Answers `use` of the project's workflows, wherever they are read from. */
export async function withWorkflows<T>(
  options: WorkflowsOptions,
  use: (workflows: WorkflowsApi) => Promise<T>,
): Promise<T> {
  const remote = remoteClient(options);
  if (remote) return use(remote.workflows);
  const stateDir = await locateStateDir(findConfigFile(process.cwd(), options.file));
  try {
    return await use(clientAt(stateDir).workflows);
  } catch (error) {
    // Nothing was asked of a daemon that is not there: asking the store instead is safe.
    if (!isNoSupervisor(error)) throw error;
  }
  const project = await openProject(options);
  const store = existingWorkflowStore(
    project.settings.workflows.store,
    project.settings.workflows.schema,
  );
  try {
    return await use(storeWorkflowsApi(store));
  } finally {
    await store.close();
  }
}
