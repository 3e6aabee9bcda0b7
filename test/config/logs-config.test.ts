/**
 * `logs: { max_size, max_files }` in `settings` and in a process entry: defaults, sizes in
 * any unit, a process's own values overriding the settings field by field, and clear errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import { specsFromDefinition } from '../../src/config/normalize.js';
import { DEFAULT_LOG_ROTATION } from '../../src/core/process/spec.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-logs-config-'));
  dirs.push(dir);
  const path = join(dir, 'overseer.yaml');
  writeFileSync(path, yaml);
  return path;
}

async function issuesOf(yaml: string): Promise<string[]> {
  try {
    await loadProject(configFile(yaml));
  } catch (error) {
    return ((error as { issues?: Array<{ path: string; message: string }> }).issues ?? []).map(
      (issue) => `${issue.path}: ${issue.message}`,
    );
  }
  throw new Error('the config loaded');
}

describe('logs in overseer.yaml', () => {
  it('defaults to 10 MiB and 5 files, and reads sizes in any unit', async () => {
    const plain = await loadProject(configFile('version: 1\nprocesses:\n  api: { command: x }\n'));
    expect(plain.settings.logs).toEqual(DEFAULT_LOG_ROTATION);
    expect(DEFAULT_LOG_ROTATION).toEqual({ maxSize: 10 * 1024 * 1024, maxFiles: 5 });
    expect(plain.specs[0]!.logs).toBeUndefined();

    const set = await loadProject(
      configFile(`version: 1
settings:
  logs: { max_size: 256KB, max_files: 3 }
processes:
  api:
    command: x
    logs: { max_size: 1GB }
  worker:
    command: x
    logs: { max_files: 10 }
`),
    );
    expect(set.settings.logs).toEqual({ maxSize: 256 * 1024, maxFiles: 3 });
    expect(set.specs.map((spec) => spec.logs)).toEqual([
      { maxSize: 1024 ** 3, maxFiles: undefined },
      { maxSize: undefined, maxFiles: 10 },
    ]);
  });

  it('refuses bad sizes, counts and keys, naming each path', async () => {
    expect(
      await issuesOf(`version: 1
settings:
  logs: { max_size: 512, max_files: 0 }
processes:
  api:
    command: x
    logs: { max_size: big, max_files: 2.5, rotate: daily }
`),
    ).toEqual([
      'settings.logs.max_size: expected a size of at least 1KB',
      'settings.logs.max_files: expected a number ≥ 1',
      'processes.api.logs.max_size: "big" is not a size (e.g. 512KB, 256MB, 1GB)',
      'processes.api.logs.max_files: expected a whole number from 1 to 1000',
      'processes.api.logs.rotate: unknown key',
    ]);
  });

  it('takes the same keys from Supervisor.add()', () => {
    const [spec] = specsFromDefinition({ name: 'api', command: 'x', logs: { max_size: 4096 } });
    expect(spec!.logs).toEqual({ maxSize: 4096, maxFiles: undefined });
    expect(() =>
      specsFromDefinition({ name: 'api', command: 'x', logs: { max_size: '1MiB' } }),
    ).toThrow(/logs.max_size: "1MiB" is not a size/);
  });
});
