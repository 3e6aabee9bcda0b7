import { describe, expect, it } from 'vitest';
import { readInterpolatedScalars } from '../../src/config/coerce.js';
import { projectSchema } from '../../src/config/project-schema.js';

const config = (entry: Record<string, unknown>) => ({
  version: 1,
  processes: { api: { command: 'x', ...entry } },
});

describe('readInterpolatedScalars', () => {
  it('reads an interpolated string as the number or boolean its key expects, before validation', () => {
    const value = config({
      instances: '2',
      restart: { factor: ' 1.5 ' },
      sandbox: { isolate: 'TRUE' },
    });
    const read = readInterpolatedScalars(
      value,
      new Set([
        'processes.api.instances',
        'processes.api.restart.factor',
        'processes.api.sandbox.isolate',
      ]),
      projectSchema,
    );
    expect(read).toEqual(
      config({ instances: 2, restart: { factor: 1.5 }, sandbox: { isolate: true } }),
    );
    // The value it was given is left as it was.
    expect(value).toEqual(
      config({ instances: '2', restart: { factor: ' 1.5 ' }, sandbox: { isolate: 'TRUE' } }),
    );
  });

  it('leaves strings alone where a string is taken, in a union or where the schema has no key', () => {
    const value = config({
      env: { PORT: '3000' },
      user: '1000',
      restart: { delay: '10' },
      bogus: '1',
    });
    const interpolated = new Set([
      'processes.api.env.PORT',
      'processes.api.user',
      'processes.api.restart.delay',
      'processes.api.bogus',
    ]);
    expect(readInterpolatedScalars(value, interpolated, projectSchema)).toBe(value);
  });

  it('reads only interpolated strings, and only those that read as their type', () => {
    const value = config({ instances: '2', restart: { max_restarts: 'three' } });
    const read = readInterpolatedScalars(
      value,
      new Set(['processes.api.restart.max_restarts']),
      projectSchema,
    );
    expect(read).toBe(value);
  });

  it('never walks into an object’s machinery', () => {
    const value = config({});
    expect(
      readInterpolatedScalars(value, new Set(['processes.__proto__.instances']), projectSchema),
    ).toBe(value);
  });
});
