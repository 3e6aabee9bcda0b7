/**
 * Shows the dashboard on this process's terminal, on the alternate screen, and gives the
 * terminal back as it was however it ends. The one entry point of `src/tui`: commands
 * import it lazily, so that nothing else (the daemon above all) loads ink and react.
 */
import { render } from 'ink';
import type { DashboardSettings } from '../core/dashboard-settings.js';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import type { ProcessInfo } from '../core/view.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import { Dashboard } from './dashboard.js';
import type { StatusLine } from './footer.js';
import { borrowScreen } from './terminal-screen.js';
import { themeOf } from './theme.js';

export type { StatusLine } from './footer.js';

export interface DashboardOptions {
  readonly project: string;
  /** The project's durable workflows, for the dashboard's runs and dead letters. */
  readonly workflows?: WorkflowsApi;
  readonly settings?: DashboardSettings;
  /**
   * What `q` and Ctrl-C do instead of ending the dashboard (`up`: stop the stack); the owner
   * ends it with `end()` once done.
   */
  readonly onQuit?: () => void;
  /** Rows already read: the first frame shows them instead of an empty table. */
  readonly processes?: readonly ProcessInfo[];
}

export interface ShownDashboard {
  /** Resolves once the dashboard is gone and the terminal given back. */
  readonly ended: Promise<void>;
  /** Puts `notice` in the status line above anything else (none: takes it away). */
  say(notice: StatusLine | undefined): void;
  /** Says `status` once in the status line, as an action's outcome (the next replaces it). */
  tell(status: StatusLine): void;
  /** Takes the dashboard away and gives the terminal back. */
  end(): void;
}

export function showDashboard(api: SupervisorApi, options: DashboardOptions): ShownDashboard {
  const settings = options.settings ?? DEFAULT_DASHBOARD_SETTINGS;
  const theme = themeOf(settings.theme);
  const screen = borrowScreen();
  let notice: StatusLine | undefined;
  let told: StatusLine | undefined;
  const element = () => (
    <Dashboard
      api={api}
      workflows={options.workflows}
      project={options.project}
      refreshMs={settings.refreshMs}
      logLines={settings.logLines}
      theme={theme}
      onQuit={options.onQuit}
      notice={notice}
      told={told}
      initialProcesses={options.processes}
    />
  );
  // Ctrl-C is a key like `q` (raw mode sends no SIGINT): the dashboard decides what it means.
  const instance = render(element(), { exitOnCtrlC: false });
  // Once gone, nothing draws again: ink would mount a new tree, keys and streams included.
  let gone = false;
  const ended = (async () => {
    try {
      await instance.waitUntilExit();
    } finally {
      gone = true;
      instance.cleanup();
      screen.restore();
    }
  })();
  const redraw = () => {
    if (!gone) instance.rerender(element());
  };
  return {
    ended,
    say(said) {
      notice = said;
      redraw();
    },
    tell(status) {
      told = { ...status };
      redraw();
    },
    end() {
      if (gone) return;
      gone = true;
      instance.unmount();
    },
  };
}

/**
 * `top`: the dashboard until `q` or Ctrl-C, or a signal (SIGTERM, SIGHUP: the terminal
 * closed), all of which leave the stack running.
 */
export async function runDashboard(api: SupervisorApi, options: DashboardOptions): Promise<void> {
  const shown = showDashboard(api, options);
  const end = () => shown.end();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, end);
  try {
    await shown.ended;
  } finally {
    for (const signal of signals) process.off(signal, end);
  }
}
