/**
 * The direction of imports in `src/`: each layer builds only on the layers beneath it, and
 * no file depends on itself through others. Every relative import counts, `import type`
 * included: a type is a dependency too.
 *
 * What the code does today against these rules is listed below by name. The lists may only
 * shrink: a new crossing or cycle fails, and so does a listed one that is gone, so that the
 * lists stay true and say what is left to reshape.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * What each layer may import besides itself. `core` is pure and imports nothing of ours;
 * `config`, `runtime`, `store` and `protocol` build on core and do not know each other;
 * `daemon` wires them; `cli`, `tui` and `export` sit on top; nothing imports `cli`, `tui`
 * or `daemon` but the executable, `main`, which composes the command line with the daemon.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  resilience: ['core'],
  workflows: ['core', 'resilience'],
  config: ['core'],
  runtime: ['core'],
  store: ['core'],
  protocol: ['core'],
  supervisor: ['core', 'config', 'runtime', 'protocol'],
  // The library's `Workflows`: the engine over the store its options name.
  'open-workflows': ['core', 'config', 'protocol', 'store', 'resilience', 'workflows'],
  daemon: ['core', 'config', 'runtime', 'store', 'protocol'],
  export: ['core', 'config'],
  tui: ['core', 'protocol'],
  // The Model Context Protocol server for coding agents, over SupervisorApi and WorkflowsApi.
  mcp: ['core', 'protocol', 'config'],
  cli: ['core', 'config', 'runtime', 'store', 'protocol', 'supervisor', 'export', 'tui', 'mcp'],
  main: ['cli', 'daemon'],
  index: [
    'core',
    'resilience',
    'workflows',
    'config',
    'runtime',
    'store',
    'protocol',
    'supervisor',
    'open-workflows',
  ],
};

/** Crossings the code still makes, `importer -> imported`. To go, one by one. */
const KNOWN_CROSSINGS = [
  // The monitoring routes are the daemon's HTTP API; the library exports them so that an
  // application can serve the same API over its own supervisor.
  'index.ts -> daemon/routes.ts',
];

/** The `overseer` executable: the one file that knows both the commands and the daemon. */
const EXECUTABLE = 'cli/main.ts';

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every `.ts` and `.tsx` file of `src/`, by its path from there. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [relative(SRC, path)] : [];
  });
}

/** The source file an import's `.js` path names: `x.ts`, or `x.tsx` for a component. */
function sourceOf(importedJs: string): string {
  const tsx = importedJs.replace(/\.js$/, '.tsx');
  return existsSync(tsx) ? tsx : importedJs.replace(/\.js$/, '.ts');
}

/** Every relative import of `src/`, as `[importer, imported]` paths from `src/`. */
function imports(): Array<readonly [string, string]> {
  return sourceFiles().flatMap((file) =>
    [...readFileSync(join(SRC, file), 'utf8').matchAll(IMPORT)].map((match) => {
      const target = sourceOf(resolve(dirname(join(SRC, file)), match[1]!));
      return [file, relative(SRC, target)] as const;
    }),
  );
}

/** The layer of a file: its first folder under `src/`, or its name for a top-level file. */
function layerOf(file: string): string {
  // The executable sits with the commands, where users and scripts have always run it.
  if (file === EXECUTABLE) return 'main';
  const [top] = file.split('/');
  return top!.replace(/\.tsx?$/, '');
}

/** The groups of files that reach each other through their imports (Tarjan's algorithm). */
function cycles(edges: ReadonlyArray<readonly [string, string]>): string[] {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (node: string) => {
    order.set(node, order.size);
    low.set(node, order.get(node)!);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!order.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node)!, order.get(to)!));
      }
    }
    if (low.get(node) !== order.get(node)) return;
    const members: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      members.push(member);
      if (member === node) break;
    }
    if (members.length > 1) found.push(members.sort().join(', '));
  };
  for (const node of next.keys()) if (!order.has(node)) visit(node);
  return found.sort();
}

describe('the layers of src/', () => {
  const edges = imports();

  it('reads the imports it judges', () => {
    expect(edges).toContainEqual(['daemon/daemon.ts', 'runtime/supervisor/engine.ts']);
    expect(Object.keys(MAY_IMPORT)).toEqual(expect.arrayContaining(edges.map(([f]) => layerOf(f))));
  });

  it('import only beneath them, but for the crossings listed', () => {
    const crossings = edges
      .filter(([from, to]) => {
        const [importer, imported] = [layerOf(from), layerOf(to)];
        return importer !== imported && !MAY_IMPORT[importer]?.includes(imported);
      })
      .map(([from, to]) => `${from} -> ${to}`);
    expect([...new Set(crossings)].sort()).toEqual([...KNOWN_CROSSINGS].sort());
  });

  it('keep core pure: no node:* module, no clock, no timer', () => {
    const impure = sourceFiles()
      .filter((file) => layerOf(file) === 'core')
      .filter((file) =>
        /from ['"]node:|\bDate\.now\(|\bperformance\.now\(|\bset(Timeout|Interval|Immediate)\(/.test(
          readFileSync(join(SRC, file), 'utf8'),
        ),
      );
    expect(impure).toEqual([]);
  });

  it('have no cycle of imports: no file depends on itself through others', () => {
    expect(cycles(edges)).toEqual([]);
  });
});
