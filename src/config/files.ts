/**
 * Finding the config file, and the error that reports what is wrong with one, located by
 * line and column where that is known. Kept free of the parsers so it loads fast.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OverseerError, type SpecIssue } from '../core/errors.js';

/** File names looked for, in order, when no file is named. */
export const CONFIG_FILE_NAMES = [
  'overseer.yaml',
  'overseer.yml',
  'overseer.config.ts',
  'overseer.config.mts',
  'overseer.config.mjs',
  'overseer.config.js',
] as const;

/** The largest config file read: a real one is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Issues of a config that cannot be used, each `file:line:col path: message` when known. */
export class ConfigError extends OverseerError {
  constructor(
    readonly file: string,
    issues: readonly SpecIssue[],
  ) {
    super(
      'INVALID_SPEC',
      `${file} is not valid:\n${issues.map(formatConfigIssue).join('\n')}`,
      issues,
    );
  }
}

/** One problem in a config file, located in the file where that is known. */
export interface ConfigIssue extends SpecIssue {
  readonly line?: number;
  readonly column?: number;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : `line ${issue.line}, column ${issue.column}: `;
  return `  ${where}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** The config file to use: `file` when given, else the first known name in `dir`. */
export function findConfigFile(dir: string, file?: string): string {
  if (file !== undefined) {
    const path = resolve(dir, file);
    if (!existsSync(path)) throw new ConfigError(path, [{ path: '', message: 'no such file' }]);
    return path;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(dir, name);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(resolve(dir, CONFIG_FILE_NAMES[0]), [
    { path: '', message: `no config found in ${dir} (looked for ${CONFIG_FILE_NAMES.join(', ')})` },
  ]);
}
