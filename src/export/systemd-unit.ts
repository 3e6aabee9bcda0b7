/**
 * The systemd unit of `overseer startup`: a validated project and a few facts about the
 * machine it is written on, mapped to the text of a unit that runs the stack in the
 * foreground at boot. Pure: the command gathers the facts and writes the files.
 */

import type { Project } from '../config/project.js';
import { stopLayers } from '../core/stack/graph.js';
import { looksSecret } from './process-view.js';
import { environmentEntry, execWord, literal } from './unit-file.js';

/** `system`: /etc/systemd/system, started at boot; `user`: the user's own systemd. */
export type UnitScope = 'system' | 'user';

export interface UnitFacts {
  readonly scope: UnitScope;
  /** Absolute path of the node that runs overseer now (`process.execPath`). */
  readonly nodePath: string;
  /** Absolute path of overseer's executable script (`dist/cli/main.js`). */
  readonly mainPath: string;
  /** The environment `startup` runs in: the unit lists what it keeps of it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The variables the config refers to as `${NAME}`: the stack needs them at boot too. */
  readonly referenced: readonly string[];
  /** Where the secret variables go (mode 0600), for the unit to read them from. */
  readonly environmentFile: string;
  /** The account a system unit runs the stack as; none: root. Ignored for a user unit. */
  readonly user?: string;
}

export interface StartupUnit {
  /** `overseer-<project>.service`. */
  readonly name: string;
  readonly text: string;
  /** Names given as `Environment=` lines, in the unit's order. */
  readonly listed: readonly string[];
  /** Variables for the environment file, kept out of the unit: `[name, value]`. */
  readonly secrets: ReadonlyArray<readonly [string, string]>;
  /** Variables left out, each with why. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly why: string }>;
  readonly timeoutStopSec: number;
}

/** The first line of every unit written: how `unstartup` knows a unit is overseer's. */
export const UNIT_MARK = '# Written by `overseer startup`.';

/** Kept in the unit as they are: what the stack's commands are found and run with. */
const LISTED = ['PATH', 'HOME', 'NODE_ENV'];
/** Never listed: they would hand the daemon's token to whoever reads the unit. */
const SECRET = new Set(['OVERSEER_TOKEN']);
/**
 * What the supervisor sets in each child's environment: a `startup` run from inside a
 * supervised process must not pass its own marks on to the stack it installs.
 */
const PER_CHILD = new Set(['OVERSEER_RUN', 'OVERSEER_PROCESS', 'OVERSEER_INSTANCE']);

// biome-ignore lint/suspicious/noControlCharactersInRegex: a unit line cannot hold them
const CONTROL = /[\0-\x1f\x7f]/;

/** Time the supervisor takes beyond its processes' stops: its own close, the last log lines. */
export const STOP_MARGIN_S = 15;
/** Between a failed run of the stack and the next (systemd's default, 100 ms, spins). */
export const RESTART_SEC = 5;

/** The unit of `project` with `facts`. Throws on a path systemd cannot be given. */
export function systemdUnit(project: Project, facts: UnitFacts): StartupUnit {
  for (const path of [facts.nodePath, facts.mainPath, project.configPath, project.baseDir]) {
    if (CONTROL.test(path)) {
      throw new Error(
        `${JSON.stringify(path)}: a path with control characters cannot go in a unit`,
      );
    }
  }
  const name = unitName(project.name);
  const environment = environmentOf(facts);
  const timeoutStopSec = stopTimeoutSeconds(project);
  const system = facts.scope === 'system';
  const lines = [
    UNIT_MARK,
    '# Paths are absolute: run it again after moving the project or upgrading node.',
    '[Unit]',
    `Description=${literal(`overseer: the ${project.name} stack (${project.configPath})`)}`,
    // The user's manager has no network-online.target: a user unit starts at login anyway.
    ...(system ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Service]',
    'Type=simple',
    ...(system && facts.user !== undefined ? [`User=${facts.user}`] : []),
    `WorkingDirectory=${literal(project.baseDir)}`,
    ...environment.listed.map(([key, value]) => `Environment=${environmentEntry(key, value)}`),
    ...(environment.secrets.length > 0 || facts.referenced.length > 0
      ? [`EnvironmentFile=-${literal(facts.environmentFile)}`]
      : []),
    `ExecStart=${[facts.nodePath, facts.mainPath, 'up', '--no-tui', '-f', project.configPath].map(execWord).join(' ')}`,
    // SIGTERM to the supervisor alone, which stops the stack in order; SIGKILL to all after.
    'KillMode=mixed',
    // Each run gets a cgroup of its own beneath the supervisor's (docs/containment.md).
    'Delegate=yes',
    `TimeoutStopSec=${timeoutStopSec}`,
    'Restart=on-failure',
    `RestartSec=${RESTART_SEC}`,
    '',
    '[Install]',
    `WantedBy=${system ? 'multi-user.target' : 'default.target'}`,
  ];
  return {
    name,
    text: `${lines.join('\n')}\n`,
    listed: environment.listed.map(([key]) => key),
    secrets: environment.secrets,
    skipped: environment.skipped,
    timeoutStopSec,
  };
}

/**
 * `overseer-<project>.service`, the project's name kept to what reads well in a unit name:
 * letters, digits, `_`, `.` and `-`, any other run of characters as one `-`.
 */
export function unitName(projectName: string): string {
  return `overseer-${unitStem(projectName)}.service`;
}

/** The project's name as a unit's or a file's name may hold it: runs of anything else as `-`. */
export function unitStem(projectName: string): string {
  const kept = projectName
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 200);
  return kept || 'stack';
}

/**
 * How long systemd lets the stack stop before it kills what is left: the stack stops layer
 * by layer (dependents first, each layer once the one before it has ended), so the worst
 * case is the slowest `stop.timeout` of each layer, added up, plus the supervisor's margin.
 */
export function stopTimeoutSeconds(project: Pick<Project, 'graph' | 'specs'>): number {
  const slowestOf = (family: string) =>
    Math.max(
      0,
      ...project.specs.filter((spec) => spec.family === family).map((spec) => spec.stop.timeoutMs),
    );
  const layersMs = stopLayers(project.graph).map((layer) => Math.max(0, ...layer.map(slowestOf)));
  return Math.ceil(layersMs.reduce((sum, ms) => sum + ms, 0) / 1000) + STOP_MARGIN_S;
}

/**
 * The names a config's text refers to as `${NAME}` or `${NAME:-default}` (not `$${…}`,
 * which is a literal), each once, in order of appearance.
 */
export function referencedVariables(configText: string): string[] {
  const names = [...configText.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)/g)]
    .map((match) => match[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)];
}

/**
 * The text of the environment file: `NAME="value"`, one a line, quoted as systemd reads
 * it (a backslash before `"`, `\`, `$` and a backquote).
 */
export function environmentFileText(secrets: ReadonlyArray<readonly [string, string]>): string {
  return secrets
    .map(([key, value]) => `${key}="${value.replace(/["\\$`]/g, (char) => `\\${char}`)}"\n`)
    .join('');
}

/**
 * The environment file with `secrets` set, over the one already there: a line of another
 * variable (one set by hand, one not set in this shell) or a comment is kept as it is, so
 * that running `startup` again never loses a value written there.
 */
export function mergedEnvironmentFileText(
  existing: string | undefined,
  secrets: ReadonlyArray<readonly [string, string]>,
): string {
  const given = new Set(secrets.map(([name]) => name));
  const kept = (existing ?? '')
    .split('\n')
    .filter(
      (line) => line !== '' && !given.has(/^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1] ?? ''),
    );
  return environmentFileText(secrets) + kept.map((line) => `${line}\n`).join('');
}

interface Environment {
  readonly listed: Array<readonly [string, string]>;
  readonly secrets: Array<readonly [string, string]>;
  readonly skipped: Array<{ name: string; why: string }>;
}

/**
 * What the unit keeps of the environment: PATH, HOME, NODE_ENV and every `OVERSEER_*` as
 * `Environment=` lines, but for the token and any that looks secret (a URL carrying a
 * password, a name saying TOKEN, KEY, PASSWORD…), which go to the environment file with
 * the config's own `${NAME}`s, which may be secrets too.
 */
function environmentOf({ env, referenced }: UnitFacts): Environment {
  const result: Environment = { listed: [], secrets: [], skipped: [] };
  const keep = (name: string, into: Array<readonly [string, string]>) => {
    const value = env[name];
    if (value === undefined) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      result.skipped.push({ name, why: 'systemd takes no variable of that name' });
    } else if (CONTROL.test(value)) {
      result.skipped.push({ name, why: 'its value holds control characters' });
    } else {
      into.push([name, value]);
    }
  };
  const overseers = Object.keys(env)
    .filter((name) => name.startsWith('OVERSEER_') && !PER_CHILD.has(name))
    .sort();
  // A store URL with its password, a key: what looks secret goes to the file, not the unit.
  const secret = (name: string) => SECRET.has(name) || looksSecret(name, env[name] ?? '');
  const listed = new Set([...LISTED, ...overseers].filter((name) => !secret(name)));
  for (const name of listed) keep(name, result.listed);
  const inFile = new Set([...overseers.filter(secret), ...referenced]);
  for (const name of inFile) if (!listed.has(name)) keep(name, result.secrets);
  for (const name of referenced) {
    if (env[name] === undefined) {
      result.skipped.push({ name, why: 'not set now (a value in the environment file is kept)' });
    }
  }
  return result;
}
