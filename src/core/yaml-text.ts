/**
 * Plain data written as YAML lines, the way a person writes overseer.yaml: nested maps in
 * blocks, lists in brackets (`exit_codes: [0]`), a string in quotes only when
 * YAML would read it as something else (`"on"`, `"80"`, `"a: b"`). For showing a config,
 * not for machines: `undefined` values are left out.
 */

/** What can be written: scalars, lists and maps of them. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue };

const INDENT = '  ';

/** The lines of a map, each key at the left margin. */
export function yamlLines(map: { readonly [key: string]: YamlValue }): string[] {
  return entryLines(map, '');
}

function entryLines(map: { readonly [key: string]: YamlValue }, indent: string): string[] {
  return Object.entries(map).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const label = `${indent}${scalarText(key)}:`;
    if (isMap(value) && Object.values(value).some((item) => item !== undefined)) {
      return [label, ...entryLines(value, indent + INDENT)];
    }
    return [`${label} ${inlineText(value)}`];
  });
}

/** A value on one line: a scalar, `[a, b]`, `{}`, or `{a: 1}` for a map within a list. */
function inlineText(value: YamlValue): string {
  if (Array.isArray(value)) return `[${value.map(inlineText).join(', ')}]`;
  if (isMap(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${scalarText(key)}: ${inlineText(item)}`).join(', ')}}`;
  }
  return scalarText(value as string | number | boolean | null);
}

/** Words YAML reads as a boolean, null or a number rather than as text. */
const SPECIAL_WORDS = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?\.(?:inf|nan))$/i;
/** What reads as text unquoted: no indicator first, no `:`, `#`, brackets or quotes after. */
const PLAIN = /^[A-Za-z0-9_./$(][^:#{}[\],'"`]*$/;

/** A line break, a tab or any other control character: only a quoted string keeps it on one line. */
function hasControl(value: string): boolean {
  return [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function scalarText(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    PLAIN.test(value) &&
    !hasControl(value) &&
    value.trim() === value &&
    !SPECIAL_WORDS.test(value) &&
    Number.isNaN(Number(value));
  return plain ? value : JSON.stringify(value);
}

function isMap(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
