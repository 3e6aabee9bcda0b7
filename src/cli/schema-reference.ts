/**
 * What the `$schema` line of a new overseer.yaml points at: the schema file an editor can
 * open from where the config is. A path relative to the config when the project has overseer
 * in a `node_modules` (the config then works in every clone that installs its dependencies);
 * else the schema of the overseer that wrote it (a global install: resolvable on this
 * machine); else the relative path, which resolves once the project installs overseer.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Where the schema sits in a project that depends on overseer. */
const INSTALLED = join('node_modules', 'overseer', 'overseer.schema.json');

/** The reference when nothing better is found. */
export const DEFAULT_SCHEMA_REFERENCE = './node_modules/overseer/overseer.schema.json';

/**
 * The reference for a config in `configDir` (absolute); `shipped` is the absolute path of
 * the running overseer's own schema file, when it has one.
 */
export function schemaReference(configDir: string, shipped: string | undefined): string {
  for (let dir = configDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, INSTALLED)))
      return asRelative(relative(configDir, join(dir, INSTALLED)));
    if (dirname(dir) === dir) break;
  }
  if (shipped !== undefined && existsSync(shipped)) return shipped;
  return DEFAULT_SCHEMA_REFERENCE;
}

/** A relative path as a `$schema` line writes it: with `/`, and `./` before a name. */
function asRelative(path: string): string {
  const slashed = path.split(sep).join('/');
  return slashed.startsWith('../') ? slashed : `./${slashed}`;
}
