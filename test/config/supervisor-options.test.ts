/**
 * The options of `new Supervisor()` are user input: checked before anything runs, every
 * issue named by its path, all of them in one `INVALID_SPEC`.
 */
import { describe, expect, it } from 'vitest';
import { checkSupervisorOptions } from '../../src/config/supervisor-options.js';
import { OverseerError } from '../../src/core/errors.js';

function issuesOf(options: object): OverseerError['issues'] {
  try {
    checkSupervisorOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    expect((error as OverseerError).code).toBe('INVALID_SPEC');
    return (error as OverseerError).issues;
  }
  throw new Error('expected INVALID_SPEC');
}

describe('checkSupervisorOptions', () => {
  it('passes sound options through as given, other keys included', () => {
    const options = {
      maxProcesses: Number.POSITIVE_INFINITY,
      logRotation: { maxSize: 1024, maxFiles: 1 },
      sampleInterval: 0,
      sandbox: { allowedCommands: ['node'] },
      logLines: 10,
    };
    expect(checkSupervisorOptions(options)).toBe(options);
    expect(checkSupervisorOptions({})).toEqual({});
  });

  it('lists every issue at once, each with its path', () => {
    expect(
      issuesOf({
        maxProcesses: 0,
        logRotation: { maxSize: 100, maxFiles: 1.5 },
        sampleInterval: Number.NaN,
      }),
    ).toEqual([
      { path: 'maxProcesses', message: 'expected a number ≥ 1' },
      { path: 'logRotation.maxSize', message: 'expected bytes ≥ 1024' },
      { path: 'logRotation.maxFiles', message: 'expected a whole number ≥ 1' },
      { path: 'sampleInterval', message: 'expected milliseconds ≥ 0' },
    ]);
  });

  it('names the same message for a value of the wrong type', () => {
    expect(issuesOf({ sampleInterval: '10s' })).toEqual([
      { path: 'sampleInterval', message: 'expected milliseconds ≥ 0' },
    ]);
  });

  it('regression: refuses a misspelt sandbox rule rather than leaving the sandbox open', () => {
    expect(issuesOf({ sandbox: { allowed_commands: ['node'] } })).toEqual([
      {
        path: 'sandbox.allowed_commands',
        message:
          'unknown sandbox rule: expected one of allowedCommands, restrictedPaths, env, isolate, network',
      },
    ]);
  });

  it('judges the sandbox as settings.sandbox is judged, under sandbox.', () => {
    const issues = issuesOf({ sandbox: { allowedCommands: [''] } });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.path.startsWith('sandbox.'))).toBe(true);
  });
});
