/**
 * Alerts as pure decisions on a hand-moved clock: which events make one and in what words,
 * the JSON and environment they are delivered with, the cooldown per process and kind (what
 * it holds back counted and said, the last one sent when it ends), and the retry schedule.
 */
import { describe, expect, it } from 'vitest';
import {
  type Alert,
  alertEnv,
  alertOfBreaker,
  alertOfEvent,
  alertOfWorkflowEvent,
  alertPayload,
} from '../../../src/core/alerts/alert.js';
import {
  admitAlert,
  type CooldownMark,
  cooldownKey,
  flushAlert,
  isSpent,
} from '../../../src/core/alerts/cooldown.js';
import { isRetryableStatus, retryDelayMs } from '../../../src/core/alerts/delivery.js';
import type { SupervisorEvent } from '../../../src/core/events.js';

const AT = Date.UTC(2026, 0, 1, 10, 0, 0);
const context = { project: 'shop', namespaceOf: (name: string) => (name === 'api' ? 'web' : null) };

const failed = (name: string, at: number): SupervisorEvent => ({
  type: 'process:failed',
  name,
  at,
  reason: 'exited with code 1',
});

describe('alertOfEvent', () => {
  it('makes a critical `failed` alert of process:failed, with its reason and retry time', () => {
    const event: SupervisorEvent = {
      ...failed('api', AT),
      retryAt: AT + 60_000,
    } as SupervisorEvent;
    expect(alertOfEvent(event, context)).toEqual({
      kind: 'failed',
      process: 'api',
      namespace: 'web',
      project: 'shop',
      severity: 'critical',
      message: 'api failed: exited with code 1 (retry at 2026-01-01T10:01:00.000Z)',
      event,
      at: AT,
      heldBack: 0,
      notSent: 0,
    });
  });

  it('makes a `limit` alert of process:limit with the severity of the breach, warn included', () => {
    const event: SupervisorEvent = {
      type: 'process:limit',
      name: 'worker',
      at: AT,
      resource: 'memory',
      value: 210,
      limit: 200,
      action: 'warn',
      severity: 'warning',
      suppressed: 2,
      reason: 'memory 210B over warning 200B',
    };
    expect(alertOfEvent(event, context)).toMatchObject({
      kind: 'limit',
      process: 'worker',
      namespace: null,
      severity: 'warning',
      message: 'worker warn: memory 210B over warning 200B (2 more held back)',
    });
  });

  it('makes none of other events', () => {
    expect(alertOfEvent({ type: 'process:ready', name: 'api', at: AT }, context)).toBeNull();
    expect(
      alertOfEvent(
        { type: 'process:backoff', name: 'api', at: AT, attempt: 1, delayMs: 1, reason: 'x' },
        context,
      ),
    ).toBeNull();
  });
});

describe('workflow and breaker alerts', () => {
  it('makes a `dead_letter` alert of a dead-lettered run, and none of other workflow events', () => {
    const alert = alertOfWorkflowEvent(
      {
        type: 'workflow:dead-lettered',
        runId: 'r1',
        workflow: 'billing',
        letter: {
          step: 'charge',
          stepIndex: 1,
          attempts: 3,
          error: { name: 'Error', message: 'card declined' },
        },
      },
      AT,
      context,
    );
    expect(alert).toMatchObject({
      kind: 'dead_letter',
      process: 'billing',
      severity: 'critical',
      message:
        'workflow billing run r1 dead-lettered at step charge after 3 attempt(s): card declined',
      at: AT,
    });
    expect(
      alertOfWorkflowEvent(
        { type: 'workflow:completed', runId: 'r1', workflow: 'billing' },
        AT,
        context,
      ),
    ).toBeNull();
  });

  it('makes a `breaker` alert of a breaker that opened, with what opened it', () => {
    const alert = alertOfBreaker(
      { name: 'payments', until: AT + 30_000, error: new Error('ECONNRESET') },
      AT,
      context,
    );
    expect(alert).toMatchObject({
      kind: 'breaker',
      process: 'payments',
      message: 'circuit breaker payments opened until 2026-01-01T10:00:30.000Z: ECONNRESET',
      event: {
        type: 'breaker:open',
        name: 'payments',
        until: AT + 30_000,
        error: 'ECONNRESET',
        at: AT,
      },
    });
  });
});

describe('payload and environment', () => {
  const alert = alertOfEvent(failed('api', AT), context)!;

  it('is the alert in JSON, `at` in ISO 8601, the event as it was', () => {
    expect(JSON.parse(JSON.stringify(alertPayload({ ...alert, heldBack: 2, notSent: 1 })))).toEqual(
      {
        kind: 'failed',
        process: 'api',
        namespace: 'web',
        project: 'shop',
        severity: 'critical',
        message: 'api failed: exited with code 1',
        at: '2026-01-01T10:00:00.000Z',
        heldBack: 2,
        notSent: 1,
        event: { type: 'process:failed', name: 'api', at: AT, reason: 'exited with code 1' },
      },
    );
  });

  it('gives a command OVERSEER_ALERT_* variables', () => {
    expect(alertEnv(alert)).toEqual({
      OVERSEER_ALERT_KIND: 'failed',
      OVERSEER_ALERT_PROCESS: 'api',
      OVERSEER_ALERT_NAMESPACE: 'web',
      OVERSEER_ALERT_PROJECT: 'shop',
      OVERSEER_ALERT_SEVERITY: 'critical',
      OVERSEER_ALERT_MESSAGE: 'api failed: exited with code 1',
      OVERSEER_ALERT_AT: '2026-01-01T10:00:00.000Z',
      OVERSEER_ALERT_HELD_BACK: '0',
      OVERSEER_ALERT_NOT_SENT: '0',
    });
  });
});

describe('the cooldown', () => {
  const COOLDOWN = 60_000;
  const alertAt = (name: string, at: number): Alert => alertOfEvent(failed(name, at), context)!;

  /** Feeds alerts through the cooldown, keeping each process and kind's mark. */
  class Gate {
    readonly marks = new Map<string, CooldownMark>();
    admit(alert: Alert) {
      const key = cooldownKey(alert);
      const admission = admitAlert(this.marks.get(key), alert, COOLDOWN);
      this.marks.set(key, admission.mark);
      return admission;
    }
    flush(alert: Alert, now: number) {
      const key = cooldownKey(alert);
      const flushed = flushAlert(this.marks.get(key)!, now, COOLDOWN);
      this.marks.set(key, flushed.mark);
      return flushed.send;
    }
  }

  it('sends the first, holds back the next ones of the same process and kind, says how many later', () => {
    const gate = new Gate();
    expect(gate.admit(alertAt('api', AT)).send).toMatchObject({ heldBack: 0 });
    const held = gate.admit(alertAt('api', AT + 1_000));
    expect(held).toMatchObject({ send: null, flushAt: AT + COOLDOWN });
    expect(gate.admit(alertAt('api', AT + 2_000)).send).toBeNull();
    // Another process is not under api's cooldown.
    expect(gate.admit(alertAt('db', AT + 2_000)).send).toMatchObject({ process: 'db' });
    // Past the cooldown: sent, saying two were held back.
    expect(gate.admit(alertAt('api', AT + COOLDOWN + 1)).send).toMatchObject({
      at: AT + COOLDOWN + 1,
      heldBack: 2,
    });
  });

  it('sends the last one held back when the cooldown ends, saying how many others were', () => {
    const gate = new Gate();
    gate.admit(alertAt('api', AT));
    gate.admit(alertAt('api', AT + 1_000));
    gate.admit(alertAt('api', AT + 2_000));
    expect(gate.flush(alertAt('api', 0), AT + COOLDOWN - 1)).toBeNull();
    expect(gate.flush(alertAt('api', 0), AT + COOLDOWN)).toMatchObject({
      at: AT + 2_000,
      heldBack: 1,
    });
    // Flushed: nothing waits any more, and the cooldown runs again from the flush.
    expect(gate.flush(alertAt('api', 0), AT + 2 * COOLDOWN)).toBeNull();
    expect(gate.admit(alertAt('api', AT + COOLDOWN + 1)).send).toBeNull();
  });

  it('keeps a kind apart from another of the same process', () => {
    const gate = new Gate();
    gate.admit(alertAt('api', AT));
    const limit = { ...alertAt('api', AT + 1), kind: 'limit' as const };
    expect(gate.admit(limit).send).not.toBeNull();
  });

  it('regression: a memory warning held back the critical alert of the restart right after it', () => {
    const gate = new Gate();
    const limit = (severity: 'warning' | 'critical', at: number) => ({
      ...alertAt('api', at),
      kind: 'limit' as const,
      severity,
    });
    expect(gate.admit(limit('warning', AT)).send).not.toBeNull();
    expect(gate.admit(limit('critical', AT + 30_000)).send).not.toBeNull();
    // Each under its own cooldown still: a second warning is held.
    expect(gate.admit(limit('warning', AT + 31_000)).send).toBeNull();
  });

  it('lets a mark be forgotten once its cooldown is over with nothing held', () => {
    const gate = new Gate();
    gate.admit(alertAt('api', AT));
    const key = cooldownKey(alertAt('api', AT));
    expect(isSpent(gate.marks.get(key)!, AT + COOLDOWN - 1, COOLDOWN)).toBe(false);
    expect(isSpent(gate.marks.get(key)!, AT + COOLDOWN, COOLDOWN)).toBe(true);
    gate.admit(alertAt('api', AT + 1));
    // One held back waits to be sent: never forgotten.
    expect(isSpent(gate.marks.get(key)!, AT + 10 * COOLDOWN, COOLDOWN)).toBe(false);
  });
});

describe('retries', () => {
  it('wait 500 ms, then twice as long each time, at most 30 s', () => {
    expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([500, 1_000, 2_000, 4_000, 30_000]);
  });

  it('are for server errors and 429, not for other answers of 4xx', () => {
    expect([500, 502, 503, 429].map(isRetryableStatus)).toEqual([true, true, true, true]);
    expect([400, 401, 404, 410].map(isRetryableStatus)).toEqual([false, false, false, false]);
  });
});
