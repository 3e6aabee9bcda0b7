import { describe, expect, it } from 'vitest';
import { findAccountEntry, numericId } from '../../../src/core/sandbox/accounts.js';

const PASSWD = [
  '# a comment line',
  'root:x:0:0:root:/root:/bin/bash',
  '',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  '1000:x:1001:1001::/home/odd:/bin/sh',
].join('\n');

describe('findAccountEntry', () => {
  it('finds an account by name, with every field', () => {
    expect(findAccountEntry(PASSWD, 'www-data')).toEqual([
      'www-data',
      'x',
      '33',
      '33',
      'www-data',
      '/var/www',
      '/usr/sbin/nologin',
    ]);
  });

  it('finds an account by numeric id when no name matches', () => {
    expect(findAccountEntry(PASSWD, '33')?.[0]).toBe('www-data');
  });

  it('prefers a name to an id: an account named 1000 is that account', () => {
    expect(findAccountEntry(PASSWD, '1000')?.[2]).toBe('1001');
  });

  it('finds nothing for an unknown name, and skips comments and blank lines', () => {
    expect(findAccountEntry(PASSWD, 'backend')).toBeUndefined();
    expect(findAccountEntry(PASSWD, '# a comment line')).toBeUndefined();
    expect(findAccountEntry(PASSWD, '')).toBeUndefined();
  });
});

describe('numericId', () => {
  it.each([
    ['0', 0],
    ['33', 33],
    ['www-data', undefined],
    ['-1', undefined],
    ['1.5', undefined],
  ])('reads %j as %j', (text, id) => {
    expect(numericId(text)).toBe(id);
  });
});
