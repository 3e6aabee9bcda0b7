/**
 * Where a program name leads, as `execvp` looks for it: the order of the places, without
 * touching the file system. The config's load-time check and the runtime's check before
 * each spawn both search this way, each with its own look at the files.
 */

/** The separator of PATH entries. */
const DELIMITER = ':';

/**
 * The files `execvp` would try for `name`, in order: a name with a slash is taken from
 * `cwd`; a bare name is looked for in each entry of `path` in turn, an empty entry meaning
 * `cwd` (as POSIX says) and a relative one being relative to it. `cwd` is absolute.
 */
export function executableCandidates(name: string, path: string, cwd: string): string[] {
  if (name.includes('/')) return [resolvePath(cwd, name)];
  return path.split(DELIMITER).map((dir) => resolvePath(cwd, dir, name));
}

/**
 * The first of `executableCandidates` that `isExecutable` accepts (on a real system: a
 * regular file this user may execute), or `undefined`.
 */
export function findExecutable(
  name: string,
  path: string,
  cwd: string,
  isExecutable: (file: string) => boolean,
): string | undefined {
  return executableCandidates(name, path, cwd).find(isExecutable);
}

/**
 * The absolute entries of the supervisor's own PATH, the only ones trusted to say what a
 * name in `allowed_commands` stands for: an empty or relative entry would depend on a cwd.
 */
export function trustedSearchPath(path: string | undefined): string {
  return (path ?? '')
    .split(DELIMITER)
    .filter((dir) => dir.startsWith('/'))
    .join(DELIMITER);
}

/**
 * `segments` joined from the last absolute one (the first is), with `.`, `..` and repeated
 * slashes resolved, as `path.resolve` does on POSIX.
 */
export function resolvePath(...segments: readonly string[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith('/')) parts.length = 0;
    for (const part of segment.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
  }
  return `/${parts.join('/')}`;
}
