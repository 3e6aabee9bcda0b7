import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from '../../src/core/units.js';

describe('parseDuration', () => {
  it.each([
    [250, 250],
    [0, 0],
    ['1500', 1_500],
    ['250ms', 250],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    [' 10 s ', 10_000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('rounds fractions of a millisecond to the nearest one', () => {
    expect(parseDuration('0.0004s')).toBe(0);
    expect(parseDuration('1.0006s')).toBe(1_001);
  });

  it.each([
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'abc',
    '-5s',
    '1d',
    '5 minutes',
    's',
    '10 ms extra',
    // Too large to count exactly: a 400-digit number is Infinity to JavaScript.
    '9'.repeat(400),
    `${'9'.repeat(400)}s`,
    Number.MAX_SAFE_INTEGER + 2,
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    [4096, 4_096],
    ['4096', 4_096],
    ['100b', 100],
    ['512KB', 512 * 1024],
    ['256MB', 256 * 1024 ** 2],
    ['1GB', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1.5KB', 1_536],
    [' 2 mb ', 2 * 1024 ** 2],
  ])('reads %j as %i bytes (powers of 1024)', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([-1, 0.5, Number.NaN, '', 'KB', '1TB', '-1KB', '10 k', 'lots', `${'9'.repeat(400)}GB`])(
    'refuses %j',
    (text) => {
      expect(parseSize(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.4, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [12_000, '12s'],
    [60_000, '1m'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
  ])('renders %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  // Regression: a 90 s restart window was reported as `within 1m`.
  it('keeps the seconds of a duration between one minute and one hour', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(61_500)).toBe('1m1s');
  });
});

describe('formatDuration, elapsed', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [1_500, '1s'],
    [12_000, '12s'],
    [60_000, '1m0s'],
    [312_000, '5m12s'],
    [3_600_000, '1h0m'],
    [11_040_000, '3h4m'],
    [183_600_000, '2d3h'],
  ])('renders %i ms as %s', (ms, text) => {
    expect(formatDuration(ms, 'elapsed')).toBe(text);
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0B'],
    [900, '900B'],
    [1024, '1KB'],
    [512 * 1024, '512KB'],
    [300 * 1024 ** 2, '300MB'],
    [1.5 * 1024 ** 3, '1.5GB'],
    [1234.5 * 1024 ** 2, '1.2GB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
