/**
 * The dashboard's header: the project and the stack's health, how many processes are in
 * each status, the host's load and the tasks' queue.
 */
import { Box, Text } from 'ink';
import type { StackStatus } from '../core/limits/stack-health.js';
import type { Status } from '../core/process/state.js';
import type { SupervisorStats } from '../core/stats.js';
import type { ProcessInfo } from '../core/view.js';
import type { HealthReport } from '../protocol/api.js';
import { Painted } from './painted.js';
import { type Look, STATUS_LOOK } from './status-look.js';
import { colourOf, type Theme } from './theme.js';

const STACK_LOOK: Readonly<Record<StackStatus, Look>> = {
  ok: { symbol: '●', role: 'success' },
  degraded: { symbol: '◐', role: 'warning' },
  failing: { symbol: '✖', role: 'error' },
};

export interface HeaderProps {
  readonly project: string | undefined;
  readonly processes: readonly ProcessInfo[];
  readonly health: HealthReport | undefined;
  readonly stats: SupervisorStats | undefined;
  /** Why the supervisor stopped answering, while it does not answer again. */
  readonly lost?: string;
  readonly theme: Theme;
}

export function Header({ project, processes, health, stats, lost, theme }: HeaderProps) {
  const stack = health === undefined ? undefined : STACK_LOOK[health.status];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{project ?? 'overseer'}</Text>
        {lost !== undefined ? (
          <Text color={colourOf(theme, 'error')}>{`  disconnected: ${lost} (trying again)`}</Text>
        ) : health && stack ? (
          <>
            {'  stack '}
            <Painted look={stack} theme={theme}>
              {`${stack.symbol} ${health.status}`}
            </Painted>
          </>
        ) : null}
        {countsOf(processes).map(([status, count]) => (
          <Text key={status}>
            {'  '}
            <Painted look={STATUS_LOOK[status]} theme={theme}>
              {`${STATUS_LOOK[status].symbol} ${count} ${status}`}
            </Painted>
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end" dimColor={theme.colour}>
        {stats === undefined ? ' ' : `${hostOf(stats)}  ·  ${tasksOf(stats)}`}
      </Text>
    </Box>
  );
}

/** Processes per status, in the order statuses are declared, leaving out the empty ones. */
function countsOf(processes: readonly ProcessInfo[]): Array<[Status, number]> {
  const counts = new Map<Status, number>();
  for (const process of processes)
    counts.set(process.status, (counts.get(process.status) ?? 0) + 1);
  return (Object.keys(STATUS_LOOK) as Status[]).flatMap((status) => {
    const count = counts.get(status);
    return count === undefined ? [] : [[status, count] as [Status, number]];
  });
}

/** `load 0.52 0.40 0.31 on 4 cpus` */
function hostOf(stats: SupervisorStats): string {
  const load = stats.host.load.map((value) => value.toFixed(2)).join(' ');
  return `load ${load} on ${stats.host.cpus} cpus`;
}

/** `tasks 2 queued, 1 running, 0 retrying` */
function tasksOf(stats: SupervisorStats): string {
  const { queued, running, retrying } = stats.tasks;
  return `tasks ${queued} queued, ${running} running, ${retrying} retrying`;
}
