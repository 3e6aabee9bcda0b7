/**
 * `settings.tui` of overseer.yaml: how the dashboard refreshes, how many lines its log pane
 * keeps, and the colours it paints with. Plain data, so the config layer can fill it and the
 * dashboard read it without knowing of each other.
 */

/** The four colours a theme names: an ink colour name (`blue`, `redBright`) or `#rrggbb`. */
export interface ThemeColours {
  /** Titles, the selection, scheduled processes: what the eye should find first. */
  readonly primary: string;
  /** Running, healthy. */
  readonly success: string;
  /** On its way: pending, starting, stopping; a degraded stack. */
  readonly warning: string;
  /** Needs a look: backoff, failed, unhealthy; stderr in the log pane; failed actions. */
  readonly error: string;
}

export interface DashboardSettings {
  /** At most one read of the rows, and one redraw of the log pane, per this many ms. */
  readonly refreshMs: number;
  /** Lines the log pane keeps in memory; older ones are read back from the log files. */
  readonly logLines: number;
  readonly theme: ThemeColours;
}

/** The terminal's own four: they follow its palette, light or dark. */
export const DEFAULT_THEME: ThemeColours = {
  primary: 'blue',
  success: 'green',
  warning: 'yellow',
  error: 'red',
};

export const DEFAULT_DASHBOARD_SETTINGS: DashboardSettings = {
  refreshMs: 500,
  logLines: 500,
  theme: DEFAULT_THEME,
};

/** The colour names every terminal has, in ink's spelling (chalk's). */
export const COLOUR_NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'grey',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
] as const;

/** `#rgb` or `#rrggbb`: the terminal shows the nearest colour it has. */
export const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
