import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/resilience/logger/app-logger.js';

const EXITING = fileURLToPath(new URL('../../fixtures/app-logger-exit.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'overseer-app-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const linesOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a logger writing to a file', () => {
  it('writes JSON lines asynchronously, all of them in the file once flushed', async () => {
    const file = join(dir, 'logs', 'app.log');
    const logger = createLogger({ name: 'app', env: {}, file });
    for (let n = 0; n < 1000; n++) logger.info({ n }, 'line');
    logger.category('db').debug('hidden');
    await logger.flush();
    const lines = linesOf(file);
    expect(lines).toHaveLength(1000);
    expect(lines.map((line) => line.n)).toEqual([...Array(1000).keys()]);
  });

  it('rotates by size: no file past the size, the newest lines kept in keep files', async () => {
    const file = join(dir, 'app.log');
    writeFileSync(file, `${'x'.repeat(900)}\n`);
    const logger = createLogger({ name: 'app', env: {}, file, rotation: { size: '1KB', keep: 2 } });
    const total = 60;
    for (let n = 0; n < total; n++) logger.info({ n, pad: 'p'.repeat(40) }, 'line');
    await logger.flush();
    expect(readdirSync(dir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    const files = [`${file}.2`, `${file}.1`, file];
    for (const path of files) expect(statSync(path).size).toBeLessThanOrEqual(1024);
    // The kept lines are the last ones written, in order, none cut or repeated.
    const kept = files.flatMap(linesOf).map((line) => line.n);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept).toEqual(
      [...Array(kept.length).keys()].map((index) => total - kept.length + index),
    );
  });

  it('with keep 0, starts the file afresh each time it is full', async () => {
    const file = join(dir, 'app.log');
    const logger = createLogger({ name: 'app', env: {}, file, rotation: { size: 2048, keep: 0 } });
    for (let n = 0; n < 100; n++) logger.info({ n }, 'line');
    await logger.flush();
    expect(readdirSync(dir)).toEqual(['app.log']);
    expect(linesOf(file).at(-1)?.n).toBe(99);
  });

  it('refuses a rotation size or keep it cannot use', () => {
    const file = join(dir, 'app.log');
    const rotating = (rotation: { size: string | number; keep: number }) => () =>
      createLogger({ name: 'app', env: {}, file, rotation });
    expect(rotating({ size: 'big', keep: 1 })).toThrow(/rotation.size: expected a size/);
    expect(rotating({ size: 0, keep: 1 })).toThrow(RangeError);
    expect(rotating({ size: '1MB', keep: -1 })).toThrow(/rotation.keep/);
  });
});

describe('a logger writing to a file when the process exits', () => {
  it('writes every line still buffered, unflushed', async () => {
    const file = join(dir, 'app.log');
    const child = spawn(process.execPath, ['--import', 'tsx', EXITING, file, '20000'], {
      stdio: 'inherit',
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = linesOf(file);
    expect(lines).toHaveLength(20_000);
    expect(lines.at(-1)?.n).toBe(19_999);
  });
});
