/**
 * The toolkit's figures as Prometheus metrics, in a prom-client registry the host owns (or
 * one made here): breaker states and calls, executor calls by outcome, fallbacks, retries,
 * timeouts, bulkhead rejections, and the health checks' statuses and latencies. Read from the counts at each scrape, so nothing is
 * counted twice and no call pays for the metrics. prom-client is loaded by the first call,
 * not with the package.
 */
import type { Registry } from 'prom-client';
import type { ComponentHealthSource, ComponentStatus } from '../core/component-health.js';
import type { BreakerState } from './breaker-state.js';
import type { BreakerStats } from './circuit-breaker.js';
import { CALL_OUTCOMES, type ExecutorStats } from './executor-stats.js';

/** Where the figures come from. */
export interface ResilienceMetricsSources {
  /** Executors and their breakers: an `Executors` registry. */
  readonly executors?: {
    stats(): readonly ExecutorStats[];
    breakerStats(): readonly BreakerStats[];
  };
  /** Breakers outside any executor: a `BreakerRegistry`. */
  readonly breakers?: { stats(): readonly BreakerStats[] };
  /** Component health checks: a `HealthChecks`. */
  readonly health?: ComponentHealthSource;
}

const COMPONENT_STATUSES: readonly ComponentStatus[] = [
  'unknown',
  'healthy',
  'degraded',
  'unhealthy',
];

const BREAKER_STATES: readonly BreakerState['kind'][] = ['closed', 'open', 'halfOpen'];

/** Registers the metrics of `sources` in `registry` (a new one if not given) and returns it. */
export async function registerResilienceMetrics(
  sources: ResilienceMetricsSources,
  registry?: Registry,
): Promise<Registry> {
  const prom = await import('prom-client');
  const target = registry ?? new prom.Registry();
  const registers = [target];

  /** A counter set, at each scrape, to the totals `read` gives. */
  const totals = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Iterable<readonly [Record<L, string>, number]>,
  ) =>
    new prom.Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.inc(labels, value);
      },
    });

  const { executors, breakers } = sources;
  const executorStats = executors && (() => executors.stats());
  const breakerStats =
    (executors || breakers) &&
    (() => [...(executors?.breakerStats() ?? []), ...(breakers?.stats() ?? [])]);
  if (breakerStats) {
    new prom.Gauge({
      name: 'overseer_breaker_state',
      help: '1 for the current state of the circuit breaker (closed, open, halfOpen)',
      labelNames: ['breaker', 'state'],
      registers,
      collect() {
        this.reset();
        for (const breaker of breakerStats()) {
          for (const state of BREAKER_STATES) {
            this.set({ breaker: breaker.name, state }, breaker.state.kind === state ? 1 : 0);
          }
        }
      },
    });
    totals(
      'overseer_breaker_calls_total',
      'Calls through the circuit breaker by outcome (rejected: refused while open)',
      ['breaker', 'outcome'],
      function* () {
        for (const { name, successes, failures, rejections } of breakerStats()) {
          yield [{ breaker: name, outcome: 'success' }, successes];
          yield [{ breaker: name, outcome: 'failure' }, failures];
          yield [{ breaker: name, outcome: 'rejected' }, rejections];
        }
      },
    );
    totals(
      'overseer_breaker_openings_total',
      'Times the circuit breaker opened',
      ['breaker'],
      function* () {
        for (const { name, openings } of breakerStats()) yield [{ breaker: name }, openings];
      },
    );
  }
  if (executorStats) {
    totals(
      'overseer_executor_calls_total',
      'Calls of the executor by outcome (rejected: by its breaker or bulkhead; aborted: by the caller)',
      ['executor', 'outcome'],
      function* () {
        for (const { name, calls } of executorStats()) {
          for (const outcome of CALL_OUTCOMES) yield [{ executor: name, outcome }, calls[outcome]];
        }
      },
    );
    const perExecutor = (name: string, help: string, pick: (stats: ExecutorStats) => number) =>
      totals(name, help, ['executor'], function* () {
        for (const stats of executorStats()) yield [{ executor: stats.name }, pick(stats)];
      });
    perExecutor(
      'overseer_executor_fallbacks_total',
      'Calls answered by the fallback',
      (s) => s.fallbacks,
    );
    perExecutor('overseer_executor_retries_total', 'Attempts tried again', (s) => s.retries);
    perExecutor(
      'overseer_executor_timeouts_total',
      'Attempts that ran past their deadline',
      (s) => s.timeouts,
    );
    perExecutor(
      'overseer_bulkhead_rejections_total',
      'Calls the bulkhead refused, full',
      (s) => s.bulkheadRejections,
    );
  }
  const { health } = sources;
  if (health) {
    new prom.Gauge({
      name: 'overseer_health_check_status',
      help: '1 for the current status of the component (unknown, healthy, degraded, unhealthy)',
      labelNames: ['component', 'status', 'critical'],
      registers,
      collect() {
        this.reset();
        for (const component of health.status().components) {
          const critical = String(component.critical);
          for (const status of COMPONENT_STATUSES) {
            const value = component.status === status ? 1 : 0;
            this.set({ component: component.name, status, critical }, value);
          }
        }
      },
    });
    new prom.Gauge({
      name: 'overseer_health_check_latency_seconds',
      help: 'How long the last check of the component took',
      labelNames: ['component'],
      registers,
      collect() {
        this.reset();
        for (const { name, latencyMs } of health.status().components) {
          if (latencyMs !== null) this.set({ component: name }, latencyMs / 1_000);
        }
      },
    });
  }
  return target;
}
