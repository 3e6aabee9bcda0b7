/**
 * `overseer up` in a terminal: the stack in the command's own process, shown by the
 * dashboard, with the log pane following the selected process; Ctrl-C (or SIGHUP, the
 * terminal gone) stops the stack with nothing left, and the terminal is given back as it
 * was, a line saying how the stack ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  expectNothingLeft,
  fixture,
  type Project,
  ps,
  waitFor,
} from '../cli/helpers.js';
import { closeTerminals, modesLeftChanged, runInTerminal, type TerminalRun } from './terminal.js';

afterEach(async () => {
  await closeTerminals();
  await cleanup();
});

/** A ticker the log pane follows (the first row), and a service that waits for it. */
function tickingStack(): Project {
  return createProject(`version: 1
name: ticking
processes:
  ticker:
    command: ${fixture('print-slowly.mjs', 1_000_000, 100)}
    # Running after 100ms: the tests wait for both rows to say so, not for min_uptime's second.
    restart: { min_uptime: 100ms }
  api:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
}

/** `up` in a terminal, once both processes run; with their rows from `ps --json`. */
async function up(
  project: Project,
): Promise<{ run: TerminalRun; rows: Awaited<ReturnType<typeof ps>> }> {
  const run = runInTerminal(['up'], { cwd: project.dir, cols: 100, rows: 30 });
  await run.waitForScreen(function bothRunning(screen) {
    return /^› ticker\s+● running/m.test(screen) && /^ {2}api\s+● running/m.test(screen);
  }, 15_000);
  const rows = await waitFor(async () => {
    const found = await ps(project);
    return found.every((info) => info.pid !== null) ? found : undefined;
  }, 'both processes with a pid');
  return { run, rows };
}

/** The highest tick on screen, if any. */
function lastTick(screen: string): number {
  return Math.max(0, ...[...screen.matchAll(/tick (\d+)/g)].map((match) => Number(match[1])));
}

describe('overseer up in a terminal', () => {
  it('shows the stack, the log pane following the lines the selected process prints', async () => {
    const project = tickingStack();
    const { run } = await up(project);
    await run.waitForScreen(/logs · ticker · following/);
    const seen = await run.waitForScreen((screen) => lastTick(screen) > 0);
    // Lines printed since are shown as they come.
    await run.waitForScreen((screen) => lastTick(screen) >= lastTick(seen) + 3, 10_000);
  });

  it('stops the stack on Ctrl-C with nothing left, and gives the terminal back', async () => {
    const project = tickingStack();
    const { run, rows } = await up(project);
    run.press('ctrl-c');
    expect(await run.exited).toEqual({ exitCode: 0, signal: 0 });
    // Back on the shell's screen, with how the stack ended.
    expect(run.screen()).toContain('ticking: stack stopped');
    expect(run.screen()).not.toContain('NAME');
    expect(modesLeftChanged(run.raw())).toEqual([]);
    expectNothingLeft(project, rows);
  });

  it('stops the stack on SIGHUP (the terminal closed), giving the terminal back too', async () => {
    const project = tickingStack();
    const { run, rows } = await up(project);
    process.kill(run.pid, 'SIGHUP');
    expect((await run.exited).exitCode).toBe(0);
    expect(modesLeftChanged(run.raw())).toEqual([]);
    expectNothingLeft(project, rows);
  });
});

describe('the colours of overseer up in a terminal', () => {
  /** Two running services, success painted in the theme's colour. */
  function themedStack(): Project {
    return createProject(`version: 1
settings:
  tui: { theme: { success: "#10b981" } }
processes:
  api:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
  }

  async function shownThenStopped(env: Record<string, string | undefined>): Promise<string> {
    const run = runInTerminal(['up'], { cwd: themedStack().dir, env });
    await run.waitForScreen(/^› api\s+● running/m, 15_000);
    run.press('q');
    expect((await run.exited).exitCode).toBe(0);
    return run.raw();
  }

  it('paints with settings.tui.theme, as 24-bit colour where the terminal has it', async () => {
    const raw = await shownThenStopped({ COLORTERM: 'truecolor' });
    // #10b981 is rgb(16, 185, 129).
    expect(raw).toContain('\u001b[38;2;16;185;129m');
  });

  it('paints nothing with NO_COLOR: the symbols say it', async () => {
    const raw = await shownThenStopped({ COLORTERM: 'truecolor', NO_COLOR: '1' });
    // No foreground colour of any kind (basic, 256 or 24-bit), no dimming.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape codes are the point
    expect(raw).not.toMatch(/\u001b\[(?:3[0-79]|9[0-7]|38;[25];[\d;]+|2)m/);
    expect(raw).toContain('● running');
  });
});
