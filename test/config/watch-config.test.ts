/**
 * `watch:` of a process and `settings.reload`: read with their defaults, and every bad value
 * refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { projectFromRaw } from '../../src/config/load.js';
import { specsFromDefinition } from '../../src/config/normalize.js';
import { OverseerError, type SpecIssue } from '../../src/core/errors.js';

const base = { name: 'api', command: 'node server.js' };

function issuesOf(watch: unknown): readonly SpecIssue[] {
  try {
    specsFromDefinition({ ...base, watch } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return (error as OverseerError).issues;
  }
  throw new Error('expected the watch to be refused');
}

const load = (settings: object) =>
  projectFromRaw('/srv/app/overseer.yaml', {
    value: { version: 1, settings, processes: { api: { command: 'x' } } },
    locate: (issues) => issues.map((issue) => ({ ...issue, line: undefined, column: undefined })),
  });

describe('watch', () => {
  it('reads paths, ignore and debounce, paths as written', () => {
    const [spec] = specsFromDefinition({
      ...base,
      watch: { paths: ['src', '../shared'], ignore: ['node_modules'], debounce: '1s' },
    });
    expect(spec!.watch).toEqual({
      paths: ['src', '../shared'],
      ignore: ['node_modules'],
      debounceMs: 1_000,
    });
  });

  it('defaults to no ignore and a 500 ms debounce', () => {
    const [spec] = specsFromDefinition({ ...base, watch: { paths: ['src'] } });
    expect(spec!.watch).toEqual({ paths: ['src'], ignore: [], debounceMs: 500 });
  });

  it.each([
    [{}, 'watch.paths'],
    [{ paths: [] }, 'watch.paths'],
    [{ paths: [''] }, 'watch.paths.0'],
    [{ paths: ['src'], ignore: [''] }, 'watch.ignore.0'],
    [{ paths: ['src'], debounce: 'soon' }, 'watch.debounce'],
    [{ paths: ['src'], every: '1s' }, 'watch.every'],
    [['src'], 'watch'],
  ])('refuses %j, naming %s', (watch, path) => {
    expect(issuesOf(watch).map((issue) => issue.path)).toContain(path);
  });
});

describe('settings.reload', () => {
  it('is off unless set', () => {
    expect(load({}).settings.reload).toBe(false);
    expect(load({ reload: true }).settings.reload).toBe(true);
  });

  it('refuses what is not true or false, naming the path', () => {
    expect(() => load({ reload: 'yes' })).toThrow(/settings\.reload/);
  });
});
