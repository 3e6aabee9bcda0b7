/**
 * What the engine tells as runs go: started, each attempt of a step, and how a run ended.
 * The same names as the supervisor's `workflow:*` events.
 */
import type { DeadLetter, StoredError } from '../core/workflows/records.js';

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
