/**
 * The `overseer_workflow_*` metrics of `/metrics`, read from the project's workflow store
 * at each scrape (`stats()`: a few indexed counts, however many runs it keeps). A store
 * that cannot be read leaves them out, with a comment saying why.
 */
import { RUN_STATUSES } from '../core/workflows/records.js';
import {
  STEP_DURATION_BUCKETS_MS,
  type WorkflowStats,
  type WorkflowStore,
} from '../core/workflows/workflow-store.js';
import { labelPairs as labels } from './exposition.js';
import type { MetricsSource } from './routes.js';

export function workflowMetrics(store: WorkflowStore): MetricsSource {
  return {
    async metrics() {
      let stats: WorkflowStats;
      try {
        stats = await store.stats();
      } catch (error) {
        // The processes' metrics still answer: a store that cannot be read is said in a comment.
        const reason = (error as Error)?.message ?? String(error);
        return `# overseer_workflow_* left out: ${reason.replace(/\n/g, ' ')}\n`;
      }
      const lines: string[] = [
        '# HELP overseer_workflow_runs Workflow runs in the store, by workflow and status.',
        '# TYPE overseer_workflow_runs gauge',
      ];
      const workflows = [...new Set(stats.runs.map((row) => row.workflow))].sort();
      for (const workflow of workflows) {
        // Every status of a workflow, 0 included: a series does not vanish when its runs move on.
        for (const status of RUN_STATUSES) {
          const row = stats.runs.find(
            (each) => each.workflow === workflow && each.status === status,
          );
          lines.push(`overseer_workflow_runs{${labels({ workflow, status })}} ${row?.count ?? 0}`);
        }
      }
      lines.push(
        '# HELP overseer_workflow_dead_letters Dead letters waiting, by workflow.',
        '# TYPE overseer_workflow_dead_letters gauge',
      );
      // Every workflow with runs, 0 included: an alert on dead letters sees them come and go.
      const lettered = [
        ...new Set([...workflows, ...stats.deadLetters.map((row) => row.workflow)]),
      ].sort();
      for (const workflow of lettered) {
        const count = stats.deadLetters.find((row) => row.workflow === workflow)?.count ?? 0;
        lines.push(`overseer_workflow_dead_letters{${labels({ workflow })}} ${count}`);
      }
      lines.push(
        '# HELP overseer_workflow_steps_total Workflow steps recorded, by workflow.',
        '# TYPE overseer_workflow_steps_total counter',
      );
      for (const row of stats.steps) {
        lines.push(
          `overseer_workflow_steps_total{${labels({ workflow: row.workflow })}} ${row.count}`,
        );
      }
      lines.push(
        '# HELP overseer_workflow_step_duration_seconds Durations of the workflow steps recorded, by workflow.',
        '# TYPE overseer_workflow_step_duration_seconds histogram',
      );
      for (const row of stats.steps) {
        const workflow = labels({ workflow: row.workflow });
        let cumulative = 0;
        STEP_DURATION_BUCKETS_MS.forEach((bound, index) => {
          cumulative += row.buckets[index] ?? 0;
          lines.push(
            `overseer_workflow_step_duration_seconds_bucket{${workflow},le="${bound / 1000}"} ${cumulative}`,
          );
        });
        lines.push(
          `overseer_workflow_step_duration_seconds_bucket{${workflow},le="+Inf"} ${row.count}`,
          `overseer_workflow_step_duration_seconds_sum{${workflow}} ${row.durationMs / 1000}`,
          `overseer_workflow_step_duration_seconds_count{${workflow}} ${row.count}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
