import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../src/core/address.js';

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9615', { host: '127.0.0.1', port: 9615 }],
    ['localhost:3000', { host: 'localhost', port: 3000 }],
    ['[::1]:5432', { host: '::1', port: 5432 }],
    ['db:0', { host: 'db', port: 0 }],
    // Read, not bounded: each use says which ports it takes.
    ['db:99999', { host: 'db', port: 99999 }],
  ])('reads %s', (address, expected) => {
    expect(parseHostPort(address)).toEqual(expected);
  });

  it.each(['localhost', ':3000', 'db:', 'db:123456', '::1:5432', 'a b:80', '[::1]'])(
    'refuses %s',
    (address) => {
      expect(parseHostPort(address)).toBeUndefined();
    },
  );
});
