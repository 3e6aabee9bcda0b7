/**
 * Applying a changed config while the stack is busy or watched: an apply is never left half
 * done by a reload, a scale or a start racing it; editing the config restarts no process
 * that merely watches the folder; a recreated dependency restarts its `restart: true`
 * dependents; the processes keep the config's order; a rejection is logged once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cleanupAll, openDaemon, sleeper } from './helpers.js';

afterEach(cleanupAll);

it('a config rejected is one warning in the supervisor log', async () => {
  const opened = await openDaemon({ processes: { web: sleeper() } });
  writeFileSync(opened.configPath, 'version: 1\nprocesses: [not, a, map]\n');

  await expect(opened.daemon.apply()).rejects.toThrow();
  await opened.daemon.shutdown();

  const warnings = logRecords(opened.stateDir).filter(
    (r) => r.level === 'warn' && r.category === 'config',
  );
  expect(warnings).toHaveLength(1);
});

/** The supervisor log's records so far. */
function logRecords(stateDir: string): Array<{ level: string; category: string; msg: string }> {
  return readFileSync(join(stateDir, 'overseer.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}
