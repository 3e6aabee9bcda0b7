import { type ConfigOption, connect } from '../context.js';
import { painterFor } from '../output.js';
import { renderProcessTable } from '../views.js';

/** Redraws at most this often, however many events arrive. */
const REDRAW_MS = 200;

/** A live process table of a running supervisor, redrawn on every change, until Ctrl-C. */
export async function top(options: ConfigOption): Promise<number> {
  const client = await connect(options);
  const paint = painterFor(process.stdout);
  // Fails fast, with the usual error, when nothing runs.
  const { project } = await client.status();
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
