import { describe, expect, it } from 'vitest';
import type { ProcessState } from '../../../src/core/process/state.js';
import {
  addChange,
  BURST_CAP_FACTOR,
  BURST_TRACKED_FILES,
  type Burst,
  burstDueAt,
  describeBurst,
  joinBursts,
  watchRequest,
} from '../../../src/core/triggers/watch.js';
import { eventsOf, input, makeSpec, recordIn, Scenario, STATES } from '../helpers.js';

/** Feeds changes at the given instants (ms) and returns the burst they make. */
function burstOf(changes: ReadonlyArray<readonly [file: string, at: number]>): Burst {
  let burst: Burst | undefined;
  for (const [file, at] of changes) burst = addChange(burst, file, at);
  return burst!;
}

/**
 * Plays changes on a fake clock the way the runtime does (re-arming one timer at each
 * change, acting when it fires) and returns the instants actions happened at.
 */
function actionsFor(changeTimes: readonly number[], debounceMs: number): number[] {
  const actions: number[] = [];
  let burst: Burst | undefined;
  for (const at of changeTimes) {
    if (burst && burstDueAt(burst, debounceMs) <= at) {
      actions.push(burstDueAt(burst, debounceMs));
      burst = undefined;
    }
    burst = addChange(burst, 'src/app.js', at);
  }
  if (burst) actions.push(burstDueAt(burst, debounceMs));
  return actions;
}

describe('the debounce of a burst of changes', () => {
  it('acts once, debounce after the last change of a burst (trailing)', () => {
    expect(actionsFor([0, 50, 120, 400], 500)).toEqual([900]);
  });

  it('acts once per burst when bursts are further apart than debounce', () => {
    expect(actionsFor([0, 100, 2_000, 2_050], 500)).toEqual([600, 2_550]);
  });

  it(`caps a burst that never pauses at ${BURST_CAP_FACTOR}× debounce after its first change`, () => {
    const everyTenth = Array.from({ length: 200 }, (_, index) => index * 10);
    const actions = actionsFor(everyTenth, 100);
    expect(actions[0]).toBe(BURST_CAP_FACTOR * 100);
    // The writes go on for 2 s: one action per cap, never one per change.
    expect(actions).toEqual([1_000, 2_000]);
  });

  it('a debounce of 0 acts on each change', () => {
    expect(actionsFor([0, 10, 20], 0)).toEqual([0, 10, 20]);
  });
});

describe('describeBurst', () => {
  it('names the file that changed first', () => {
    expect(describeBurst(burstOf([['src/app.js', 0]]))).toBe('watch: src/app.js changed');
  });

  it('counts the other distinct files, each once however often it changed', () => {
    const burst = burstOf([
      ['src/app.js', 0],
      ['src/app.js', 1],
      ['src/a.js', 2],
      ['src/b.js', 3],
      ['src/a.js', 4],
      ['src/c.js', 5],
    ]);
    expect(describeBurst(burst)).toBe('watch: src/app.js changed (and 3 more)');
  });

  it(`names at most ${BURST_TRACKED_FILES} files and counts the rest`, () => {
    let burst: Burst | undefined;
    for (let index = 0; index < BURST_TRACKED_FILES + 5; index++) {
      burst = addChange(burst, `f${index}`, index);
    }
    expect(burst!.files).toHaveLength(BURST_TRACKED_FILES);
    expect(describeBurst(burst!)).toBe(`watch: f0 changed (and ${BURST_TRACKED_FILES + 4} more)`);
  });
});

describe('watchRequest', () => {
  const cases: ReadonlyArray<readonly [keyof typeof STATES, string | null]> = [
    ['running', 'restart'],
    ['starting', 'restart'],
    ['starting (no pid)', 'restart'],
    ['pending', 'restart'],
    ['backoff', 'restart'],
    ['completed', 'start'],
    ['failed', 'start'],
    ['stopped', null],
    ['stopping', null],
  ];
  it.each(cases)('in %s: %s', (label, expected) => {
    expect(watchRequest(STATES[label])).toBe(expected);
  });

  it('leaves a scheduled process to its schedule', () => {
    const scheduled: ProcessState = {
      status: 'scheduled',
      since: 0,
      nextRunAt: 60_000,
      lastFailure: null,
      lastExit: null,
    };
    expect(watchRequest(scheduled)).toBeNull();
  });
});

describe('a request with a cause', () => {
  const cause = 'watch: src/app.js changed';

  it('a restart of a running service names the cause as the reason of the exit and of pending', () => {
    const spec = makeSpec();
    const scenario = new Scenario(spec, 0, recordIn(spec, STATES.running));
    scenario.send({ type: 'restart', cause });
    scenario.now = 100;
    const events = eventsOf(scenario.send(input.exited(null, 'SIGTERM')));
    expect(events).toContainEqual(expect.objectContaining({ type: 'process:exit', reason: cause }));
    expect(events).toContainEqual({ type: 'process:pending', name: 'api', at: 100, reason: cause });
    expect(scenario.state).toMatchObject({ status: 'pending', restarting: true, reason: cause });
  });

  it('a start of a completed job names the cause as its pending reason', () => {
    const spec = makeSpec({ kind: 'job' });
    const scenario = new Scenario(spec, 0, recordIn(spec, STATES.completed));
    const events = eventsOf(scenario.send({ type: 'start', cause }));
    expect(events).toEqual([{ type: 'process:pending', name: 'api', at: 0, reason: cause }]);
  });

  it('without a cause, a restart still says it was requested', () => {
    const spec = makeSpec();
    const scenario = new Scenario(spec, 0, recordIn(spec, STATES.running));
    scenario.send(input.restart);
    const events = eventsOf(scenario.send(input.exited(null, 'SIGTERM')));
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'process:exit', reason: 'restart requested' }),
    );
  });
});

describe('joinBursts', () => {
  it('makes a burst held during a reload and a later one into one, naming every file once', () => {
    const held = addChange(addChange(undefined, 'src/a.js', 1_000), 'src/b.js', 1_100);
    const later = addChange(addChange(undefined, 'src/b.js', 2_000), 'src/c.js', 2_050);
    expect(joinBursts(held, later)).toEqual({
      firstAt: 1_000,
      lastAt: 2_050,
      files: ['src/a.js', 'src/b.js', 'src/c.js'],
      untracked: 0,
    });
  });
});
