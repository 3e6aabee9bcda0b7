/** The texts a model reads: lists kept to what a context holds, a task's output cut to its end. */
import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../src/core/tasks/task.js';
import type { ProcessInfo } from '../../src/core/view.js';
import { MAX_LIST_ITEMS } from '../../src/mcp/list-text.js';
import { processListText } from '../../src/mcp/process-text.js';
import { MAX_OUTPUT_CHARS, taskDetailsText } from '../../src/mcp/task-text.js';

function row(name: string): ProcessInfo {
  return {
    name,
    namespace: 'default',
    status: 'running',
    health: 'none',
    pid: 4242,
    restarts: 0,
    exitCode: null,
    reason: null,
    blocked: false,
    startedAt: null,
    uptimeMs: 65_000,
    cpuPercent: 1.25,
    memoryBytes: 52 * 1024 * 1024,
    kind: 'service',
    instance: 0,
    fds: null,
    threads: null,
    readBytes: null,
    writeBytes: null,
    limitBreaches: [],
    healthScore: 100,
    healthReasons: [],
    nextRunAt: null,
    retryAt: null,
    labels: {},
  };
}

describe('the texts of the server', () => {
  it('write a process on one line, and leave out what a long list has past its items, saying how to narrow', () => {
    const rows = Array.from({ length: MAX_LIST_ITEMS + 50 }, (_, index) => row(`p${index}`));
    const lines = processListText(rows, 0).split('\n');
    expect(lines[0]).toBe(`${MAX_LIST_ITEMS + 50} processes (${MAX_LIST_ITEMS + 50} running):`);
    expect(lines[1]).toBe(
      'p0 [default]: running, pid 4242, up 1m5s, restarts 0, cpu 1.3%, mem 52.0MB, score 100',
    );
    expect(lines).toHaveLength(MAX_LIST_ITEMS + 2);
    expect(lines.at(-1)).toBe('… and 50 more, left out: narrow the list by namespace or status.');
  });

  it("keep the end of a task's output, saying how much came before", () => {
    const stdout = `${'a'.repeat(100)}${'z'.repeat(MAX_OUTPUT_CHARS)}`;
    const task = {
      id: 't1',
      name: 'build',
      status: 'failed',
      pid: null,
      attempts: 1,
      reason: null,
      result: {
        exitCode: 1,
        signal: null,
        durationMs: 1500,
        resourceUsage: { peakMemoryBytes: 0 },
        stdout,
        stderr: '',
        reason: 'exit code 1',
      },
    } as unknown as TaskView;
    const [line, json] = taskDetailsText(task).split('\n');
    expect(line).toBe('t1 build: failed, exit 1, 1s, peak mem 0B — exit code 1');
    expect(JSON.parse(json!).result.stdout).toBe(
      `(100 earlier characters left out)…${'z'.repeat(MAX_OUTPUT_CHARS)}`,
    );
  });
});
