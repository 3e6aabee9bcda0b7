import type { ProcessInfo } from '../../core/view.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import type { DaemonStatus } from '../../protocol/daemon-control.js';
import { type ConfigOption, connect } from '../context.js';
import { type DashboardModule, loadDashboard } from '../dashboard-loader.js';
import { painterFor } from '../output.js';
import { wantsDashboard } from '../terminal.js';
import { renderProcessTable } from '../views.js';

export type TopOptions = ConfigOption;

/** Redraws at most this often, however many events arrive. */
const REDRAW_MS = 200;

/**
 * A live view of a running supervisor (this folder's, or the one `--api` names) until `q`
 * or Ctrl-C: on a terminal, the dashboard (keys to select and act); elsewhere (a pipe, CI),
 * a table redrawn on every change.
 */
export async function top(options: TopOptions): Promise<number> {
  // The dashboard's code loads while the supervisor is asked how it is.
  const loading = wantsDashboard() ? loadDashboard() : undefined;
  loading?.catch(() => {});
  const client = await connect(options);
  // Fails fast, with the usual error, when nothing runs. The rows are read meanwhile, so
  // the dashboard's first frame shows them.
  const [status, processes] = await Promise.all([client.status(), client.list()]);
  if (loading !== undefined) return dashboard(client, status, processes, await loading);
  return redrawnTable(client, status.project);
}

/** Quitting detaches: the stack runs on. Shown as the stack's `settings.tui` asks. */
async function dashboard(
  client: HttpSupervisorClient,
  status: DaemonStatus,
  processes: readonly ProcessInfo[],
  { runDashboard }: DashboardModule,
): Promise<number> {
  try {
    await runDashboard(client, {
      project: status.project,
      workflows: client.workflows,
      settings: status.dashboard,
      processes,
    });
    return 0;
  } catch (error) {
    process.stderr.write(`overseer: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Today's table for pipes and CI: redrawn on every change, at most every `REDRAW_MS`. */
function redrawnTable(client: HttpSupervisorClient, project: string): Promise<number> {
  const paint = painterFor(process.stdout);
  let scheduled: NodeJS.Timeout | undefined;
  const redraw = async () => {
    scheduled = undefined;
    const processes = await client.list();
    const clear = process.stdout.isTTY ? '\u001b[2J\u001b[H' : '';
    const title = paint('bold', `${project} — ${new Date().toLocaleTimeString()} (Ctrl-C to quit)`);
    process.stdout.write(`${clear}${title}\n${renderProcessTable(processes, paint)}\n`);
  };
  const requestRedraw = () => {
    scheduled ??= setTimeout(() => void redraw().catch(() => {}), REDRAW_MS);
  };
  return new Promise((resolve) => {
    const stopWatching = client.watch(requestRedraw);
    // Uptimes move even when nothing happens.
    const ticker = setInterval(requestRedraw, 1000);
    const end = (code: number) => {
      stopWatching();
      clearInterval(ticker);
      clearTimeout(scheduled);
      resolve(code);
    };
    client.onBreak((error) => {
      process.stderr.write(`overseer: ${error.message}\n`);
      end(1);
    });
    process.once('SIGINT', () => end(0));
  });
}
