/**
 * Reading `overseer.config.ts` and friends: a script whose default export (an object, or a
 * function returning one, sync or async) is the config. No `${VAR}` interpolation: a script
 * has `process.env`.
 */
import { extname } from 'node:path';
import { ConfigError } from './files.js';
import type { RawConfig } from './yaml-source.js';

/** True for a config written as a script rather than YAML. */
export function isScriptConfig(configPath: string): boolean {
  return ['.ts', '.mts', '.mjs', '.js', '.cjs'].includes(extname(configPath));
}

/** Imports the script with jiti; its default export is the config. */
export async function importScriptConfig(configPath: string): Promise<RawConfig> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  let value: unknown;
  try {
    value = await jiti.import(configPath, { default: true });
  } catch (error) {
    throw new ConfigError(configPath, [
      { path: '', message: `cannot load: ${(error as Error).message.split('\n')[0]}` },
    ]);
  }
  if (typeof value === 'function') value = await value();
  return { value, locate: (issues) => [...issues] };
}
