/**
 * A declared process as every exporter reads it: its entry as written (defaults merged),
 * the spec of its first instance (defaults applied), its environment split into what may be
 * written in a file and what looks secret, and the port a probe names.
 */

import { posix } from 'node:path';
import type { ParsedProcessDefinition } from '../config/process-schema.js';
import type { Project } from '../config/project.js';
import type { ShellValue } from '../config/shell-env-names.js';
import type { ProbeCheck, ProbeSpec, ProcessSpec } from '../core/process/spec.js';
import type { ExportInput } from './model.js';

export interface ProcessView {
  readonly name: string;
  readonly definition: ParsedProcessDefinition;
  /** The first instance's spec: every instance shares all but its name. */
  readonly spec: ProcessSpec;
  /** `instances` as written; absent: one process, not scalable. */
  readonly instances: number | undefined;
  /** `env_file`'s variables beneath `env`'s, as the supervisor layers them, secrets left out. */
  readonly plainEnv: Readonly<Record<string, string>>;
  /** The names of the variables that look secret: their values are never written. */
  readonly secretNames: readonly string[];
  /** Those of them that `env` sets (the rest stay in the `env_file`, where a file can read them). */
  readonly envSecretNames: readonly string[];
}

/** One view per declared process, in declaration order. */
export function processViews({ project, envFiles, fromShell }: ExportInput): ProcessView[] {
  // The first spec of each family, found in one pass: a search per process is quadratic.
  const firsts = new Map<string, ProcessSpec>();
  for (const spec of project.specs) if (!firsts.has(spec.family)) firsts.set(spec.family, spec);
  return project.definitions.map((definition) => {
    const spec = firsts.get(definition.name)!;
    const env = { ...envFiles.get(definition.name), ...spec.env };
    const plainEnv: Record<string, string> = {};
    const secretNames: string[] = [];
    const shell = fromShell?.get(definition.name);
    for (const [key, value] of Object.entries(env)) {
      if (looksSecret(key, value) || shell?.has(key)) secretNames.push(key);
      else plainEnv[key] = value;
    }
    return {
      name: definition.name,
      definition,
      spec,
      instances: definition.instances,
      plainEnv,
      secretNames,
      envSecretNames: secretNames.filter((key) => key in spec.env),
    };
  });
}

/** The words of a variable's name that say its value is a secret. */
const SECRET_WORDS =
  /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|KEY|APIKEY|CREDENTIALS?|PRIVATE|AUTH)(_|$)/i;

/**
 * A variable whose name says secret (`API_TOKEN`, `DB_PASSWORD`, `STRIPE_KEY`), or whose
 * value is a URL with a password in it (`postgres://app:hunter2@db/app`). Erring towards
 * secret costs a placeholder to fill; erring the other way leaks a credential into a file
 * that gets committed.
 */
export function looksSecret(name: string, value: string): boolean {
  return SECRET_WORDS.test(name) || /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(value);
}

/**
 * The values taken from the shell outside `env` that look secret (`--token ${API_TOKEN}`
 * in a command): an export must not write them, and a file cannot refer to them the way
 * it refers to an `env` secret, so the caller refuses to export, naming each.
 */
export function secretShellValues(
  values: readonly ShellValue[],
  env: NodeJS.ProcessEnv,
): ShellValue[] {
  return values.filter(
    ({ variable }) => !SHELL_OWN.has(variable) && looksSecret(variable, env[variable] ?? ''),
  );
}

/** What a shell sets of itself, whose names read as secret words (`PWD`, `AUTH`) but are not. */
const SHELL_OWN = new Set(['PWD', 'OLDPWD', 'SSH_AUTH_SOCK']);

/** The program and arguments: a string command is run by `/bin/sh -c`, as overseer does. */
export function argvOf(command: string | readonly string[]): string[] {
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
}

/** Where a container image is taken to hold the project: `cwd` and watched paths go under it. */
export const IMAGE_ROOT = '/app';

/** Whole seconds, rounded up: an engine's periods and timeouts are counted in seconds. */
export function wholeSeconds(ms: number, minimum = 0): number {
  return Math.max(minimum, Math.ceil(ms / 1000));
}

/** A name as DNS labels allow (Kubernetes objects, Nomad services): `My_API.v2` → `my-api-v2`. */
export function dnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? 'process' : label;
}

/** Where a probe's check can be reached from another machine: its port, and its HTTP path. */
export interface ProbeEndpoint {
  readonly port: number;
  readonly http?: { readonly path: string; readonly scheme: 'HTTP' | 'HTTPS' };
}

/** The endpoint of a check that names a port (http, tcp); undefined for exec and log. */
export function endpointOf(check: ProbeCheck): ProbeEndpoint | undefined {
  if (check.type === 'tcp') return { port: check.port };
  if (check.type !== 'http') return undefined;
  const url = new URL(check.url);
  const https = url.protocol === 'https:';
  const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
  return { port, http: { path: `${url.pathname}${url.search}`, scheme: https ? 'HTTPS' : 'HTTP' } };
}

/** The port a process serves, as its readiness probe names it, else its liveness probe. */
export function servedEndpoint(spec: ProcessSpec): ProbeEndpoint | undefined {
  const probes = [spec.readiness, spec.liveness].filter((probe): probe is ProbeSpec => !!probe);
  for (const probe of probes) {
    const endpoint = endpointOf(probe.check);
    if (endpoint) return endpoint;
  }
  return undefined;
}

/** Whether `runs` on a schedule, once to completion, or for good. */
export function shapeOf(spec: ProcessSpec): 'scheduled' | 'job' | 'service' {
  if (spec.schedule) return 'scheduled';
  return spec.kind === 'job' ? 'job' : 'service';
}

/** The project's name, as the engine's object names take it. */
export function projectLabel(project: Project): string {
  return dnsLabel(project.name);
}

/**
 * A cron expression of 5 fields, as engines without seconds read it: a seconds field of
 * `0` is dropped exactly; any other is dropped and said (`dropped`).
 */
export function minuteCron(cron: string): { cron: string; dropped?: string } {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6) return { cron: fields.join(' ') };
  const rest = fields.slice(1).join(' ');
  return fields[0] === '0' ? { cron: rest } : { cron: rest, dropped: fields[0]! };
}

/** `path` on the target machines: absolute as it is, else under `root`. */
export function onTarget(root: string, path: string): string {
  // POSIX whatever this machine is: the target's paths are.
  const joined = path.startsWith('/') ? posix.normalize(path) : posix.join(root, path);
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
