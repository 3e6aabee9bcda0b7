/**
 * Reading the account databases (`/etc/passwd`, `/etc/group`): the pure part, shared by the
 * config's load-time check and the runtime's check before each spawn, which read the files
 * themselves.
 */

/**
 * The fields of the line of an account database naming `nameOrId`: by name first, else by
 * numeric id (the third field). Comment and blank lines are skipped.
 */
export function findAccountEntry(database: string, nameOrId: string): string[] | undefined {
  const rows = database
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
  return (
    rows.find((fields) => fields[0] === nameOrId) ??
    (numericId(nameOrId) === undefined ? undefined : rows.find((fields) => fields[2] === nameOrId))
  );
}

/** The id a numeric `user` or `group` stands for; `undefined` for a name. */
export function numericId(nameOrId: string): number | undefined {
  return /^\d+$/.test(nameOrId) ? Number(nameOrId) : undefined;
}
