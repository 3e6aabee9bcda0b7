/**
 * Text captures of the dashboard for docs/tui.md: the demo stack (examples/demo) brought up
 * with `up -d`, then `overseer top` in a pseudo-terminal of each size, its screen read through
 * a headless xterm once the stack has settled, printed as it shows; then the stack is taken
 * down. Needs the dev dependencies (node-pty, @xterm/headless) and a build (`npm run build`).
 *
 *   node scripts/capture-dashboard.mjs [80x24] [200x50] …
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import { spawn } from 'node-pty';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');
const demo = join(root, 'examples/demo');
const sizes = (process.argv.length > 2 ? process.argv.slice(2) : ['80x24', '200x50']).map((size) =>
  size.split('x').map(Number),
);
/** Long enough for the demo's workers to be running and its flaky process to have failed. */
const SETTLE_MS = Number(process.env.CAPTURE_SETTLE_MS ?? 12_000);

/** Runs `overseer ARGS…` in the demo's folder; `up -d` exits 1 there: flaky fails on purpose. */
const overseer = (...args) =>
  spawnSync(process.execPath, [cli, ...args], { cwd: demo, stdio: 'ignore' });

try {
  overseer('up', '-d');
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  for (const [cols, rows] of sizes) {
    process.stdout.write(`${await capture(cols, rows)}\n\n`);
  }
} finally {
  overseer('down');
}

async function capture(cols, rows) {
  const terminal = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  const pty = spawn(process.execPath, [cli, 'top'], { cols, rows, cwd: demo, env });
  pty.onData((data) => terminal.write(data));
  const exited = new Promise((resolve) => pty.onExit(resolve));
  // A few refreshes: the rows, the header's load and the log pane's lines are all in; then
  // the API selected, so the log pane shows a service's lines.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  pty.write('j');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const screen = await new Promise((resolve) =>
    terminal.write('', () => resolve(screenOf(terminal))),
  );
  pty.write('q');
  await exited;
  return screen;
}

function screenOf(terminal) {
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
  }
  return lines.join('\n');
}
