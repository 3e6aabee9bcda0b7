/**
 * The colours the dashboard paints with: `settings.tui.theme`'s four, by the role each plays,
 * or none at all (`NO_COLOR`), when symbols and marks still say what colour would. A colour
 * the terminal lacks (`#3b82f6` on a 16-colour one) is shown as the nearest it has.
 */
import { DEFAULT_THEME, type ThemeColours } from '../core/dashboard-settings.js';

/** What a colour says: look here first, all is well, on its way, needs a look. */
export type Role = keyof ThemeColours;

export interface Theme {
  readonly colours: ThemeColours;
  /** Off with `NO_COLOR`: text is plain, dimming included. */
  readonly colour: boolean;
}

export function themeOf(
  colours: ThemeColours = DEFAULT_THEME,
  env: NodeJS.ProcessEnv = process.env,
): Theme {
  return { colours, colour: !noColour(env) };
}

/** A theme that paints nothing: for `NO_COLOR`, and for tests that read the screen's text. */
export const PLAIN_THEME: Theme = { colours: DEFAULT_THEME, colour: false };

/** The colour of a role, or none when colour is off. */
export function colourOf(theme: Theme, role: Role | undefined): string | undefined {
  return theme.colour && role !== undefined ? theme.colours[role] : undefined;
}

/** `NO_COLOR` set to anything but the empty string turns colours off (no-color.org). */
function noColour(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
