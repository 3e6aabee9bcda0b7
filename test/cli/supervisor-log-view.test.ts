/** How `overseer logs --supervisor` shows a record of the supervisor's own log to a person. */
import { describe, expect, it } from 'vitest';
import { painterFor } from '../../src/cli/output.js';
import { formatSupervisorRecord } from '../../src/cli/supervisor-log-view.js';

const plain = painterFor(process.stdout, { NO_COLOR: '1' });
const AT = Date.UTC(2026, 0, 1, 10, 0, 0);

describe('formatSupervisorRecord', () => {
  it('shows the times of a schedule and a breaker (nextRunAt, retryAt, fireAt) as times, not epoch milliseconds', () => {
    const record = {
      level: 'info',
      time: '2026-01-01T09:59:59.000Z',
      category: 'schedule',
      msg: 'process:scheduled',
      name: 'job',
      nextRunAt: AT,
      retryAt: AT + 1_000,
      fireAt: AT + 2_000,
    };

    expect(formatSupervisorRecord(JSON.stringify(record), plain)).toBe(
      '2026-01-01T09:59:59.000Z INFO  schedule   process:scheduled name=job nextRunAt=2026-01-01T10:00:00.000Z retryAt=2026-01-01T10:00:01.000Z fireAt=2026-01-01T10:00:02.000Z',
    );
  });

  it('leaves other numbers as they are', () => {
    const record = {
      level: 'info',
      time: 't',
      category: 'process',
      msg: 'process:started',
      pid: 42,
    };
    expect(formatSupervisorRecord(JSON.stringify(record), plain)).toBe(
      't INFO  process    process:started pid=42',
    );
  });
});
