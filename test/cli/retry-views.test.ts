/** How `ps` and `up`'s event lines say when the restart breaker tries a failed process again. */
import { describe, expect, it } from 'vitest';
import { painterFor } from '../../src/cli/output.js';
import { describeEvent, renderProcessTable } from '../../src/cli/views.js';
import type { ProcessInfo } from '../../src/core/view.js';

const plain = painterFor(process.stdout, { NO_COLOR: '1' });
const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

const failed = (retryAt: string | null) =>
  ({
    name: 'api',
    namespace: 'default',
    status: 'failed',
    health: 'none',
    pid: null,
    restarts: 3,
    exitCode: 1,
    reason: 'restart budget spent: exited with code 1 after 3 restarts within 1m',
    uptimeMs: null,
    cpuPercent: null,
    memoryBytes: null,
    fds: null,
    healthScore: 0,
    healthReasons: [],
    retryAt,
  }) as unknown as ProcessInfo;

describe('a failed process with a retry to come', () => {
  it('ps: the reason ends with when it is tried again', () => {
    const table = renderProcessTable([failed(new Date(NOW + 240_000).toISOString())], plain, NOW);
    expect(table).toContain('after 3 restarts within 1m (retry in 4m)');
    expect(renderProcessTable([failed(null)], plain, NOW)).not.toContain('retry in');
  });

  it('up: the failed event says so too', () => {
    const event = { type: 'process:failed', name: 'api', at: NOW, reason: 'budget spent' } as const;
    expect(describeEvent({ ...event, retryAt: NOW + 5_000 })).toBe(
      'failed: budget spent (retry in 5s)',
    );
    expect(describeEvent(event)).toBe('failed: budget spent');
  });

  it('up: an admission says starting, a start held up says what holds it', () => {
    const starting = { type: 'process:starting', name: 'api', at: NOW } as const;
    expect(describeEvent({ ...starting, reason: 'spawning' })).toBe('starting');
    expect(describeEvent({ ...starting, reason: 'readiness: HTTP 503 ×1 since 10:00:00' })).toBe(
      'starting: readiness: HTTP 503 ×1 since 10:00:00',
    );
  });
});
