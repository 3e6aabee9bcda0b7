/**
 * `overseer startup`: a systemd unit that runs the stack at boot (or at login, `--user`),
 * written and enabled, or printed (`--print`); `overseer unstartup`: that unit stopped,
 * disabled and removed. Exit codes: 0 done (or nothing to undo), 1 not done (a system unit
 * without root, a different unit in the way, systemd refusing the unit), 2 a bad config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfigFile } from '../../config/files.js';
import {
  mergedEnvironmentFileText,
  referencedVariables,
  type StartupUnit,
  systemdUnit,
  type UnitScope,
  unitName,
} from '../../export/systemd-unit.js';
import type { ConfigOption } from '../context.js';
import {
  installUnit,
  journalLine,
  realSystemctl,
  systemctlLine,
  type UnitPlace,
  uninstallUnit,
  unitPath,
} from '../systemd-install.js';

export interface StartupOptions extends ConfigOption {
  readonly user?: boolean;
  readonly print?: boolean;
  readonly force?: boolean;
}

/** The folder system units are written to. */
const SYSTEM_UNIT_DIR = '/etc/systemd/system';
/** Where a system unit's secrets are kept, readable by root alone. */
const SYSTEM_SECRETS_DIR = '/etc/overseer';

const say = (line: string) => process.stderr.write(`${line}\n`);
const isRoot = () => process.getuid?.() === 0;

export async function startup(options: StartupOptions): Promise<number> {
  const scope: UnitScope = options.user ? 'user' : 'system';
  const configPath = findConfigFile(process.cwd(), options.file);
  const { loadProject } = await import('../../config/load.js');
  const project = await loadProject(configPath);
  const place = placeOf(scope, unitName(project.name));
  const unit = systemdUnit(project, {
    scope,
    nodePath: process.execPath,
    // This file is dist/cli/commands/startup.js; the executable is dist/cli/main.js.
    mainPath: fileURLToPath(new URL('../main.js', import.meta.url)),
    env: process.env,
    referenced: isYaml(configPath) ? referencedVariables(readFileSync(configPath, 'utf8')) : [],
    environmentFile: place.environmentFile,
    user: scope === 'system' && !isRoot() ? userInfo().username : undefined,
  });
  if (options.print) {
    process.stdout.write(unit.text);
    describe(unit, place, project.name, false);
    return 0;
  }
  if (scope === 'system' && !isRoot()) return explainSudo(unit, place, configPath);
  const existing = existsSync(place.environmentFile)
    ? readFileSync(place.environmentFile, 'utf8')
    : undefined;
  const merged = mergedEnvironmentFileText(existing, unit.secrets);
  const environmentText = merged === '' ? undefined : merged;
  describe(unit, place, project.name, true);
  return installUnit(place, unit.text, environmentText, {
    force: options.force === true,
    systemctl: realSystemctl,
    say,
  });
}

export async function unstartup(options: StartupOptions): Promise<number> {
  const scope: UnitScope = options.user ? 'user' : 'system';
  const configPath = findConfigFile(process.cwd(), options.file);
  const { locateProjectName } = await import('../../config/project-name.js');
  const place = placeOf(scope, unitName(await locateProjectName(configPath)));
  // Anyone may see that there is nothing to remove; only root may remove a system unit.
  if (scope === 'system' && !isRoot() && existsSync(unitPath(place))) {
    say(`${unitPath(place)} is root's to remove: nothing done. Run:`);
    say(`  ${systemctlLine(scope, ['disable', '--now', place.name], true)}`);
    say(`  sudo rm -f ${unitPath(place)} ${place.environmentFile}`);
    say(`  ${systemctlLine(scope, ['daemon-reload'], true)}`);
    return 1;
  }
  return uninstallUnit(place, { systemctl: realSystemctl, say });
}

/** Where the unit named `name` goes in `scope`: the user's from XDG_CONFIG_HOME (or ~/.config). */
function placeOf(scope: UnitScope, name: string): UnitPlace {
  const base = name.replace(/\.service$/, '');
  if (scope === 'system') {
    return {
      scope,
      name,
      unitDir: SYSTEM_UNIT_DIR,
      environmentFile: join(SYSTEM_SECRETS_DIR, `${base}.env`),
    };
  }
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return {
    scope,
    name,
    unitDir: join(configHome, 'systemd', 'user'),
    environmentFile: join(configHome, 'overseer', `${base}.env`),
  };
}

/** What the unit holds and leaves out, on stderr (stdout is the unit with `--print`). */
function describe(unit: StartupUnit, place: UnitPlace, project: string, writes: boolean): void {
  if (unit.name !== `overseer-${project}.service`) {
    say(`unit ${unit.name} (from the project name ${JSON.stringify(project)})`);
  }
  say(`environment: ${unit.listed.join(', ') || 'none'}`);
  if (unit.secrets.length > 0) {
    const names = unit.secrets.map(([name]) => name).join(', ');
    say(
      writes
        ? `kept out of the unit, in ${place.environmentFile} (mode 0600): ${names}`
        : `kept out of the unit: ${names}; it reads them from ${place.environmentFile}, which --print does not write: put NAME=value lines there, mode 0600`,
    );
  }
  for (const { name, why } of unit.skipped) say(`left out: ${name} (${why})`);
  say(`stop timeout: ${unit.timeoutStopSec}s`);
  if (place.scope === 'user') {
    say('a user unit runs while you are logged in; to run it from boot: loginctl enable-linger');
  }
}

/** Not root, a system unit: nothing written, and the commands that would write it. */
function explainSudo(unit: StartupUnit, place: UnitPlace, configPath: string): number {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const self = `${shellQuote(process.execPath)} ${shellQuote(main)}`;
  say(`a system unit goes to ${unitPath(place)}, which needs root: nothing written. Run:`);
  say(
    `  ${self} startup --print -f ${shellQuote(configPath)} | sudo tee ${unitPath(place)} >/dev/null`,
  );
  if (unit.secrets.length > 0) {
    const names = unit.secrets.map(([name]) => name).join(', ');
    say(`  sudo install -D -m 600 /dev/null ${place.environmentFile}`);
    say(`  sudoedit ${place.environmentFile}    # NAME=value lines for ${names}`);
  }
  say(`  ${systemctlLine('system', ['daemon-reload'], true)}`);
  say(`  ${systemctlLine('system', ['enable', '--now', place.name], true)}`);
  say(`then: ${journalLine(place)}`);
  say('or, without root, a unit of your own: overseer startup --user');
  return 1;
}

function isYaml(path: string): boolean {
  return ['.yaml', '.yml'].includes(extname(path));
}

/** A word for a POSIX shell: single-quoted unless plainly safe. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
