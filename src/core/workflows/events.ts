/**
 * What is told as workflow runs go: started, each attempt of a step, and how a run ended.
 * The engine tells them of the runs it executes (src/workflows/events.ts, the same shapes);
 * the daemon derives them from the store, of runs every worker of the project executes.
 */
import type { DeadLetter, StoredError } from './records.js';

export type WorkflowEvent =
  | {
      readonly type: 'workflow:started';
      readonly runId: string;
      readonly workflow: string;
      readonly resumed: boolean;
    }
  | {
      readonly type: 'workflow:step';
      readonly runId: string;
      readonly workflow: string;
      readonly step: string;
      readonly index: number;
      readonly attempt: number;
      readonly outcome: 'completed' | 'failed';
      readonly durationMs: number;
      readonly error?: StoredError;
    }
  | { readonly type: 'workflow:completed'; readonly runId: string; readonly workflow: string }
  | {
      readonly type: 'workflow:failed';
      readonly runId: string;
      readonly workflow: string;
      readonly error: StoredError;
    }
  | {
      readonly type: 'workflow:dead-lettered';
      readonly runId: string;
      readonly workflow: string;
      readonly letter: Pick<DeadLetter, 'step' | 'stepIndex' | 'attempts' | 'error'>;
    };

export type WorkflowEventType = WorkflowEvent['type'];
