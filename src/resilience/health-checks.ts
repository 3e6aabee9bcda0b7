/**
 * Health checks of the components an application depends on (a database, a cache, an
 * upstream API), each run on its own interval, their last results kept for `/health` to
 * read: asking for the health runs nothing, so a busy probe cannot overload what it checks.
 *
 * A check runs at once when registered, then every `interval`, never twice at once: a tick
 * that finds the previous run still going (a check that ignores its aborted signal) is
 * skipped. Timers are unref'd, and `stop()` clears them all, so checks never keep a
 * process up.
 */
import {
  type ComponentHealth,
  type ComponentHealthSource,
  type ComponentStatus,
  type ComponentsReport,
  componentsStatus,
} from '../core/component-health.js';
import type { Disposer } from '../core/subscription.js';
import type { UnitInput } from '../core/units.js';
import type { Clock } from './circuit-breaker.js';
import {
  type CheckRun,
  type HealthCheck,
  type RunOutcome,
  startCheckRun,
} from './health-check-run.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { durationMs } from './policy.js';

// The shapes `status()` answers with live in core, for the routes to read; named here too so
// that they come with the checks.
export type {
  ComponentHealth,
  ComponentHealthSource,
  ComponentStatus,
  ComponentsReport,
  ComponentsStatus,
} from '../core/component-health.js';

export interface HealthCheckOptions {
  /** How often the check runs: ms, or a duration such as `'10s'`. Default 30 s. */
  readonly interval?: UnitInput;
  /** How long a run may take before it counts as unhealthy. Default 5 s. */
  readonly timeout?: UnitInput;
  /** Whether its failure makes the whole unhealthy (true), or only degraded. Default true. */
  readonly critical?: boolean;
}

export interface HealthChecksOptions {
  /** Reads the time, for `checkedAt`, `since` and latencies; `Date.now` if not given. */
  readonly clock?: Clock;
}

/** A component whose status changed, its first check's verdict included. */
export interface HealthChangeEvent {
  readonly name: string;
  readonly from: ComponentStatus;
  readonly to: ComponentStatus;
  readonly message?: string;
}

export interface HealthChecks extends ComponentHealthSource {
  /** Adds a check and runs it at once, then every `interval`; the disposer removes it. */
  register(name: string, check: HealthCheck, options?: HealthCheckOptions): Disposer;
  /** Every component as its last check left it, and the verdict on them all. */
  status(): ComponentsReport;
  /**
   * Runs one check (or all) now and resolves with the fresh status. A check already
   * running is waited for, not run a second time.
   */
  checkNow(name?: string): Promise<ComponentsReport>;
  /** On every change of a component's status. */
  onChange(listener: PolicyListener<HealthChangeEvent>): Disposer;
  /** Clears every timer and aborts the checks running; the last results stay readable. */
  stop(): void;
}

export const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 30_000;
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 5_000;

interface Component {
  readonly name: string;
  readonly check: HealthCheck;
  readonly timeoutMs: number;
  readonly critical: boolean;
  readonly timer: ReturnType<typeof setInterval>;
  health: ComponentHealth;
  run?: CheckRun;
  /** Settles once the current run's outcome is recorded (or dropped). */
  recorded?: Promise<void>;
  removed: boolean;
}

export function healthChecks(options: HealthChecksOptions = {}): HealthChecks {
  const clock = options.clock ?? Date.now;
  const components = new Map<string, Component>();
  const changes = new Listeners<HealthChangeEvent>();
  let stopped = false;

  const record = (component: Component, outcome: RunOutcome) => {
    const at = new Date(clock()).toISOString();
    const before = component.health;
    const changed = before.status !== outcome.status;
    component.health = {
      name: component.name,
      status: outcome.status,
      ...(outcome.message !== undefined && { message: outcome.message }),
      latencyMs: outcome.latencyMs,
      checkedAt: at,
      since: changed ? at : before.since,
      critical: component.critical,
    };
    if (changed) {
      changes.emit({
        name: component.name,
        from: before.status,
        to: outcome.status,
        ...(outcome.message !== undefined && { message: outcome.message }),
      });
    }
  };

  const runNow = (component: Component): Promise<void> => {
    if (component.run && !component.run.ended()) return component.recorded ?? Promise.resolve();
    const run = startCheckRun(component.check, component.timeoutMs, clock);
    component.run = run;
    component.recorded = run.outcome.then((outcome) => {
      // A run cut short by unregister or stop has nothing left to report to.
      if (outcome && !component.removed && !stopped) record(component, outcome);
    });
    return component.recorded;
  };

  const status = (): ComponentsReport => {
    const list = [...components.values()].map((component) => component.health);
    return { status: componentsStatus(list), components: list };
  };

  return {
    register(name, check, checkOptions = {}) {
      if (typeof name !== 'string' || name === '') {
        throw new TypeError('health check: a name is required');
      }
      if (typeof check !== 'function') {
        throw new TypeError(`health check ${name}: the check must be a function`);
      }
      if (stopped) throw new Error(`health check ${name}: the health checks were stopped`);
      if (components.has(name)) {
        throw new Error(`health check ${name}: a check of that name is already registered`);
      }
      const { intervalMs, timeoutMs, critical } = readOptions(name, checkOptions);
      const timer = setInterval(() => void runNow(component), intervalMs);
      timer.unref?.();
      const component: Component = {
        name,
        check,
        timeoutMs,
        critical,
        timer,
        health: unchecked(name, critical, clock()),
        removed: false,
      };
      components.set(name, component);
      void runNow(component);
      return () => {
        if (component.removed) return;
        component.removed = true;
        clearInterval(timer);
        component.run?.cancel(new Error(`health check ${name} was unregistered`));
        components.delete(name);
      };
    },
    status,
    async checkNow(name) {
      if (stopped) throw new Error('health checks: stopped, nothing runs any more');
      if (name === undefined) {
        await Promise.all([...components.values()].map(runNow));
      } else {
        const component = components.get(name);
        if (!component) throw new Error(`health checks: no check named ${name}`);
        await runNow(component);
      }
      return status();
    },
    onChange: (listener) => changes.add(listener),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const component of components.values()) {
        clearInterval(component.timer);
        component.run?.cancel(new Error('the health checks were stopped'));
      }
    },
  };
}

function readOptions(name: string, options: HealthCheckOptions) {
  const intervalMs = durationMs(
    options.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS,
    `health check ${name} interval`,
  );
  const timeoutMs = durationMs(
    options.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
    `health check ${name} timeout`,
  );
  if (intervalMs < 1 || timeoutMs < 1) {
    throw new RangeError(`health check ${name}: interval and timeout must be at least 1 ms`);
  }
  const critical = options.critical ?? true;
  if (typeof critical !== 'boolean') {
    throw new TypeError(`health check ${name}: critical must be true or false`);
  }
  return { intervalMs, timeoutMs, critical };
}

/** A component not checked yet: never reported healthy before its check said so. */
function unchecked(name: string, critical: boolean, now: number): ComponentHealth {
  return {
    name,
    status: 'unknown',
    latencyMs: null,
    checkedAt: null,
    since: new Date(now).toISOString(),
    critical,
  };
}
