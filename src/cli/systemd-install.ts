/**
 * Putting the unit of `overseer startup` in place, and taking it away for `unstartup`: the
 * files first (whole, or not at all), then systemd told through `systemctl` when it can be
 * reached. Where systemd cannot be reached (a container, a machine booted without it), the
 * files are still right, and what to run later is said.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OverseerError } from '../core/errors.js';
import { UNIT_MARK, type UnitScope } from '../export/systemd-unit.js';

/** What `systemctl` answered: `ok` on exit 0, else the first line it wrote. */
export interface SystemctlAnswer {
  readonly ok: boolean;
  readonly message: string;
}

/** Runs `systemctl ARGS…` (`--user` already among them for a user unit). */
export type Systemctl = (args: readonly string[]) => Promise<SystemctlAnswer>;

/** Where a unit and its environment file go. */
export interface UnitPlace {
  readonly scope: UnitScope;
  readonly name: string;
  /** The folder of the unit: /etc/systemd/system, or the user's systemd/user. */
  readonly unitDir: string;
  readonly environmentFile: string;
}

export const unitPath = (place: UnitPlace) => join(place.unitDir, place.name);

/** `systemctl` itself, on PATH; an absent one or a bus that does not answer is not ok. */
export const realSystemctl: Systemctl = (args) =>
  new Promise((resolve) => {
    execFile('systemctl', [...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const text = `${stderr}${stdout}`.trim().split('\n')[0] ?? '';
      if (!error) return resolve({ ok: true, message: text });
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      resolve({ ok: false, message: missing ? 'systemctl is not on PATH' : text || error.message });
    });
  });

/** The `systemctl` command line a person types, for what is said. */
export function systemctlLine(scope: UnitScope, args: readonly string[], sudo = false): string {
  return [
    sudo ? 'sudo systemctl' : 'systemctl',
    ...(scope === 'user' ? ['--user'] : []),
    ...args,
  ].join(' ');
}

const scopeArgs = (scope: UnitScope, args: readonly string[]) =>
  scope === 'user' ? ['--user', ...args] : [...args];

/**
 * Writes the unit (and its environment file, mode 0600, when it has secrets), then reloads
 * systemd and enables and starts the unit. A different unit already there is refused
 * (nothing written) unless `force`. Resolves with the exit code: 0 written (and enabled
 * where systemd answers), 1 when systemd refused to enable or start it.
 */
export async function installUnit(
  place: UnitPlace,
  unitText: string,
  environmentText: string | undefined,
  { force, systemctl, say }: { force: boolean; systemctl: Systemctl; say: (line: string) => void },
): Promise<number> {
  const path = unitPath(place);
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (existing !== undefined && existing !== unitText && !force) {
    throw new OverseerError(
      'INVALID_STATE',
      `${path} already exists and differs from the unit this config makes${existing.startsWith(UNIT_MARK) ? '' : ' (it was not written by overseer startup)'}: nothing written; --force replaces it`,
    );
  }
  const environmentChanged =
    environmentText !==
    (existsSync(place.environmentFile) ? readFileSync(place.environmentFile, 'utf8') : undefined);
  // The unit first: a unit that cannot be written leaves the environment file as it was.
  if (existing === unitText) say(`${path} is already this unit`);
  else {
    writeWhole(path, unitText, 0o644);
    say(`${existing === undefined ? 'wrote' : 'replaced'} ${path}`);
  }
  // Never removed here: it may hold values written by hand (unstartup removes it).
  if (environmentText !== undefined) {
    writeWhole(place.environmentFile, environmentText, 0o600);
    say(`wrote ${place.environmentFile} (mode 0600)`);
  }

  const reload = await systemctl(scopeArgs(place.scope, ['daemon-reload']));
  if (!reload.ok) {
    say(`systemd did not answer (${reload.message}); once it runs, run:`);
    say(`  ${systemctlLine(place.scope, ['daemon-reload'])}`);
    say(`  ${systemctlLine(place.scope, ['enable', '--now', place.name])}`);
    return 0;
  }
  const enable = await systemctl(scopeArgs(place.scope, ['enable', '--now', place.name]));
  if (!enable.ok) {
    say(`${systemctlLine(place.scope, ['enable', '--now', place.name])} failed: ${enable.message}`);
    say(`see why: ${journalLine(place)}`);
    return 1;
  }
  say(`enabled and started ${place.name}`);
  if (existing !== undefined && (existing !== unitText || environmentChanged)) {
    // `enable --now` starts a stopped unit but leaves a running one as it is.
    say(
      `a stack it already ran goes on as before until ${systemctlLine(place.scope, ['restart', place.name])}`,
    );
  }
  say(`status: ${systemctlLine(place.scope, ['status', place.name])}; logs: ${journalLine(place)}`);
  return 0;
}

/**
 * Disables and stops the unit, then removes it and its environment file, and reloads
 * systemd. No unit: said, exit 0. A unit not written by `overseer startup` is refused. Where
 * systemd does not answer, the files are removed all the same (nothing runs it then).
 */
export async function uninstallUnit(
  place: UnitPlace,
  { systemctl, say }: { systemctl: Systemctl; say: (line: string) => void },
): Promise<number> {
  const path = unitPath(place);
  if (!existsSync(path)) {
    say(`no ${place.name} in ${place.unitDir}: nothing to remove`);
    return 0;
  }
  if (!readFileSync(path, 'utf8').startsWith(UNIT_MARK)) {
    throw new OverseerError(
      'INVALID_STATE',
      `${path} was not written by overseer startup: left as it is`,
    );
  }
  const reachable = (await systemctl(scopeArgs(place.scope, ['daemon-reload']))).ok;
  if (reachable) {
    const disable = await systemctl(scopeArgs(place.scope, ['disable', '--now', place.name]));
    if (!disable.ok) {
      throw new OverseerError(
        'INVALID_STATE',
        `${systemctlLine(place.scope, ['disable', '--now', place.name])} failed: ${disable.message}; nothing removed`,
      );
    }
    say(`stopped and disabled ${place.name}`);
  } else {
    say('systemd did not answer: nothing to stop');
  }
  // The links `enable` made, should systemd not have been there to remove them.
  for (const target of ['multi-user.target', 'default.target']) {
    rmSync(join(place.unitDir, `${target}.wants`, place.name), { force: true });
  }
  rmSync(path);
  say(`removed ${path}`);
  if (existsSync(place.environmentFile)) {
    rmSync(place.environmentFile);
    say(`removed ${place.environmentFile}`);
  }
  if (reachable) await systemctl(scopeArgs(place.scope, ['daemon-reload']));
  return 0;
}

/** `journalctl [--user] -u NAME -f`: the stack's output, as the journal keeps it. */
export function journalLine(place: Pick<UnitPlace, 'scope' | 'name'>): string {
  return `journalctl ${place.scope === 'user' ? '--user ' : ''}-u ${place.name} -f`;
}

/** Writes `text` to a sibling and renames it in place: the file is whole, or as it was. */
function writeWhole(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
