/**
 * The footer's one-line prompts: the filter being typed, the signal to send, how many
 * instances, and a yes/no before stopping more than one row. Editing is pure: a key gives the
 * next text, or says the prompt is done or given up.
 */
import type { Key } from 'ink';
import type { Reach, Verb } from './actions.js';

export type Prompt =
  | { readonly kind: 'filter'; readonly text: string }
  | {
      readonly kind: 'argument';
      readonly verb: 'signal' | 'scale';
      readonly reach: Reach;
      readonly text: string;
    }
  | { readonly kind: 'confirm'; readonly verb: Verb; readonly reach: Reach };

export type Edit =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'done'; readonly text: string }
  | { readonly type: 'cancel' };

/** One key typed into a line: Enter ends it, Esc gives it up, Backspace takes a character back. */
export function editLine(text: string, input: string, key: Key): Edit {
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'done', text };
  if (key.backspace || key.delete) return { type: 'text', text: text.slice(0, -1) };
  if (key.ctrl || key.meta || input === '' || hasControl(input)) {
    return { type: 'text', text };
  }
  return { type: 'text', text: text + input };
}

/** `y` (or `Y`) goes on; any other key gives up. */
export function confirmed(input: string): boolean {
  return input === 'y' || input === 'Y';
}

/** Keys that are not characters (arrows, function keys) reach the line as control codes. */
function hasControl(input: string): boolean {
  return [...input].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}
