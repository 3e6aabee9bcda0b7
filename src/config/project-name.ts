/**
 * A config's project name, found without loading the whole config: `overseer unstartup`
 * needs only the name (its unit is named after it), and must work in a shell that lacks
 * the variables the rest of the config reads.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError } from '../core/errors.js';
import { interpolate } from './interpolate.js';

/** `name:` of the config at `configPath`, else its folder's name, as the loader has it. */
export async function locateProjectName(configPath: string, env = process.env): Promise<string> {
  const fallback = basename(dirname(configPath)) || DEFAULTS.projectName;
  if (!['.yaml', '.yml'].includes(extname(configPath))) {
    // A script config can compute anything: load it for real.
    const { loadProject } = await import('./load.js');
    return (await loadProject(configPath, env)).name;
  }
  const text = readFileSync(configPath, 'utf8');
  if (!text.includes('name')) return fallback;
  const { parse } = await import('yaml');
  let document: { name?: unknown } | null;
  try {
    // As the loader reads it: a key may come in through a `<<:` merge key.
    document = parse(text, { merge: true, maxAliasCount: 100 });
  } catch {
    // Broken YAML: the full loader reports it as a config error, with line and column.
    const { loadProject } = await import('./load.js');
    return (await loadProject(configPath, env)).name;
  }
  if (document?.name === undefined) return fallback;
  const issues: { path: string; message: string }[] = [];
  const value = interpolate(document.name, env, issues, ['name']);
  if (typeof value !== 'string' || issues.length > 0) {
    const message = issues[0]?.message ?? 'expected a plain name';
    throw new OverseerError('INVALID_SPEC', `${configPath}: name: ${message}`);
  }
  return value;
}
