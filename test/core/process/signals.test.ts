import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../src/core/process/refusal.js';
import { describeUnknownSignal, signalNamed } from '../../../src/core/process/signals.js';
import { transition } from '../../../src/core/process/transition.js';
import { eventsOf, labelsExcept, makeSpec, recordIn, STATES, type StateLabel } from '../helpers.js';

const KNOWN = ['SIGHUP', 'SIGTERM', 'SIGUSR1', 'SIGUSR2'];
const spec = makeSpec();
const USR1 = { type: 'signal', signal: 'SIGUSR1' } as const;

describe('signalNamed', () => {
  it.each([
    ['SIGHUP', 'SIGHUP'],
    ['HUP', 'SIGHUP'],
    ['sigusr1', 'SIGUSR1'],
    ['usr2', 'SIGUSR2'],
  ])('reads %s as %s, as the config reads stop.signal', (text, name) => {
    expect(signalNamed(text, KNOWN)).toBe(name);
  });

  it.each(['9', 'SIGNOPE', '', 'SIG'])(
    'knows no signal %j: numbers differ between machines',
    (text) => {
      expect(signalNamed(text, KNOWN)).toBeUndefined();
    },
  );

  it('says what it expected and what it got', () => {
    expect(describeUnknownSignal('9')).toBe(
      'expected a signal name such as SIGHUP, SIGUSR1 or TERM, got "9"',
    );
  });
});

describe('the signal request', () => {
  it.each(['running', 'starting', 'stopping'] as const)(
    'is relayed to the child of a %s process, announced, and changes no state',
    (label) => {
      const record = recordIn(spec, STATES[label]);
      const step = transition(spec, record, USR1, 1_000);
      expect(step.rejection).toBeUndefined();
      expect(step.record).toEqual(record);
      expect(step.effects[0]).toEqual({ type: 'relay', signal: 'SIGUSR1' });
      expect(eventsOf(step.effects)).toEqual([
        { type: 'process:signalled', name: 'api', at: 1_000, signal: 'SIGUSR1' },
      ]);
    },
  );

  it.each(['pending', 'stopped', 'backoff', 'completed', 'failed'] as const)(
    'is refused in %s, where no child can receive it',
    (label) => {
      const step = transition(spec, recordIn(spec, STATES[label]), USR1, 1_000);
      expect(step.rejection).toEqual({
        code: 'INVALID_STATE',
        message: `api is not running (${STATES[label].status})`,
      });
      expect(step.effects).toEqual([]);
    },
  );

  // Regression: it was relayed and announced as `process:signalled`, though no child got it.
  it('is refused by an instance starting with no pid yet, and not announced', () => {
    const step = transition(spec, recordIn(spec, STATES['starting (no pid)']), USR1, 1_000);
    expect(step.rejection).toEqual({
      code: 'INVALID_STATE',
      message: 'api is starting and has no pid yet: nothing received it',
    });
    expect(step.effects).toEqual([]);
  });

  // A row alone cannot tell a start with no pid yet (it lasts one pass of the loop): the
  // engine refuses that one when the signal reaches it.
  it.each(labelsExcept('starting (no pid)'))(
    'refusalOf agrees with transition in %s, so the CLI can check every name first',
    (label) => {
      const step = transition(spec, recordIn(spec, STATES[label]), USR1, 1_000);
      expect(refusalOf('signal', 'api', STATES[label].status)).toEqual(step.rejection);
    },
  );
});

describe('refusalOf reload', () => {
  it.each(Object.keys(STATES) as StateLabel[])('in %s, refuses as stop does', (label) => {
    const { status } = STATES[label];
    expect(refusalOf('reload', 'api', status)).toEqual(refusalOf('stop', 'api', status));
  });

  // A reload replaces what runs: a job waiting for its fire has nothing to replace, and a
  // reload of `all` must not run it outside its schedule.
  it('reload all runs no cron job outside its schedule: scheduled is refused', () => {
    expect(refusalOf('reload', 'billing', 'scheduled')).toEqual({
      code: 'INVALID_STATE',
      message: 'billing is not running (scheduled)',
    });
  });
});
