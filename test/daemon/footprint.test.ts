/**
 * What the daemon loads when `up -d` starts it: not the config code (it is handed a loaded
 * project), not prom-client (loaded by the first scrape), not commander (up -d spawns it with
 * a fixed command line the CLI reads by hand). Each would cost the daemon memory for as long
 * as it runs; this follows the static imports of the sources.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCES = fileURLToPath(new URL('../../src/', import.meta.url));

/** A value import, static: `import type` and `import('…')` load nothing up front. */
const STATIC_IMPORT = /^import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The packages and source files loaded, transitively, by importing `entry`. */
function staticGraph(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith('.')) {
        visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      } else packages.add(specifier!);
    }
  };
  visit(resolve(SOURCES, entry));
  return { packages, files };
}

describe('the daemon started by up -d', () => {
  // The command, and the daemon it opens (which the executable loads for it).
  const command = staticGraph('cli/commands/daemon.ts');
  const opened = staticGraph('daemon/daemon.ts');
  const packages = new Set([...command.packages, ...opened.packages]);
  const files = new Set([...command.files, ...opened.files]);

  it('follows the imports it should (the graph is really walked)', () => {
    expect(packages).toContain('better-sqlite3');
    expect(packages).toContain('hono');
    expect(files).toContain(resolve(SOURCES, 'runtime/supervisor/engine.ts'));
  });

  it('loads neither the config schema and YAML parser nor prom-client', () => {
    for (const heavy of ['zod', 'yaml', 'jiti', 'prom-client'])
      expect(packages).not.toContain(heavy);
    expect([...files].filter((file) => file.includes('/config/load.ts'))).toEqual([]);
    expect(files).not.toContain(resolve(SOURCES, 'supervisor.ts'));
  });

  it("loads neither commander nor the CLI's config lookup and HTTP client", () => {
    const entry = staticGraph('cli/program.ts');
    expect(entry.packages).not.toContain('commander');
    for (const file of ['cli/context.ts', 'protocol/client.ts', 'config/state-dir.ts'])
      expect(files).not.toContain(resolve(SOURCES, file));
  });
});
