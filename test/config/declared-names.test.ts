// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * The names a config declares, as shell completion reads them: from the YAML alone, with
 * `defaults` under every entry, and nothing from a script config or a config it cannot read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { declaredProcesses } from '../../src/config/declared-names.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ovn-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('declaredProcesses', () => {
  it('reads names, namespaces and instances, the defaults under each entry', async () => {
    const path = configFile(
      'overseer.yaml',
      [
        'version: 1',
        'defaults: { namespace: backend }',
        'x-common: &common { instances: 2 }',
        'processes:',
        '  api: { command: node api.js }',
        '  worker: { <<: *common, command: node worker.js }',
        '  web: { command: node web.js, namespace: "${WEB_NS}" }',
      ].join('\n'),
    );
    expect(await declaredProcesses(path, { WEB_NS: 'frontend' })).toEqual([
      { name: 'api', namespace: 'backend' },
      { name: 'worker', namespace: 'backend', instances: 2 },
      { name: 'web', namespace: 'frontend' },
    ]);
  });

  it('leaves out a namespace it cannot interpolate', async () => {
    const path = configFile(
      'overseer.yml',
      'processes:\n  web:\n    command: x\n    namespace: ${UNSET_NS}\n',
    );
    expect(await declaredProcesses(path, {})).toEqual([{ name: 'web' }]);
  });

  it('reads nothing from a script config', async () => {
    const path = configFile('overseer.config.mjs', 'throw new Error("never run");\n');
    expect(await declaredProcesses(path)).toEqual([]);
  });

  it('throws on YAML it cannot parse', async () => {
    const path = configFile('overseer.yaml', 'processes:\n  api: [\n');
    await expect(declaredProcesses(path)).rejects.toThrow();
  });
});
