/**
 * Every config key, for each format: where it goes, or why it does not carry over. The
 * exporters list each key a project sets that its format's table calls lost, and a key no
 * table knows is listed too: a new config key can never be dropped in silence.
 */
import type { Project } from '../config/project.js';
import { processKeyPaths, projectKeyPaths } from './key-paths.js';
import type { ExportInput, Loss } from './model.js';

/** A key the format carries (`to`: where), or does not (`lost`: why). */
export type KeyMapping = { readonly to: string } | { readonly lost: string };

/** One format's table, by key path (`restart.delay`, `settings.api.listen`). */
export type KeyTable = Readonly<Record<string, KeyMapping>>;

export const to = (where: string): KeyMapping => ({ to: where });
export const lost = (why: string): KeyMapping => ({ lost: why });

/** The settings of the supervisor itself: the same for every format, none carries over. */
export const SUPERVISOR_SETTINGS: KeyTable = {
  version: to('the version of overseer.yaml itself: nothing to carry'),
  'settings.max_processes': lost(
    'the engine schedules every process at once; no cap on children alive',
  ),
  'settings.state_dir': lost(
    "overseer's own files (socket, logs, store): the engine keeps its own",
  ),
  'settings.logs.max_size': lost("log rotation is the engine's (its log driver or journald)"),
  'settings.logs.max_files': lost("log rotation is the engine's (its log driver or journald)"),
  'settings.log.level': lost("the supervisor's own log: there is no supervisor"),
  'settings.log.categories': lost("the supervisor's own log: there is no supervisor"),
  'settings.sample_interval': lost(
    "resource sampling is overseer's; the engine measures its own way",
  ),
  'settings.reload': lost('applying an edited file is a new export and a deploy'),
  'settings.sandbox.allowed_commands': lost('no command allow-list in the engine'),
  'settings.sandbox.restricted_paths': lost('no restricted working folders in the engine'),
  'settings.sandbox.env.inherit': lost("what a process inherits is the engine's environment"),
  'settings.sandbox.env.pass': lost("what a process inherits is the engine's environment"),
  'settings.sandbox.isolate': lost(
    "each process's own sandbox.isolate is carried where the engine can isolate; the settings' is not: repeat it on the processes",
  ),
  'settings.sandbox.network': lost(
    "each process's own sandbox.network is carried where the engine can; the settings' is not: repeat it on the processes",
  ),
  'settings.tasks.history': lost("one-off tasks are the supervisor API's"),
  'settings.tasks.max_queued': lost("one-off tasks are the supervisor API's"),
  'settings.retention.runs': lost("the history overseer's store keeps: the engine keeps its own"),
  'settings.retention.events': lost("the history overseer's store keeps: the engine keeps its own"),
  'settings.tui.refresh': lost("overseer's dashboard"),
  'settings.tui.log_lines': lost("overseer's dashboard"),
  'settings.tui.theme': lost("overseer's dashboard"),
  'settings.workflows.store': lost(
    'processes get OVERSEER_WORKFLOWS_STORE from the supervisor: set it in env (a path of this machine does not travel)',
  ),
  'settings.workflows.schema': lost('read with settings.workflows.store; set it in the workers'),
  'settings.alerts.command': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.webhook': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.headers': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.cooldown': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.on': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.timeout': lost("overseer's alerts: use the engine's monitoring"),
  'settings.alerts.retries': lost("overseer's alerts: use the engine's monitoring"),
  'settings.api.listen': lost("overseer's control API: the engine has its own"),
  'settings.api.token': lost("overseer's control API: the engine has its own"),
};

/**
 * The losses the table names for what the project sets, settings first, then each process
 * with the values it takes from the exporting shell outside `env`.
 */
export function tableLosses(table: KeyTable, input: ExportInput, format: string): Loss[] {
  const { project } = input;
  const losses: Loss[] = [];
  const judge = (path: string, process?: string) => {
    const mapping = table[path] ?? SUPERVISOR_SETTINGS[path];
    if (mapping === undefined) {
      losses.push({ process, key: path, reason: `not known to the ${format} export` });
    } else if ('lost' in mapping) {
      losses.push({ process, key: path, reason: mapping.lost });
    }
  };
  for (const path of projectKeyPaths(writtenSettings(project))) judge(path);
  for (const definition of project.definitions) {
    for (const path of processKeyPaths(definition)) judge(path, definition.name);
    for (const value of input.shellValues ?? []) {
      if (value.process !== definition.name || !carries(table, value.key)) continue;
      losses.push({
        process: value.process,
        key: value.key,
        reason: `takes \${${value.variable}} from the exporting shell: that shell's value is written in the file`,
      });
    }
  }
  return losses;
}

/**
 * Whether `table` writes a key as found under a process (`labels.team` is under the map
 * `labels`, whose entry says), or lists it as lost; a key it does not know is taken as
 * written, erring towards telling.
 */
export function carries(table: KeyTable, key: string): boolean {
  const parts = key.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const mapping = table[parts.slice(0, length).join('.')];
    if (mapping !== undefined) return !('lost' in mapping);
  }
  return true;
}

/** The top-level keys of the config as the project keeps them (name is always carried). */
function writtenSettings(project: Project): Record<string, unknown> {
  return { settings: project.writtenSettings };
}
