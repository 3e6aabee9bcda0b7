/**
 * Shows the dashboard on this process's terminal until `q` or Ctrl-C, then gives the
 * terminal back as it was. The one entry point of `src/tui`: commands import it lazily, so
 * that nothing else (the daemon above all) loads ink and react.
 */
import { render } from 'ink';
import type { SupervisorApi } from '../protocol/api.js';
import { Dashboard } from './dashboard.js';

/** Resolves when the user quits; rejects with the error that ended it (a lost supervisor). */
export async function runDashboard(api: SupervisorApi, project: string): Promise<void> {
  const instance = render(<Dashboard api={api} project={project} />, { exitOnCtrlC: true });
  try {
    await instance.waitUntilExit();
  } finally {
    instance.unmount();
  }
}
