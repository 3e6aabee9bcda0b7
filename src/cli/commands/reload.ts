/**
 * `reload NAME… [-n NS]`: a rolling restart of each name in turn, one instance at a time, each
 * replacement ready before the next is stopped. Reports what became of every instance;
 * exits 1 naming the replacement that did not become ready (the rest left as they were),
 * or when `--wait-timeout` runs out (the reload goes on in the supervisor).
 */
import type { InstanceReload, ReloadReport } from '../../core/stack/rolling.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import { type ConfigOption, connect } from '../context.js';
import { type Painter, painterFor, renderTable, STATUS_STYLE } from '../output.js';
import { type NamedOptions, processNamesOf } from '../selection.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  ProgressWatch,
  parseWaitTimeout,
  saysWhatItWaitsFor,
} from '../wait.js';
import { assertAccepted, resolveNames, withDeadline } from './act.js';

interface ReloadOptions extends ConfigOption, NamedOptions {
  readonly json?: boolean;
  readonly waitTimeout: string;
}

/** Exit 0 when every instance it set out to replace was replaced; 1 otherwise; 2 for a bad name. */
export async function reload(given: string[], options: ReloadOptions): Promise<number> {
  const waitMs = parseWaitTimeout(options.waitTimeout);
  const client = await connect(options);
  // Each name once: `reload web web` is one reload.
  const names = [...new Set(await processNamesOf(client, given, options))];
  // Every name is checked before any is reloaded: one unknown or refused changes nothing.
  const selected = await resolveNames(client, names);
  await assertAccepted(client, 'reload', names);
  // Meanwhile, what a replacement waits for is shown on stderr, as `restart` shows it.
  const paint = painterFor(process.stderr);
  let reloading = false;
  const watch = new ProgressWatch(
    client,
    selected.map((row) => row.name),
    (progress) => {
      if (reloading && saysWhatItWaitsFor(progress)) {
        process.stderr.write(`${describeProgress(progress, paint)}\n`);
      }
    },
  );
  await watch.start();
  reloading = true;
  try {
    return await reloadEach(client, names, waitMs, options);
  } finally {
    watch.close();
  }
}

/** Reloads each name in turn; stops at the first that fails or at the deadline. */
async function reloadEach(
  client: HttpSupervisorClient,
  names: readonly string[],
  waitMs: number,
  options: ReloadOptions,
): Promise<number> {
  const deadline = Date.now() + waitMs;
  const reports: ReloadReport[] = [];
  for (const [index, name] of names.entries()) {
    const report = await withDeadline(client.reload(name), Math.max(0, deadline - Date.now()));
    if (report === undefined) {
      const waiting = (await resolveNames(client, [name])).filter(isWaiting);
      const paint = painterFor(process.stderr);
      process.stderr.write(
        `overseer: ${describeTimeout(waitMs, waiting, paint)} (the reload of ${name} goes on in the supervisor)\n`,
      );
      return 1;
    }
    reports.push(report);
    if (!report.ok) {
      print(reports, options);
      reportFailure(report, names.slice(index + 1));
      return 1;
    }
  }
  print(reports, options);
  return 0;
}

function print(reports: readonly ReloadReport[], options: ReloadOptions): void {
  if (options.json) {
    const merged = {
      ok: reports.every((report) => report.ok),
      instances: reports.flatMap((report) => report.instances),
      plainRestarts: reports.flatMap((report) => report.plainRestarts),
      processes: reports.flatMap((report) => report.processes),
    };
    process.stdout.write(`${JSON.stringify(merged)}\n`);
    return;
  }
  const paint = painterFor(process.stdout);
  const rows = reports.flatMap((report) => report.instances).map((item) => row(item, paint));
  const lines = [renderTable(['NAME', 'RELOAD', 'DETAIL'], rows)];
  for (const family of reports.flatMap((report) => report.plainRestarts)) {
    lines.push(`${family}: no other instance was running to serve meanwhile: a plain restart`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function row(item: InstanceReload, paint: Painter): string[] {
  switch (item.outcome) {
    case 'replaced':
      return [item.name, paint(STATUS_STYLE.running!, 'replaced'), `ready in ${item.readyInMs}ms`];
    case 'failed':
      return [item.name, paint(STATUS_STYLE.failed!, 'failed'), item.reason];
    case 'skipped':
      return [item.name, paint(STATUS_STYLE.stopped!, 'skipped'), item.reason];
    case 'untouched':
      return [item.name, paint(STATUS_STYLE.stopped!, 'untouched'), 'left as it was'];
  }
}

/** `overseer: web-1 did not become ready: exited with code 1 before it was ready; left as they were: web-2, api` */
function reportFailure(report: ReloadReport, namesNotReached: readonly string[]): void {
  const failed = report.instances.find((item) => item.outcome === 'failed');
  const untouched = report.instances
    .filter((item) => item.outcome === 'untouched')
    .map((item) => item.name);
  const left = [...untouched, ...namesNotReached];
  const rest = left.length > 0 ? `; left as they were: ${left.join(', ')}` : '';
  const what =
    failed?.outcome === 'failed'
      ? `${failed.name} did not become ready: ${failed.reason}`
      : 'the reload did not finish';
  process.stderr.write(`overseer: ${what}${rest}\n`);
}
