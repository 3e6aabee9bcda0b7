/**
 * The file watch under the `watch:` key and live reload: which paths the `ignore` globs
 * leave out, a path watched before it exists, and a burst told once with every file in it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Burst } from '../../../src/core/triggers/watch.js';
import { FileWatch, ignoreMatcher } from '../../../src/runtime/triggers/file-watch.js';
import { cleanup, tempDir } from '../helpers.js';

const opened: FileWatch[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((watch) => watch.close()));
  await cleanup();
});

/** A watch of `paths` under `baseDir`, and its next burst. */
async function watchFor(baseDir: string, paths: string[], ignore: string[] = []) {
  let tell: (burst: Burst) => void = () => {};
  const next = () => new Promise<Burst>((resolve) => (tell = resolve));
  const watch = new FileWatch({ baseDir, paths, ignore, debounceMs: 50 }, (burst) => tell(burst));
  opened.push(watch);
  await watch.ready;
  return { next };
}

describe('ignoreMatcher', () => {
  const ignored = ignoreMatcher('/app', ['node_modules', '*.log', 'src/generated/**']);

  it.each([
    ['/app/node_modules', true],
    ['/app/lib/node_modules/x/index.js', false],
    ['/app/src/debug.log', true],
    ['/app/src/generated', true],
    ['/app/src/generated/types.ts', true],
    ['/app/src/app.js', false],
    ['/app/generated/types.ts', false],
  ])('%s: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });

  it('looks into a folder named like an ignored one only by its own name', () => {
    // `node_modules` as a folder is left out whole: chokidar never looks inside.
    expect(ignored('/app/lib/node_modules')).toBe(true);
  });

  it('ignores nothing without globs', () => {
    expect(ignoreMatcher('/app', [])('/app/node_modules')).toBe(false);
  });
});

describe('FileWatch', () => {
  it('tells a burst once, naming each changed file from baseDir, ignored ones left out', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src'));
    const { next } = await watchFor(dir, ['src'], ['*.tmp']);
    const burst = next();

    for (const file of ['a.js', 'b.tmp', 'c.js', 'a.js'])
      writeFileSync(join(dir, 'src', file), '1');

    // In the order the watcher saw them, which need not be the order they were written.
    expect([...(await burst).files].sort()).toEqual(['src/a.js', 'src/c.js']);
  });

  it('watches a folder that does not exist yet once it appears', async () => {
    const dir = tempDir();
    const { next } = await watchFor(dir, ['dist']);
    const burst = next();

    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'bundle.js'), '1');

    expect((await burst).files).toEqual(['dist/bundle.js']);
  });
});

describe('FileWatch exclude', () => {
  it('never sees what is written in an excluded folder, even under a watched one (the state dir)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.overseer', 'logs'), { recursive: true });
    let tell: (burst: Burst) => void = () => {};
    const burst = new Promise<Burst>((resolve) => (tell = resolve));
    const watch = new FileWatch(
      { baseDir: dir, paths: ['.'], ignore: [], debounceMs: 50, exclude: [join(dir, '.overseer')] },
      (seen) => tell(seen),
    );
    opened.push(watch);
    await watch.ready;

    writeFileSync(join(dir, '.overseer', 'logs', 'web.log'), 'a line\n');
    writeFileSync(join(dir, 'app.js'), '1');

    expect((await burst).files).toEqual(['app.js']);
  });
});
