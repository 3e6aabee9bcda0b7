/**
 * Top-level keys that start with `x-` (`x-common: &common {...}`): a place for YAML anchors
 * and for other tools' notes, as in compose files. They are read by nobody: dropped before
 * anything else looks at the config, so an unknown key elsewhere is still an error.
 */

/** Whether a top-level key is one of these. */
export function isExtensionKey(key: string): boolean {
  return key.startsWith('x-');
}

/** `config` without its top-level `x-` keys (the config itself when it has none). */
export function withoutExtensionKeys(config: unknown): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const keys = Object.keys(config);
  if (!keys.some(isExtensionKey)) return config;
  return Object.fromEntries(Object.entries(config).filter(([key]) => !isExtensionKey(key)));
}
