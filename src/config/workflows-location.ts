/**
 * Where a config's durable workflows keep their runs, found without loading the whole
 * config: a worker run beside it (a script, a test) needs that and nothing else, and must
 * not fail on a `${VAR}` of some process it does not care about.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError } from '../core/errors.js';
import { isPostgresUrl } from '../core/workflows/store-location.js';
import { interpolate } from './interpolate.js';
import { locateStateDir } from './state-dir.js';

export interface WorkflowsSettingsFound {
  /** A SQLite file made absolute, or a `postgres://` URL. */
  readonly store: string;
  readonly schema: string;
}

/** `settings.workflows` of the YAML config at `configPath`, each default filled in. */
export async function locateWorkflowsSettings(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WorkflowsSettingsFound> {
  const text = readFileSync(configPath, 'utf8');
  const written = text.includes('workflows') ? await writtenSettings(configPath, text) : {};
  const read = (key: 'store' | 'schema') => {
    const value = written[key];
    if (value === undefined) return undefined;
    const issues: { path: string; message: string }[] = [];
    const path = ['settings', 'workflows', key];
    const text = interpolate(value, env, issues, path);
    if (typeof text !== 'string' || text === '' || issues.length > 0) {
      const message = issues[0]?.message ?? 'expected a non-empty string';
      throw new OverseerError('INVALID_SPEC', `${configPath}: ${path.join('.')}: ${message}`);
    }
    return text;
  };
  const store = read('store');
  return {
    store:
      store === undefined
        ? join(await locateStateDir(configPath, env), DEFAULTS.workflows.file)
        : isPostgresUrl(store)
          ? store
          : resolve(dirname(configPath), store),
    schema: read('schema') ?? DEFAULTS.workflows.schema,
  };
}

async function writtenSettings(
  configPath: string,
  text: string,
): Promise<{ store?: unknown; schema?: unknown }> {
  const { parse } = await import('yaml');
  let document: { settings?: { workflows?: { store?: unknown; schema?: unknown } } } | null;
  try {
    // As the loader reads it: a key may come in through a `<<:` merge key.
    document = parse(text, { merge: true, maxAliasCount: 100 });
  } catch {
    // Broken YAML: the full loader reports it as a config error, with line and column.
    const { loadProject } = await import('./load.js');
    await loadProject(configPath);
    return {};
  }
  return document?.settings?.workflows ?? {};
}
