/**
 * What a project's config is made of (the config file and the `env_file`s its processes
 * read), how a change of it is compared, and how one that does not load is told.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Project } from '../config/load.js';
import { OverseerError } from '../core/errors.js';
import type { ConfigIssue } from '../core/events.js';
import type { ApplySide } from '../core/stack/apply-plan.js';

/** The files a project is read from: its config, then each `env_file`, absolute, once each. */
export function configFiles(project: Project): string[] {
  return [...new Set([project.configPath, ...envFilesOf(project)])];
}

/**
 * What no process's `watch` sees: the state dir, whose logs and store the supervisor writes,
 * and the config's own files, whose change is the config's to apply (a process watching `.`
 * would otherwise restart at every edit of `overseer.yaml`, changed or not).
 */
export function unwatchedOf(project: Project): string[] {
  return [project.settings.stateDir, ...configFiles(project)];
}

/** Every `env_file` of a project's processes, absolute, once each. */
function envFilesOf(project: Project): string[] {
  const envFiles = project.definitions.flatMap((definition) =>
    definition.env_file === undefined ? [] : [resolve(project.baseDir, definition.env_file)],
  );
  return [...new Set(envFiles)];
}

/**
 * What each `env_file` of a project holds now, by absolute path (`null`: unreadable). Kept
 * with the project applied, so that an edited `.env` changes the processes that read it.
 */
export function envFileContents(project: Project): ReadonlyMap<string, string | null> {
  const contents = new Map<string, string | null>();
  for (const path of envFilesOf(project)) {
    try {
      contents.set(path, readFileSync(path, 'utf8'));
    } catch {
      contents.set(path, null);
    }
  }
  return contents;
}

/**
 * What an apply plan compares of a project: its definitions, each with what its `env_file`
 * held (`envContents`), and the sandbox they share.
 */
export function applySideOf(
  project: Project,
  envContents: ReadonlyMap<string, string | null>,
): ApplySide {
  const definitions = project.definitions.map((definition) =>
    definition.env_file === undefined
      ? definition
      : {
          ...definition,
          envFileHeld: envContents.get(resolve(project.baseDir, definition.env_file)),
        },
  );
  return { definitions, sandbox: project.settings.sandbox };
}

/** The issues of a config that did not load, each located in the file where that is known. */
export function rejectionIssues(error: unknown): ConfigIssue[] {
  if (!(error instanceof OverseerError) || error.issues.length === 0) {
    return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
  }
  return error.issues.map((issue) => {
    const { line, column } = issue as { line?: number; column?: number };
    const where = line === undefined ? '' : `line ${line}, column ${column}: `;
    return { path: issue.path, message: `${where}${issue.message}` };
  });
}
