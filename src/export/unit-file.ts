/** systemd unit files as text: sections of `Key=value` lines, values quoted as systemd reads them. */

export type UnitSection = readonly (readonly [string, string | number | undefined])[];

/** A unit's text: each section with the entries that have a value. */
export function unitText(sections: Readonly<Record<string, UnitSection>>): string {
  return Object.entries(sections)
    .filter(([, entries]) => entries.some(([, value]) => value !== undefined))
    .map(
      ([name, entries]) =>
        `[${name}]\n${entries
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${key}=${oneLine(String(value))}`)
          .join('\n')}\n`,
    )
    .join('\n');
}

/**
 * A value kept on its line: a line break in it (a `description: |` of several lines) would
 * start a line systemd reads as another setting.
 */
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * Text systemd must take as written: `%` doubled, since it reads `%x` as a specifier in
 * nearly every setting (Description=, WorkingDirectory=, paths, commands, environment).
 */
export function literal(text: string): string {
  return text.replaceAll('%', '%%');
}

/** One word in double quotes, as systemd unquotes it (C escapes). */
function quotedWord(escaped: string): string {
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** One word of `ExecStart=`: quoted when it holds what systemd would split or expand. */
export function execWord(word: string): string {
  const escaped = literal(word).replace(/\$/g, '$$$$');
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped;
  return quotedWord(escaped);
}

/** `Environment=` of one variable: `"KEY=value"`, with `%` specifiers and quotes escaped. */
export function environmentEntry(key: string, value: string): string {
  return quotedWord(literal(`${key}=${value}`));
}

/** Whole seconds, or ms when they do not divide: as `RestartSec=` and its kin read them. */
export function timeSpan(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
