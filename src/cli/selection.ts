/**
 * What commands that take names share: the `-n, --namespace` option, and the filter that
 * names and a namespace make together, resolved by the supervisor's one resolver. For
 * every command that acts on processes by name (`start`, `ps`, `reload`, `signal`…).
 */
import type { Option as OptionType } from 'commander';
import { OverseerError } from '../core/errors.js';
import type { ProcessFilter } from '../core/stack/process-filter.js';
import { ALL } from '../core/stack/selector.js';
import type { ProcessInfo } from '../core/view.js';
import type { SupervisorApi } from '../protocol/api.js';

/** What a command line names: its names, and the namespace of `-n` / `--namespace`. */
export interface NamedOptions {
  readonly namespace?: string;
}

/**
 * The namespace option (`-n, --namespace <namespace>` unless `flags` says otherwise, as for
 * `logs`, where `-n` is the line count). One namespace per command: a second is a usage
 * error rather than silently the last one.
 */
export function namespaceOption(
  Option: typeof OptionType,
  flags = '-n, --namespace <namespace>',
): OptionType {
  return new Option(flags, 'only processes of this namespace').argParser(
    (value: string, previous: string | undefined) => {
      if (previous !== undefined) {
        throw new OverseerError(
          'BAD_REQUEST',
          `--namespace: one namespace per command, got ${previous} and ${value}`,
        );
      }
      return value;
    },
  );
}

/** The filter names and a namespace stand for: the names within it; everything when neither. */
export function filterOf(names: readonly string[], options: NamedOptions): ProcessFilter {
  return {
    ...(names.length > 0 ? { names } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
}

/**
 * The rows names and a namespace stand for, each resolved before anything is done: throws
 * `UNKNOWN_PROCESS` or `UNKNOWN_NAMESPACE` (exit 2) naming what stands for nothing. With
 * `required`, naming neither is a usage error (`stop` alone does not mean everything).
 */
export async function resolveNamed(
  client: Pick<SupervisorApi, 'list'>,
  names: readonly string[],
  options: NamedOptions,
  { required = false } = {},
): Promise<ProcessInfo[]> {
  if (required && names.length === 0 && options.namespace === undefined) {
    throw new OverseerError('BAD_REQUEST', 'name a process, an instance, all, or -n NAMESPACE');
  }
  return client.list(filterOf(names, options));
}

/**
 * The names a command that acts process by process (`reload`, `signal`) goes through, each
 * checked before anything is done: those given; within a namespace, those given, each
 * found in it, or every process declared in it when only the namespace (or `all`) is given.
 */
export async function processNamesOf(
  client: Pick<SupervisorApi, 'list' | 'get'>,
  names: readonly string[],
  options: NamedOptions,
): Promise<string[]> {
  const rows = await resolveNamed(client, names, options, { required: true });
  if (options.namespace === undefined) return [...names];
  if (names.length > 0 && !names.includes(ALL)) return [...names];
  // Rows are instances: their declared process is in their spec.
  const details = await Promise.all(rows.map((row) => client.get(row.name)));
  return [...new Set(details.map((detail) => detail.spec.family))];
}
