/**
 * An application's executors by name, made from a preset: `forApi`, `forDatabase` and
 * `forJob` give the preset's policies for that kind of call. Executors of one name share
 * one breaker, bulkhead and count, however many call sites ask for them, each with its own
 * fallback. The registry is a value the application makes and passes around; `configure`
 * changes its preset for every executor it made, which is how a test run turns the
 * toolkit off without touching a call site.
 */
import type { RandomSource } from '../core/backoff.js';
import { BreakerRegistry } from './breaker-registry.js';
import type { BreakerStats, Clock } from './circuit-breaker.js';
import {
  type ExecutorCore,
  executorCore,
  executorOver,
  type ResilientExecutor,
} from './executor.js';
import { ExecutorCounters, type ExecutorStats } from './executor-stats.js';
import type { FallbackValue } from './fallback.js';
import {
  type ExecutorKind,
  type ExecutorPolicies,
  type PresetOverrides,
  presetFor,
  type ResiliencePreset,
  withOverrides,
} from './presets.js';

export interface ExecutorsOptions {
  /** Default: the preset of `NODE_ENV` (`presetFor`), read once, here. */
  readonly preset?: ResiliencePreset;
  /** Laid over the preset, policy by policy. */
  readonly overrides?: PresetOverrides;
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

export interface Executors {
  /** The preset in force, overrides laid over it. */
  readonly preset: ResiliencePreset;
  readonly breakers: BreakerRegistry;
  forApi<F = never>(name: string, fallback?: FallbackValue<F>): ResilientExecutor<F>;
  forDatabase<F = never>(name: string, fallback?: FallbackValue<F>): ResilientExecutor<F>;
  forJob<F = never>(name: string, fallback?: FallbackValue<F>): ResilientExecutor<F>;
  /** An executor with policies of its own (the preset's `enabled` still applies). */
  custom<F = never>(
    name: string,
    policies: ExecutorPolicies,
    fallback?: FallbackValue<F>,
  ): ResilientExecutor<F>;
  /** Every executor's counts, in the order they were made. */
  stats(): ExecutorStats[];
  /** Every breaker's state and counts (`breakers.stats()`). */
  breakerStats(): BreakerStats[];
  /**
   * Takes up another preset (or the same with other overrides) for every executor made
   * and to be made; counts and breaker states carry over.
   */
  configure(options: Pick<ExecutorsOptions, 'preset' | 'overrides'>): void;
}

type Kind = ExecutorKind | 'custom';

const MADE_BY: Readonly<Record<Kind, string>> = {
  api: 'forApi',
  database: 'forDatabase',
  job: 'forJob',
  custom: 'custom',
};

interface Entry {
  readonly kind: Kind;
  /** A custom executor's own policies; the others read the preset's for their kind. */
  readonly own?: ExecutorPolicies;
  readonly counters: ExecutorCounters;
  core: ExecutorCore;
}

export function createExecutors(options: ExecutorsOptions = {}): Executors {
  const { clock, random } = options;
  const presetOf = (given: Pick<ExecutorsOptions, 'preset' | 'overrides'>) => {
    const base = given.preset ?? presetFor(process.env.NODE_ENV);
    return given.overrides ? withOverrides(base, given.overrides) : base;
  };
  let preset = presetOf(options);
  const breakers = new BreakerRegistry();
  const entries = new Map<string, Entry>();

  const coreOf = (name: string, kind: Kind, counters: ExecutorCounters, own?: ExecutorPolicies) => {
    const policies = own ?? preset[kind as ExecutorKind];
    const core = executorCore(
      {
        name,
        enabled: preset.enabled,
        ...policies,
        ...(clock && { clock }),
        ...(random && { random }),
      },
      counters,
    );
    const breaker = core.policies.breaker;
    if (breaker) {
      if (breakers.get(name)) breakers.replace(breaker);
      else breakers.add(breaker);
    }
    return core;
  };

  const executorFor = <F>(
    name: string,
    kind: Kind,
    fallback: FallbackValue<F> | undefined,
    own?: ExecutorPolicies,
  ): ResilientExecutor<F> => {
    let entry = entries.get(name);
    if (entry && entry.kind !== kind) {
      throw new TypeError(
        `executor name ${name} is taken by ${MADE_BY[entry.kind]}: ${MADE_BY[kind]} needs another`,
      );
    }
    // Call sites often pass their policies inline: the same settings again are welcome,
    // other ones would be silently lost and are refused.
    if (entry && own && entry.own !== own && JSON.stringify(entry.own) !== JSON.stringify(own)) {
      throw new TypeError(`executor ${name} already has other policies of its own`);
    }
    if (!entry) {
      const counters = new ExecutorCounters(name);
      entry = { kind, ...(own && { own }), counters, core: coreOf(name, kind, counters, own) };
      entries.set(name, entry);
    }
    const made = entry;
    return executorOver(() => made.core, fallback);
  };

  return {
    get preset() {
      return preset;
    },
    breakers,
    forApi: (name, fallback) => executorFor(name, 'api', fallback),
    forDatabase: (name, fallback) => executorFor(name, 'database', fallback),
    forJob: (name, fallback) => executorFor(name, 'job', fallback),
    custom: (name, policies, fallback) => executorFor(name, 'custom', fallback, policies),
    stats: () => [...entries.values()].map((entry) => entry.counters.snapshot()),
    breakerStats: () => breakers.stats(),
    configure(given) {
      preset = presetOf(given);
      for (const [name, entry] of entries) {
        entry.core = coreOf(name, entry.kind, entry.counters, entry.own);
      }
    },
  };
}
