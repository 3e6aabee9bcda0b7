/**
 * `settings.tui` as a project carries it: defaults applied, a theme's missing colours taken
 * from the default theme, and a bad value refused at its path.
 */
import { describe, expect, it } from 'vitest';
import { projectFromRaw } from '../../src/config/load.js';

const load = (settings: object) =>
  projectFromRaw('/srv/app/overseer.yaml', {
    value: { version: 1, settings, processes: { api: { command: 'x' } } },
    locate: (issues) => issues.map((issue) => ({ ...issue, line: undefined, column: undefined })),
  });

describe('settings.tui', () => {
  it('defaults to a 500ms refresh, 500 log lines and the terminal’s own colours', () => {
    expect(load({}).settings.tui).toEqual({
      refreshMs: 500,
      logLines: 500,
      theme: { primary: 'blue', success: 'green', warning: 'yellow', error: 'red' },
    });
  });

  it('reads refresh, log_lines and a theme given in part', () => {
    const tui = load({
      tui: { refresh: '1s', log_lines: 2000, theme: { primary: '#3b82f6', error: 'redBright' } },
    }).settings.tui;
    expect(tui).toEqual({
      refreshMs: 1000,
      logLines: 2000,
      theme: { primary: '#3b82f6', success: 'green', warning: 'yellow', error: 'redBright' },
    });
  });

  it.each([
    [{ refresh: '10ms' }, /settings\.tui\.refresh: expected at least 50ms/],
    [{ refresh: 'soon' }, /settings\.tui\.refresh/],
    [{ log_lines: 5 }, /settings\.tui\.log_lines: expected a number ≥ 10/],
    [{ theme: { primary: 'navy' } }, /settings\.tui\.theme\.primary: expected #rrggbb/],
    [{ theme: { primary: '#12345' } }, /settings\.tui\.theme\.primary/],
    [{ theme: { accent: 'red' } }, /settings\.tui\.theme\.accent/],
    [{ colours: 'dark' }, /settings\.tui\.colours/],
  ])('refuses %j naming its path', (tui, message) => {
    expect(() => load({ tui })).toThrow(message);
  });
});
