/**
 * The process names a config declares, with their namespaces and instance counts, read
 * without validating it: shell completion asks on every Tab and must answer in the time of
 * a keystroke, and names are all it needs. A config the loader would reject may still give
 * names here; one that cannot be read at all throws.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { MAX_CONFIG_BYTES } from './files.js';
import { interpolate } from './interpolate.js';

/** One entry of `processes:` as written. */
export interface DeclaredProcess {
  readonly name: string;
  readonly namespace?: string;
  /** Set when the entry names instances (`name-0`…), even to 1. */
  readonly instances?: number;
}

/**
 * The entries of `processes:` in the YAML config at `configPath`, in the file's order; none
 * for a script config, whose names only running it could tell.
 */
export async function declaredProcesses(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeclaredProcess[]> {
  if (!['.yaml', '.yml'].includes(extname(configPath))) return [];
  const stat = statSync(configPath);
  if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return [];
  const text = readFileSync(configPath, 'utf8');
  if (!text.includes('processes')) return [];
  const { parse } = await import('yaml');
  // Bounded aliases and merge keys, as the loader reads them.
  return entriesOf(parse(text, { merge: true, maxAliasCount: 100 }), env);
}

/** The entries of `processes:` in a parsed document, each with what `defaults:` gives it. */
function entriesOf(document: unknown, env: NodeJS.ProcessEnv): DeclaredProcess[] {
  const processes = fieldOf(document, 'processes');
  const defaults = fieldOf(document, 'defaults');
  if (!isMap(processes)) return [];
  return Object.entries(processes).map(([name, entry]) => {
    const namespace = textOf(fieldOf(entry, 'namespace') ?? fieldOf(defaults, 'namespace'), env);
    const instances = fieldOf(entry, 'instances') ?? fieldOf(defaults, 'instances');
    return {
      name,
      ...(namespace !== undefined && { namespace }),
      ...(typeof instances === 'number' && Number.isInteger(instances) && { instances }),
    };
  });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldOf(value: unknown, key: string): unknown {
  return isMap(value) ? value[key] : undefined;
}

/** A string value after `${VAR}` interpolation; undefined when it is none or cannot be. */
function textOf(value: unknown, env: NodeJS.ProcessEnv): string | undefined {
  if (typeof value !== 'string') return undefined;
  const issues: { path: string; message: string }[] = [];
  const text = interpolate(value, env, issues);
  return typeof text === 'string' && text !== '' && issues.length === 0 ? text : undefined;
}
