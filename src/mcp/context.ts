/** What the tools and resources of the server read and act through. */
import type { SupervisorApi } from '../protocol/api.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import type { Answering } from './answers.js';

/** The part of a supervisor the server uses. */
export type McpSupervisor = Pick<
  SupervisorApi,
  | 'list'
  | 'get'
  | 'readLogs'
  | 'listTasks'
  | 'getTask'
  | 'submitTask'
  | 'waitTask'
  | 'start'
  | 'stop'
  | 'restart'
>;

/**
 * Answers `use` of the project's workflows, wherever they are read from (the daemon, or the
 * store itself while none runs).
 */
export type WithWorkflows = <T>(use: (workflows: WorkflowsApi) => Promise<T>) => Promise<T>;

export interface McpContext {
  readonly supervisor: McpSupervisor;
  readonly withWorkflows: WithWorkflows;
  readonly answering: Answering;
  readonly now: () => number;
}
