/**
 * Presets: which policies an executor of each kind (an API, a database, a job) runs its
 * work under, for production, development and tests, as plain values a caller can read,
 * copy and override, never as settings changed behind a call site's back.
 */
import { type Backoff, DECORRELATED_JITTER, exponentialBackoff } from '../core/backoff.js';
import type { UnitInput } from '../core/units.js';
import type { BulkheadOptions } from './bulkhead.js';
import type { OpensAfter } from './failure-count.js';
import type { RetryOptions } from './retry.js';
import type { TimeoutMode } from './timeout.js';

/** A circuit breaker's settings; its name is the executor's. */
export interface BreakerSettings {
  readonly opensAfter: OpensAfter;
  readonly halfOpenAfter: UnitInput | Backoff;
}

/** A deadline for each attempt: a duration (cooperative), or one with its mode. */
export type TimeoutSettings =
  | UnitInput
  | { readonly duration: UnitInput; readonly mode: TimeoutMode };

/** The policies of one executor; `false` or absent leaves a policy out. */
export interface ExecutorPolicies {
  readonly retry?: Omit<RetryOptions, 'random'> | false;
  readonly breaker?: BreakerSettings | false;
  readonly timeout?: TimeoutSettings | false;
  readonly bulkhead?: BulkheadOptions | false;
}

export type ExecutorKind = 'api' | 'database' | 'job';

export interface ResiliencePreset {
  readonly name: string;
  /** `false`: executors run the work once, bare, and report its outcome (no fallback). */
  readonly enabled: boolean;
  readonly api: ExecutorPolicies;
  readonly database: ExecutorPolicies;
  readonly job: ExecutorPolicies;
}

const backoff = (initialMs: number, maxMs: number): Backoff =>
  exponentialBackoff({ initialMs, factor: 2, maxMs, jitter: DECORRELATED_JITTER });

const production: ResiliencePreset = {
  name: 'production',
  enabled: true,
  api: {
    timeout: '10s',
    retry: { attempts: 3, backoff: backoff(200, 5_000) },
    breaker: {
      opensAfter: { rate: 0.5, window: '30s', minimumCalls: 10 },
      halfOpenAfter: exponentialBackoff({ initialMs: 5_000, factor: 2, maxMs: 60_000 }),
    },
  },
  database: {
    timeout: '5s',
    retry: { attempts: 2, backoff: backoff(50, 1_000) },
    breaker: { opensAfter: { consecutive: 5 }, halfOpenAfter: '10s' },
    bulkhead: { limit: 10, queue: 100 },
  },
  job: {
    timeout: '5m',
    retry: { attempts: 5, backoff: backoff(1_000, 60_000) },
  },
};

const development: ResiliencePreset = {
  name: 'development',
  enabled: true,
  api: {
    timeout: '10s',
    retry: { attempts: 2, backoff: backoff(100, 1_000) },
    breaker: { opensAfter: { consecutive: 5 }, halfOpenAfter: '5s' },
  },
  database: {
    timeout: '5s',
    retry: { attempts: 2, backoff: backoff(50, 500) },
    breaker: { opensAfter: { consecutive: 5 }, halfOpenAfter: '5s' },
    bulkhead: { limit: 10, queue: 100 },
  },
  job: {
    timeout: '5m',
    retry: { attempts: 3, backoff: backoff(500, 5_000) },
  },
};

// Tests want an outcome at once and the same one every run: one attempt, no breaker to
// carry a failure from one test into the next, no randomness; a deadline still, so that
// a hang fails the test that caused it.
const testing: ResiliencePreset = {
  name: 'testing',
  enabled: true,
  api: { timeout: '5s' },
  database: { timeout: '5s' },
  job: { timeout: '60s' },
};

const disabled: ResiliencePreset = {
  name: 'disabled',
  enabled: false,
  api: {},
  database: {},
  job: {},
};

export const presets = { production, development, testing, disabled } as const;

/**
 * The preset for an environment name as `NODE_ENV` gives it: `production`, `test` (or
 * `testing`), anything else `development`.
 */
export function presetFor(environment: string | undefined): ResiliencePreset {
  switch (environment) {
    case 'production':
      return production;
    case 'test':
    case 'testing':
      return testing;
    default:
      return development;
  }
}

/** Changes to a preset: per kind, the policies given replace the preset's. */
export type PresetOverrides = {
  readonly [K in ExecutorKind]?: ExecutorPolicies;
} & { readonly enabled?: boolean };

/** `preset` with `overrides` laid over it, policy by policy. */
export function withOverrides(
  preset: ResiliencePreset,
  overrides: PresetOverrides,
): ResiliencePreset {
  return {
    ...preset,
    enabled: overrides.enabled ?? preset.enabled,
    api: { ...preset.api, ...overrides.api },
    database: { ...preset.database, ...overrides.database },
    job: { ...preset.job, ...overrides.job },
  };
}
