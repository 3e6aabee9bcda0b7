/**
 * The health of the components an application depends on (a database, a cache, an upstream
 * API) as plain data, and the one rule that judges them together. Here in core so that the
 * checks that produce it (resilience) and the routes that report it (daemon, protocol) share
 * the shape without knowing each other.
 */

/**
 * `unknown` until the component's check has run once: a report never claims a component
 * healthy before it was checked.
 */
export type ComponentStatus = 'unknown' | 'healthy' | 'degraded' | 'unhealthy';

/** The components judged together. */
export type ComponentsStatus = 'healthy' | 'degraded' | 'unhealthy';

/** One component as its last check left it. Times are ISO strings, as elsewhere on the wire. */
export interface ComponentHealth {
  readonly name: string;
  readonly status: ComponentStatus;
  /** What the check said: the error's message when it failed, its own word otherwise. */
  readonly message?: string;
  /** How long the last check took; null before the first. */
  readonly latencyMs: number | null;
  /** When the last check ended; null before the first. */
  readonly checkedAt: string | null;
  /** When the component entered its status (its registration, while `unknown`). */
  readonly since: string;
  /** Whether its failure makes the whole `unhealthy` rather than `degraded`. */
  readonly critical: boolean;
}

export interface ComponentsReport {
  readonly status: ComponentsStatus;
  readonly components: readonly ComponentHealth[];
}

/**
 * Whatever keeps the components' health: what the monitoring routes read, on each
 * `/health`, without running anything.
 */
export interface ComponentHealthSource {
  status(): ComponentsReport;
}

/**
 * `unhealthy` when a critical component is; `degraded` when a non-critical one is
 * unhealthy, or any is degraded or not checked yet; else `healthy` (no component at all
 * included).
 */
export function componentsStatus(components: readonly ComponentHealth[]): ComponentsStatus {
  if (components.some((component) => component.critical && component.status === 'unhealthy')) {
    return 'unhealthy';
  }
  return components.some((component) => component.status !== 'healthy') ? 'degraded' : 'healthy';
}

/**
 * One line per component that keeps the whole from `healthy`, the critical failures
 * first: `db: unhealthy (critical): connection refused`.
 */
export function componentConcerns(components: readonly ComponentHealth[]): string[] {
  const weight = (component: ComponentHealth) =>
    component.status === 'unhealthy' ? (component.critical ? 0 : 1) : 2;
  return components
    .filter((component) => component.status !== 'healthy')
    .sort((a, b) => weight(a) - weight(b))
    .map((component) => {
      const critical = component.critical && component.status === 'unhealthy' ? ' (critical)' : '';
      const head = `${component.name}: ${component.status}${critical}`;
      return component.message ? `${head}: ${component.message}` : head;
    });
}
