/**
 * Finding the config file: `-f FILE` relative to the folder, else the first known name
 * there, in a fixed order; and how a config error reads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONFIG_FILE_NAMES,
  ConfigError,
  type ConfigIssue,
  findConfigFile,
  formatConfigIssue,
} from '../../src/config/files.js';
import { OverseerError } from '../../src/core/errors.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder holding empty files with these names; removed after the test. */
function folderWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-files-'));
  dirs.push(dir);
  for (const name of names) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), '');
  }
  return dir;
}

/** The ConfigError that `find` must throw. */
function refusalOf(find: () => unknown): ConfigError {
  try {
    find();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('findConfigFile: discovery', () => {
  it('looks for YAML first, then TypeScript, then JavaScript', () => {
    expect(CONFIG_FILE_NAMES).toEqual([
      'overseer.yaml',
      'overseer.yml',
      'overseer.config.ts',
      'overseer.config.mts',
      'overseer.config.mjs',
      'overseer.config.js',
    ]);
  });

  it('picks the first name present, whichever others are there too', () => {
    // Each name wins over every name after it: drop the winner and the next one wins.
    for (const [index, name] of CONFIG_FILE_NAMES.entries()) {
      const dir = folderWith(...CONFIG_FILE_NAMES.slice(index));
      expect(findConfigFile(dir)).toBe(join(dir, name));
    }
  });

  it('finds each name on its own', () => {
    for (const name of CONFIG_FILE_NAMES) {
      const dir = folderWith(name);
      expect(findConfigFile(dir)).toBe(join(dir, name));
    }
  });

  it('does not look in parent or child folders', () => {
    const dir = folderWith('overseer.yaml', 'sub/other.txt', 'nested/overseer.yml');
    const error = refusalOf(() => findConfigFile(join(dir, 'sub')));
    expect(error.file).toBe(join(dir, 'sub', 'overseer.yaml'));
    expect(findConfigFile(dir)).toBe(join(dir, 'overseer.yaml'));
  });

  it('refuses a folder with no config, listing the names it looked for', () => {
    const dir = folderWith('overseer.json', 'overseer.config.cjs', 'Overseer.yaml');
    const error = refusalOf(() => findConfigFile(dir));
    expect(error).toBeInstanceOf(OverseerError);
    expect(error.code).toBe('INVALID_SPEC');
    expect(error.file).toBe(join(dir, 'overseer.yaml'));
    expect(error.issues).toEqual([
      {
        path: '',
        message: `no config found in ${dir} (looked for overseer.yaml, overseer.yml, overseer.config.ts, overseer.config.mts, overseer.config.mjs, overseer.config.js)`,
      },
    ]);
  });
});

describe('findConfigFile: a named file', () => {
  it('resolves a relative name against the folder, not the current one', () => {
    const dir = folderWith('overseer.yaml', 'stacks/dev.yaml');
    expect(findConfigFile(dir, 'stacks/dev.yaml')).toBe(join(dir, 'stacks', 'dev.yaml'));
    expect(findConfigFile(join(dir, 'stacks'), '../overseer.yaml')).toBe(
      join(dir, 'overseer.yaml'),
    );
  });

  it('takes an absolute name as it is, even over a config in the folder', () => {
    const dir = folderWith('overseer.yaml', 'other/stack.yaml');
    expect(findConfigFile(dir, join(dir, 'other', 'stack.yaml'))).toBe(
      join(dir, 'other', 'stack.yaml'),
    );
  });

  it('accepts any name and extension: the loader decides how to read it', () => {
    const dir = folderWith('stack.yml', 'stack.config.ts');
    expect(findConfigFile(dir, 'stack.yml')).toBe(join(dir, 'stack.yml'));
    expect(findConfigFile(dir, 'stack.config.ts')).toBe(join(dir, 'stack.config.ts'));
  });

  it('refuses a named file that does not exist, even when a default one does', () => {
    const dir = folderWith('overseer.yaml');
    const error = refusalOf(() => findConfigFile(dir, 'missing.yaml'));
    expect(error.file).toBe(join(dir, 'missing.yaml'));
    expect(error.issues).toEqual([{ path: '', message: 'no such file' }]);
    expect(error.message).toBe(`${join(dir, 'missing.yaml')} is not valid:\n  no such file`);
  });
});

describe('ConfigError', () => {
  it('lists one issue a line, located where known', () => {
    const issues: ConfigIssue[] = [
      { path: 'processes.api.restart.delay', message: 'expected a duration', line: 9, column: 14 },
      { path: 'processes.api.depends_on', message: 'dependency cycle: api → db → api' },
      { path: '', message: 'YAML: Map keys must be unique', line: 5, column: 3 },
    ];
    const error = new ConfigError('/srv/app/overseer.yaml', issues);
    expect(error.message).toBe(
      [
        '/srv/app/overseer.yaml is not valid:',
        '  line 9, column 14: processes.api.restart.delay: expected a duration',
        '  processes.api.depends_on: dependency cycle: api → db → api',
        '  line 5, column 3: YAML: Map keys must be unique',
      ].join('\n'),
    );
    expect(error.code).toBe('INVALID_SPEC');
    expect(error.file).toBe('/srv/app/overseer.yaml');
  });

  it('formats a single issue with and without a place', () => {
    expect(formatConfigIssue({ path: 'version', message: 'expected 1', line: 1, column: 10 })).toBe(
      '  line 1, column 10: version: expected 1',
    );
    expect(formatConfigIssue({ path: '', message: 'no such file' })).toBe('  no such file');
  });
});
