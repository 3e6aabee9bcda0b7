/**
 * What an export is: the validated project in, the other engine's files out, and every
 * part of the config that did not carry over, each with its reason. Nothing is dropped in
 * silence: a key the target cannot express is listed, on stderr and atop each file.
 */
import type { Project } from '../config/project.js';
import type { ShellValue } from '../config/shell-env-names.js';

/** The engines a project can be written for. */
export const EXPORT_FORMATS = ['kubernetes', 'nomad', 'compose', 'systemd'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** One file of an export: its name (no folder) and its whole text. */
export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

/** Something of the config the target does not do, or does otherwise. */
export interface Loss {
  /** The declared process it is about; absent for the project's settings. */
  readonly process?: string;
  /** The config key, as written under a process (`limits.open_files`) or from the top (`settings.api`). */
  readonly key: string;
  readonly reason: string;
}

export interface ExportResult {
  readonly files: readonly ExportFile[];
  /** Every loss, each once, in the order of the processes and their keys. */
  readonly losses: readonly Loss[];
  /** Said loudly: what a user must fill in before the files work (image names, secrets). */
  readonly placeholders: readonly string[];
}

/** What an exporter reads: the project, and the variables of each process's `env_file`. */
export interface ExportInput {
  readonly project: Project;
  /**
   * The variables each process's `env_file` held when the export was made, by declared
   * name: reading files is the caller's, this layer does no I/O.
   */
  readonly envFiles: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * By declared name, the `env` variables whose values the config takes from the shell
   * (`${NAME}`): what the export would write is this machine's value, so it is treated as a
   * secret. Absent: none known (a script config).
   */
  readonly fromShell?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Where a process's keys other than `env` take a value from the shell (`command: serve
   * --port ${PORT}`): this machine's value is written in the files, said as a loss. The
   * caller refuses a value that looks secret before exporting (`secretShellValues`).
   */
  readonly shellValues?: readonly ShellValue[];
  /**
   * The absolute folder the project is at on the target machines (systemd, Nomad's
   * raw_exec and compose run from the host's files): relative `cwd` and `env_file` are
   * resolved against it. The config's own folder, unless told otherwise.
   */
  readonly root: string;
}

/** The text that replaces an image name nobody could know. */
export function imagePlaceholder(name: string): string {
  return `REPLACE_ME/${name}:latest`;
}

/** The value written where a secret's value belongs. */
export const SECRET_PLACEHOLDER = 'REPLACE_ME';

/**
 * The losses as a line each, one line per key and reason with the processes it concerns:
 * `limits.open_files (api, worker): …`, so a key set in `defaults` is told once.
 */
export function lossLines(losses: readonly Loss[]): string[] {
  const grouped = new Map<string, { key: string; reason: string; processes: string[] }>();
  for (const loss of losses) {
    const id = `${loss.key}\u0000${loss.reason}`;
    const group = grouped.get(id) ?? { key: loss.key, reason: loss.reason, processes: [] };
    if (loss.process !== undefined && !group.processes.includes(loss.process)) {
      group.processes.push(loss.process);
    }
    grouped.set(id, group);
  }
  return [...grouped.values()].map(({ key, reason, processes }) => {
    const which = processes.length > 0 ? ` (${processes.join(', ')})` : '';
    return `${key}${which}: ${reason}`;
  });
}
