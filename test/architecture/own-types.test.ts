/**
 * The library's declared types are its own: no declaration file of the built package
 * refers to cockatiel, which the policies use underneath and may one day stop using.
 * Reads the declarations `npm run build` wrote (tests run after the build).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const HIDDEN = ['cockatiel'];

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('declared types', () => {
  it('never refer to a library the policies use underneath', () => {
    const files = declarations(DIST);
    expect(files.length).toBeGreaterThan(0);
    const leaks = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return HIDDEN.filter((name) =>
        new RegExp(`(from|import\\()\\s*['"]${name}['"]`).test(text),
      ).map((name) => `${file.slice(DIST.length)} → ${name}`);
    });
    expect(leaks).toEqual([]);
  });
});
