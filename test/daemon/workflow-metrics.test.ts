/** The `overseer_workflow_*` block of `/metrics`, from a store's `stats()`. */
import { describe, expect, it } from 'vitest';
import type { WorkflowStats, WorkflowStore } from '../../src/core/workflows/workflow-store.js';
import { workflowMetrics } from '../../src/daemon/workflow-metrics.js';

function storeWith(stats: WorkflowStats): WorkflowStore {
  return { stats: async () => stats } as unknown as WorkflowStore;
}

describe('workflowMetrics', () => {
  it('dead letters read 0 for a workflow with none: the series does not vanish once they are retried', async () => {
    const text = await workflowMetrics(
      storeWith({
        runs: [
          { workflow: 'order', status: 'completed', count: 2 },
          { workflow: 'refund', status: 'failed', count: 1 },
        ],
        deadLetters: [{ workflow: 'refund', count: 1 }],
        steps: [],
      }),
    ).metrics();

    expect(text).toContain('overseer_workflow_dead_letters{workflow="order"} 0\n');
    expect(text).toContain('overseer_workflow_dead_letters{workflow="refund"} 1\n');
  });
});
