/** The dashboard over a fake api, rendered for a test, and the ways to read its frames. */
import { render } from 'ink-testing-library';
import { afterEach } from 'vitest';
import { Dashboard, type DashboardProps } from '../../src/tui/dashboard.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import type { FakeApi } from './fake-api.js';
import { until } from './until.js';

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  backspace: '\u007f',
  ctrlC: '\u0003',
} as const;

type Rendered = ReturnType<typeof render>;

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

/** The dashboard over `api`, once its first rows are on screen; unmounted after the test. */
export async function showDashboard(
  api: FakeApi,
  props: Partial<Omit<DashboardProps, 'api'>> = {},
): Promise<Rendered> {
  const instance = render(
    <Dashboard api={api} project="shop" theme={PLAIN_THEME} refreshMs={20} {...props} />,
  );
  mounted.push(instance.unmount);
  await until(() => {
    if (rowNames(instance.lastFrame()).length === 0) throw new Error('no row on screen yet');
  });
  return instance;
}

/** The line of the frame that shows `name`'s row, selected (`›`) or not, folded or not. */
export function lineOf(frame: string | undefined, name: string): string {
  const line = frame
    ?.split('\n')
    .find((text) => new RegExp(`^. (?:[▸▾] )?\\s*${escapeRegExp(name)}( |$)`).test(text));
  if (line === undefined) throw new Error(`no line for ${name} in:\n${frame}`);
  return line;
}

/** The names of the rows, top to bottom, as the table shows them. */
export function rowNames(frame: string | undefined): string[] {
  const lines = frame?.split('\n') ?? [];
  const titles = lines.findIndex((line) => line.includes('NAME') && line.includes('STATUS'));
  const rows: string[] = [];
  for (const line of lines.slice(titles + 1)) {
    const match = /^. (?:[▸▾] )?\s*(\S+)/.exec(line);
    if (line.trim() === '' || match === null || !/[●○◔◕↻✖■✔◷]/.test(line)) break;
    rows.push(match[1]!);
  }
  return rows;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
