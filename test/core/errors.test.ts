import { describe, expect, it } from 'vitest';
import { formatIssues, OverseerError } from '../../src/core/errors.js';

describe('OverseerError', () => {
  it('carries a stable code, the message and the issues', () => {
    const issues = [{ path: 'restart.delay', message: 'expected a duration' }];
    const error = new OverseerError('INVALID_SPEC', 'invalid process api', issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OverseerError');
    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toBe('invalid process api');
    expect(error.issues).toEqual(issues);
  });

  it('has no issues unless given some', () => {
    expect(new OverseerError('UNKNOWN_PROCESS', 'no process db').issues).toEqual([]);
  });
});

describe('formatIssues', () => {
  it('writes one `path: message` line per issue, and the bare message when there is no path', () => {
    const text = formatIssues([
      { path: 'processes.api.restart.max_restarts', message: 'expected a number ≥ 0' },
      { path: '', message: 'Unrecognized key: "bogus"' },
    ]);
    expect(text).toBe(
      'processes.api.restart.max_restarts: expected a number ≥ 0\nUnrecognized key: "bogus"',
    );
  });

  it('is empty for no issues', () => {
    expect(formatIssues([])).toBe('');
  });
});
