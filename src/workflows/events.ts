/**
 * What the engine tells as runs go: started, each attempt of a step, and how a run ended.
 * The same events the supervisor streams as `workflow:*`, read back from the store: one
 * type, in core, for both.
 */
export type { WorkflowEvent, WorkflowEventType } from '../core/workflows/events.js';
