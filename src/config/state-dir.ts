/**
 * Where a config's supervisor lives, found without loading the whole config: commands that
 * only talk to a running supervisor (`ps`, `logs`, `stop`…) must start fast, and validating
 * the full schema is what takes the time.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError } from '../core/errors.js';
import { MAX_CONFIG_BYTES } from './files.js';
import { interpolate } from './interpolate.js';

/** `settings.state_dir` when not given, relative to the config's folder. */
export const DEFAULT_STATE_DIR = DEFAULTS.stateDir;

/** The absolute `state_dir` of the config at `configPath`. */
export async function locateStateDir(configPath: string, env = process.env): Promise<string> {
  const baseDir = dirname(configPath);
  if (!['.yaml', '.yml'].includes(extname(configPath))) {
    // A script config can compute anything: load it for real.
    const { loadProject } = await import('./load.js');
    return (await loadProject(configPath, env)).settings.stateDir;
  }
  const stat = statSync(configPath);
  if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) {
    // Not a file that can be read whole (a device, a huge file): the loader says why.
    const { loadProject } = await import('./load.js');
    return (await loadProject(configPath, env)).settings.stateDir;
  }
  const text = readFileSync(configPath, 'utf8');
  // No mention of the key at all means the default, with no parsing needed.
  if (!text.includes('state_dir')) return resolve(baseDir, DEFAULT_STATE_DIR);
  const { parse } = await import('yaml');
  let document: { settings?: { state_dir?: unknown } } | null;
  try {
    // As the loader reads it: a key may come in through a `<<:` merge key.
    document = parse(text, { merge: true, maxAliasCount: 100 });
  } catch {
    // Broken YAML: the full loader reports it as a config error, with line and column.
    const { loadProject } = await import('./load.js');
    return (await loadProject(configPath, env)).settings.stateDir;
  }
  const stateDir = document?.settings?.state_dir;
  if (stateDir === undefined) return resolve(baseDir, DEFAULT_STATE_DIR);
  const issues: { path: string; message: string }[] = [];
  const value = interpolate(stateDir, env, issues, ['settings', 'state_dir']);
  if (typeof value !== 'string' || issues.length > 0) {
    const message = issues[0]?.message ?? 'expected a folder path';
    throw new OverseerError('INVALID_SPEC', `${configPath}: settings.state_dir: ${message}`);
  }
  return resolve(baseDir, value);
}
