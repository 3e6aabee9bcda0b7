import { describe, expect, it } from 'vitest';
import {
  executableCandidates,
  findExecutable,
  resolvePath,
  trustedSearchPath,
} from '../../../src/core/sandbox/path-search.js';

describe('executableCandidates', () => {
  it('looks for a bare name in each PATH entry in turn', () => {
    expect(executableCandidates('node', '/usr/local/bin:/usr/bin', '/srv')).toEqual([
      '/usr/local/bin/node',
      '/usr/bin/node',
    ]);
  });

  it('reads an empty PATH entry as the working folder, as POSIX says', () => {
    expect(executableCandidates('tool', ':/usr/bin:', '/srv/app')).toEqual([
      '/srv/app/tool',
      '/usr/bin/tool',
      '/srv/app/tool',
    ]);
  });

  it('reads a relative PATH entry from the working folder', () => {
    expect(executableCandidates('tool', 'bin:../shared', '/srv/app')).toEqual([
      '/srv/app/bin/tool',
      '/srv/shared/tool',
    ]);
  });

  it('takes a name with a slash from the working folder, whatever PATH says', () => {
    expect(executableCandidates('./bin/server', '/usr/bin', '/srv/app')).toEqual([
      '/srv/app/bin/server',
    ]);
    expect(executableCandidates('/opt/x', '/usr/bin', '/srv/app')).toEqual(['/opt/x']);
  });
});

describe('findExecutable', () => {
  it('is the first candidate the file system accepts', () => {
    const present = new Set(['/usr/bin/node', '/bin/node']);
    expect(
      findExecutable('node', '/usr/local/bin:/usr/bin:/bin', '/', (file) => present.has(file)),
    ).toBe('/usr/bin/node');
    expect(findExecutable('nodee', '/usr/bin', '/', (file) => present.has(file))).toBeUndefined();
  });
});

describe('trustedSearchPath', () => {
  it('keeps only the absolute entries', () => {
    expect(trustedSearchPath('/usr/bin::bin:./x:/bin')).toBe('/usr/bin:/bin');
    expect(trustedSearchPath(undefined)).toBe('');
  });
});

describe('resolvePath', () => {
  it.each([
    [['/srv', 'app'], '/srv/app'],
    [['/srv', ''], '/srv'],
    [['/srv/app', '../x/./y/'], '/srv/x/y'],
    [['/srv', '/etc', 'passwd'], '/etc/passwd'],
    [['/', '..', 'etc'], '/etc'],
    [['//a//b'], '/a/b'],
  ])('resolves %j to %s', (segments, path) => {
    expect(resolvePath(...segments)).toBe(path);
  });
});
