// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * The project name read without loading the config (for `overseer unstartup`): `name:`, its
 * `${VAR}`s read, else the folder's name, as the full loader has it; a config whose other
 * variables are unset still gives its name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateProjectName } from '../../src/config/project-name.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configIn(folder: string, yaml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'overseer-name-'));
  dirs.push(root);
  mkdirSync(join(root, folder));
  const path = join(root, folder, 'overseer.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('the project name of a config', () => {
  it('is its name:, whatever the rest needs', async () => {
    const path = configIn(
      'app',
      'version: 1\nname: shop\nprocesses:\n  api: { command: "${UNSET}" }\n',
    );
    expect(await locateProjectName(path, {})).toBe('shop');
  });

  it('reads ${VAR} in name:', async () => {
    const path = configIn('app', 'version: 1\nname: "shop-${REGION}"\nprocesses: {}\n');
    expect(await locateProjectName(path, { REGION: 'eu' })).toBe('shop-eu');
    await expect(locateProjectName(path, {})).rejects.toThrow(`${path}: name:`);
  });

  it('is the folder’s name without one, even where a process is called name', async () => {
    const path = configIn('my app', 'version: 1\nprocesses:\n  name: { command: x }\n');
    expect(await locateProjectName(path, {})).toBe('my app');
  });

  it('regression: a name given through a <<: merge key was not seen, so unstartup looked for another unit', async () => {
    const path = configIn(
      'folder',
      'x-base: &base\n  name: shop\n<<: *base\nversion: 1\nprocesses:\n  web: { command: x }\n',
    );
    expect(await locateProjectName(path, {})).toBe('shop');
  });
});
