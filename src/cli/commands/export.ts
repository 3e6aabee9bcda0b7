/**
 * `overseer export`: the project written for another engine. The files go to stdout, or
 * to a folder with `-o`; what did not carry over is listed on stderr (and atop each file),
 * as is what must be filled in before use.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { Project } from '../../config/load.js';
import { shellEnvNames, shellValues } from '../../config/shell-env-names.js';
import { OverseerError } from '../../core/errors.js';
import { exportProject, stdoutText, writtenShellValues } from '../../export/export-project.js';
import {
  EXPORT_FORMATS,
  type ExportFile,
  type ExportFormat,
  isExportFormat,
  lossLines,
} from '../../export/model.js';
import { secretShellValues } from '../../export/process-view.js';
import { type ConfigOption, openProject } from '../context.js';

export interface ExportOptions extends ConfigOption {
  readonly format: string;
  readonly output?: string;
  readonly force?: boolean;
  readonly root?: string;
}

export async function exportCommand(options: ExportOptions): Promise<number> {
  const format = options.format;
  if (!isExportFormat(format)) {
    throw new OverseerError(
      'BAD_REQUEST',
      `unknown format "${format}": expected one of ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  const project = await openProject(options);
  const yaml = /\.ya?ml$/.test(project.configPath)
    ? readFileSync(project.configPath, 'utf8')
    : undefined;
  const fromShellOutsideEnv = yaml === undefined ? [] : shellValues(yaml);
  const secrets = secretShellValues(writtenShellValues(format, fromShellOutsideEnv), process.env);
  if (secrets.length > 0) {
    const named = secrets.map(
      ({ process, key, variable }) => `processes.${process}.${key} (\${${variable}})`,
    );
    throw new OverseerError(
      'INVALID_SPEC',
      `${named.join(', ')}: takes a value that looks secret from this shell, which the export would write in its files; set it in the process's env instead (exported as a secret) and refer to it there (a string command can say $NAME)`,
    );
  }
  const result = exportProject(
    {
      project,
      envFiles: envFilesOf(project),
      ...(yaml !== undefined && {
        fromShell: shellEnvNames(yaml),
        shellValues: fromShellOutsideEnv,
      }),
      root: options.root === undefined ? project.baseDir : resolve(options.root),
    },
    format,
  );
  if (options.output === undefined) {
    process.stdout.write(stdoutText(format, result.files));
  } else {
    const written = writeFiles(resolve(options.output), result.files, options.force === true);
    process.stdout.write(written.map((path) => `wrote ${path}\n`).join(''));
  }
  process.stderr.write(report(format, result.placeholders, lossLines(result.losses)));
  return 0;
}

/** The variables of every `env_file`, read now: the export writes what they hold. */
function envFilesOf(project: Project): Map<string, Record<string, string>> {
  const files = new Map<string, Record<string, string>>();
  for (const definition of project.definitions) {
    if (definition.env_file === undefined) continue;
    const path = resolve(project.baseDir, definition.env_file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new OverseerError(
        'INVALID_SPEC',
        `processes.${definition.name}.env_file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    files.set(definition.name, parseEnv(text) as Record<string, string>);
  }
  return files;
}

/** Writes every file, or none: a file there already that differs is refused unless `force`. */
function writeFiles(folder: string, files: readonly ExportFile[], force: boolean): string[] {
  const paths = files.map((file) => join(folder, file.name));
  const differing = paths.filter(
    (path, index) => existsSync(path) && readFileSync(path, 'utf8') !== files[index]!.text,
  );
  if (differing.length > 0 && !force) {
    throw new OverseerError(
      'BAD_REQUEST',
      `not overwriting what differs from this export (--force to replace): ${differing.join(', ')}`,
    );
  }
  // Each file beside its place first, then all moved in: a write that fails (a full disk, a
  // folder not ours) leaves the folder as it was.
  const temporaries = paths.map((path) => `${path}.${process.pid}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    for (const [index, file] of files.entries()) writeFileSync(temporaries[index]!, file.text);
  } catch (error) {
    for (const temporary of temporaries) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Never made: its folder is not one.
      }
    }
    throw new OverseerError(
      'BAD_REQUEST',
      `cannot write the export into ${folder}: ${(error as Error).message}; nothing written`,
    );
  }
  for (const [index, temporary] of temporaries.entries()) renameSync(temporary, paths[index]!);
  return paths;
}

function report(format: ExportFormat, placeholders: readonly string[], losses: string[]): string {
  const lines: string[] = [];
  if (placeholders.length > 0) {
    lines.push(
      `overseer export: REPLACE BEFORE USE (${format}):`,
      ...placeholders.map((text) => `  - ${text}`),
    );
  }
  if (losses.length > 0) {
    lines.push(
      `overseer export: did not carry over to ${format}:`,
      ...losses.map((text) => `  - ${text}`),
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
