/**
 * `watch:` in the engine under the library and the daemon: a change restarts a running
 * service with the file named, and after `remove()` a change starts nothing, not even a
 * process of the same name declared again without a watch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { specsFromDefinition } from '../../../src/config/normalize.js';
import type { ProcessDefinition } from '../../../src/config/process-schema.js';
import type { LogCategory, LogFor } from '../../../src/core/logging.js';
import { SupervisorEngine } from '../../../src/runtime/supervisor/engine.js';
import {
  cleanup,
  fixture,
  isEvent,
  recordEvents,
  tempDir,
  waitFor,
  waitForEvent,
} from '../helpers.js';

const engines: SupervisorEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown()));
  await cleanup();
});

const sleeper = { command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } };

/** An engine in a fresh folder with `src/`, and the names whose watch is in place. */
function engineWithSrc(log?: LogFor) {
  const dir = tempDir();
  mkdirSync(join(dir, 'src'));
  const watching = new Set<string>();
  const engine = new SupervisorEngine({
    cwd: dir,
    onWatch: { ready: (name) => watching.add(name) },
    ...(log ? { log } : {}),
  });
  engines.push(engine);
  const declare = (definition: Partial<ProcessDefinition> & { name: string }) =>
    engine.declare(specsFromDefinition({ ...sleeper, ...definition } as ProcessDefinition));
  return { dir, engine, watching, declare };
}

describe('a watched process', () => {
  it('restarts on a change, the exit naming the file', async () => {
    const { dir, engine, watching, declare } = engineWithSrc();
    declare({ name: 'web', watch: { paths: ['src'], debounce: 50 } });
    await engine.up();
    await waitFor(() => watching.has('web'), 5_000, 'the watch');
    const exit = waitForEvent(engine, isEvent('process:exit', 'web'));
    const restarted = waitForEvent(engine, isEvent('process:restarted', 'web'));

    writeFileSync(join(dir, 'src', 'app.js'), '1');

    expect(await exit).toMatchObject({ reason: 'watch: src/app.js changed' });
    await restarted;
  });

  // Regression: a change during a reload restarted every instance at once (0 of 3 running).
  it('a file change during reload takes no instance down at once: it acts once the reload is over', async () => {
    const { dir, engine, watching, declare } = engineWithSrc();
    // Each run is ready 300 ms after it starts: the change comes while web-0 is replaced.
    declare({
      name: 'web',
      instances: 3,
      command: fixture('control-server.mjs', dir, 300),
      readiness: { log: '^listening on' },
      watch: { paths: ['src'], debounce: 50 },
    });
    await engine.up();
    await waitFor(() => watching.has('web'), 5_000, 'the watch');
    const running: number[] = [];
    engine.onAny(() =>
      running.push(engine.list().filter((row) => row.status === 'running').length),
    );
    const replacing = waitForEvent(engine, isEvent('process:started', 'web-0'));
    const reload = engine.reload('web');
    await replacing;
    const restartedByWatch = waitForEvent(
      engine,
      (event) => event.type === 'process:exit' && event.reason.startsWith('watch:'),
    );

    writeFileSync(join(dir, 'src', 'app.js'), '1');

    const report = await reload;
    const whileReloading = [...running];
    expect(report.ok).toBe(true);
    expect(Math.min(...whileReloading)).toBeGreaterThanOrEqual(2);
    expect(await restartedByWatch).toMatchObject({ reason: 'watch: src/app.js changed' });
  });

  // Regression: the `watch` category held only "watching"; the restart a change caused was
  // logged under `process`.
  it('logs the burst and the restart it causes under the watch category', async () => {
    const lines: Array<{ category: LogCategory; message: string; fields: object }> = [];
    const write = (category: LogCategory) => (fields: object, message: string) =>
      lines.push({ category, message, fields });
    const log: LogFor = (category) => ({
      trace: write(category),
      debug: write(category),
      info: write(category),
      warn: write(category),
      error: write(category),
    });
    const { dir, engine, watching, declare } = engineWithSrc(log);
    declare({ name: 'web', watch: { paths: ['src'], debounce: 50 } });
    await engine.up();
    await waitFor(() => watching.has('web'), 5_000, 'the watch');
    const restarted = waitForEvent(engine, isEvent('process:restarted', 'web'));

    writeFileSync(join(dir, 'src', 'app.js'), '1');
    await restarted;

    const watchLines = lines.filter((line) => line.category === 'watch');
    expect(watchLines).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ name: 'web', files: ['src/app.js'] }),
      }),
    );
    expect(watchLines).toContainEqual(
      expect.objectContaining({
        message: 'input',
        fields: expect.objectContaining({ type: 'restart', cause: 'watch: src/app.js changed' }),
      }),
    );
  });

  it('is closed by remove(): a change then starts nothing', async () => {
    const { dir, engine, watching, declare } = engineWithSrc();
    declare({ name: 'web', watch: { paths: ['src'], debounce: 50 } });
    declare({ name: 'witness', watch: { paths: ['src'], debounce: 100 } });
    await engine.up();
    await waitFor(() => watching.size === 2, 5_000, 'the watches');
    await engine.stop('web');
    engine.remove('web');
    declare({ name: 'web' });
    await engine.start('web');
    const events = recordEvents(engine);
    const witnessRestarted = waitForEvent(engine, isEvent('process:restarted', 'witness'));

    writeFileSync(join(dir, 'src', 'app.js'), '1');

    // The witness's longer debounce has passed: the removed watch would have acted first.
    await witnessRestarted;
    expect(events.filter(isEvent('process:exit', 'web'))).toEqual([]);
  });
});
