/**
 * The dashboard's code, loaded only by the commands that show it (`top`, `up` on a
 * terminal): the one-file bundle the build makes of it (see scripts/bundle-dashboard.mjs),
 * or its modules where there is no bundle (running from the sources).
 */
export type DashboardModule = typeof import('../tui/run-dashboard.js');

const BUNDLE = new URL('../tui/dashboard.bundle.js', import.meta.url).href;

export async function loadDashboard(): Promise<DashboardModule> {
  try {
    return (await import(BUNDLE)) as DashboardModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return import('../tui/run-dashboard.js');
  }
}
