/**
 * overseer: a typed process supervisor. This is the public library surface; anything not
 * exported here is internal.
 */

export type { Project } from './config/load.js';
export { loadProject } from './config/load.js';
export { DEFAULTS } from './config/normalize.js';
export type { ProcessDefinition, ProcessEntry } from './config/process-schema.js';
export { defineConfig, type ProjectConfig } from './config/project-schema.js';
export type { TaskDefinition } from './config/task-schema.js';
export {
  ALERT_KINDS,
  type Alert,
  type AlertKind,
  type AlertSeverity,
  alertPayload,
  type BreakerOpened,
} from './core/alerts/alert.js';
export { ALERT_DEFAULTS, type AlertSettings } from './core/alerts/delivery.js';
export {
  type Backoff,
  type BackoffPolicy,
  DECORRELATED_JITTER,
  exponentialBackoff,
  FULL_JITTER,
  type Jitter,
  NO_JITTER,
  type RandomSource,
} from './core/backoff.js';
export { type ErrorCode, OverseerError, type SpecIssue } from './core/errors.js';
export type {
  ConfigIssue,
  EventOf,
  ProcessEvent,
  SupervisorEvent,
  SupervisorEventMap,
  SupervisorEventType,
} from './core/events.js';
export type { StackStatus } from './core/limits/stack-health.js';
export {
  LOG_CATEGORIES,
  LOG_LEVELS,
  type LogCategory,
  type LogLevel,
  type LogSettings,
} from './core/logging.js';
export type { SignalReport } from './core/process/signals.js';
export {
  DEFAULT_LOG_ROTATION,
  type DependencyCondition,
  type LogRotation,
  type Priority,
  type ProcessKind,
  type ProcessSpec,
  type RestartPolicy,
  type RunAs,
  type ScheduleOverlap,
  type ScheduleSpec,
  type WatchSpec,
} from './core/process/spec.js';
export type { Health, Status } from './core/process/state.js';
export type { SandboxEnv, SandboxPolicy, SandboxRules } from './core/sandbox/sandbox.js';
export { type LabelFilter, type ProcessFilter, STATUSES } from './core/stack/process-filter.js';
export type { InstanceReload, ReloadReport } from './core/stack/rolling.js';
export type { RequestTarget } from './core/stack/selector.js';
export type { HostStats, SupervisorStats } from './core/stats.js';
export type { Disposer } from './core/subscription.js';
export type {
  CaptureMode,
  FinalTaskStatus,
  TaskCounts,
  TaskLimitBreach,
  TaskResult,
  TaskStatus,
  TaskUsage,
  TaskView,
} from './core/tasks/task.js';
export type { TaskFilter } from './core/tasks/task-filter.js';
export { type FireAction, nextFire } from './core/triggers.js';
export { formatDuration, parseDuration, parseSize } from './core/units.js';
export type {
  ContainmentInfo,
  ContainmentMode,
  LogLine,
  LogQuery,
  OutputStream,
  ProcessDetails,
  ProcessInfo,
  ProcessLogLine,
  RunRecord,
  Snapshot,
} from './core/view.js';
export type {
  DeadLetter,
  Json,
  RunStatus,
  StepRecord,
  StoredError,
  WorkflowRun,
} from './core/workflows/records.js';
export type { RunFilter, WorkflowStore } from './core/workflows/workflow-store.js';
export {
  createMonitoringRoutes,
  type MetricsSource,
  type MonitoringOptions,
} from './daemon/routes.js';
export {
  WORKFLOWS_SCHEMA_VARIABLE,
  WORKFLOWS_STORE_VARIABLE,
  Workflows,
  type WorkflowsOptions,
} from './open-workflows.js';
export type { Awaitable, HealthReport, SupervisorApi } from './protocol/api.js';
export { type ClientTarget, HttpSupervisorClient } from './protocol/client.js';
export type {
  ApplyResult,
  ConfigRejection,
  DaemonControl,
  DaemonStatus,
} from './protocol/daemon-control.js';
export { BreakerRegistry } from './resilience/breaker-registry.js';
export type { BreakerState, SerializedBreaker } from './resilience/breaker-state.js';
export {
  type BulkheadOptions,
  type BulkheadPolicy,
  type BulkheadRejectEvent,
  bulkhead,
} from './resilience/bulkhead.js';
export {
  type BreakerEvent,
  type BreakerOpenEvent,
  type BreakerRejectEvent,
  type BreakerStats,
  type CircuitBreakerOptions,
  type CircuitBreakerPolicy,
  type Clock,
  circuitBreaker,
} from './resilience/circuit-breaker.js';
export { BreakerOpenError, BulkheadFullError, TimeoutError } from './resilience/errors.js';
export type { ExecutionFacts, ExecutionResult } from './resilience/execution-result.js';
export {
  type ResilientExecutor,
  type ResilientExecutorOptions,
  resilientExecutor,
} from './resilience/executor.js';
export type {
  ExecutorPolicySet,
  ExecutorPolicySettings,
} from './resilience/executor-policies.js';
export {
  CALL_OUTCOMES,
  type CallOutcome,
  type ExecutorStats,
} from './resilience/executor-stats.js';
export { createExecutors, type Executors, type ExecutorsOptions } from './resilience/executors.js';
export type { OpensAfter } from './resilience/failure-count.js';
export {
  type FallbackEvent,
  type FallbackPolicy,
  type FallbackValue,
  fallback,
} from './resilience/fallback.js';
export type {
  CheckAnswer,
  CheckVerdict,
  HealthCheck,
} from './resilience/health-check-run.js';
export {
  type ComponentHealth,
  type ComponentHealthSource,
  type ComponentStatus,
  type ComponentsReport,
  type ComponentsStatus,
  DEFAULT_HEALTH_CHECK_INTERVAL_MS,
  DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
  type HealthChangeEvent,
  type HealthCheckOptions,
  type HealthChecks,
  type HealthChecksOptions,
  healthChecks,
} from './resilience/health-checks.js';
export type { PolicyListener } from './resilience/listeners.js';
export {
  type AppLogger,
  createLogger,
  type LogMethod,
  type LogTimer,
} from './resilience/logger/app-logger.js';
export { APP_LOG_LEVELS, type AppLineLevel, type AppLogLevel } from './resilience/logger/levels.js';
export type { AppLoggerOptions, AppLogRotation } from './resilience/logger/logger-options.js';
export { logPolicyEvents, type PolicyEventSources } from './resilience/logger/policy-events.js';
export type { AppLogDestination } from './resilience/logger/sinks.js';
export { type Policy, type PolicyContext, type Work, wrap } from './resilience/policy.js';
export {
  type BreakerSettings,
  type ExecutorKind,
  type ExecutorPolicies,
  type PresetOverrides,
  presetFor,
  presets,
  type ResiliencePreset,
  type TimeoutSettings,
  withOverrides,
} from './resilience/presets.js';
export {
  type ResilienceMetricsSources,
  registerResilienceMetrics,
} from './resilience/resilience-metrics.js';
export {
  type AttemptOutcome,
  DEFAULT_RETRY_BACKOFF,
  type GiveUpEvent,
  type RetryEvent,
  type RetryOptions,
  type RetryPolicy,
  retry,
} from './resilience/retry.js';
export {
  type TimeoutEvent,
  type TimeoutMode,
  type TimeoutPolicy,
  timeout,
} from './resilience/timeout.js';
export {
  type AlertEventSource,
  Alerts,
  type AlertsLog,
  type AlertsOptions,
  type AlertsStats,
  type WatchableBreaker,
  type WatchableBreakers,
  type WorkflowEventSource as AlertWorkflowSource,
} from './runtime/alerts/alerts.js';
export { LogFollower, readLogTail } from './runtime/logs/log-files.js';
export type { ContainmentChoice } from './runtime/process/containment.js';
export type { Listener } from './runtime/supervisor/emitter.js';
export {
  type ShutdownOnSignalsOptions,
  type Stoppable,
  shutdownOnSignals,
} from './runtime/supervisor/shutdown-on-signals.js';
export type { TaskOutputLine } from './runtime/tasks/task-rooms.js';
export { MemoryWorkflowStore } from './store/memory/workflow-store.js';
export { Supervisor, type SupervisorOptions } from './supervisor.js';
export {
  type DeadLetters,
  type RunHandle,
  type StartOptions,
  type Workflow,
  WorkflowEngine,
  type WorkflowEngineOptions,
} from './workflows/engine.js';
export { NonDeterminismError, WorkflowFailedError } from './workflows/errors.js';
export type { WorkflowEvent, WorkflowEventType } from './workflows/events.js';
export type { StepContext, StepOptions, WorkflowContext } from './workflows/run-context.js';
export type { WorkerOptions, WorkflowWorker } from './workflows/worker.js';
