import type { HttpSupervisorClient } from '../../protocol/client.js';
import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';

/** Redraws at most this often, however many events arrive. */
const REDRAW_MS = 200;

/**
 * A live view of a running supervisor until `q` or Ctrl-C: on a terminal, the dashboard
 * (keys to select and act); elsewhere (a pipe, CI), a table redrawn on every change.
 */
export async function top(options: ConfigOption): Promise<number> {
  const client = await connect(options);
  // Fails fast, with the usual error, when nothing runs.
  const { project } = await client.status();
  if (wantsDashboard()) return dashboard(client, project);
  return redrawnTable(client, project);
}

/** Both ends are a person's terminal: keys can be read and the screen redrawn in place. */
function wantsDashboard(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && env.CI === undefined;
}

/** Quitting detaches: the stack runs on. */
async function dashboard(client: HttpSupervisorClient, project: string): Promise<number> {
  // Loaded here only: no other command, and not the daemon, pays for ink and react.
  const { runDashboard } = await import('../../tui/run-dashboard.js');
  try {
    await runDashboard(client, project);
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
