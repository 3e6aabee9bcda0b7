/**
 * A line of a process's output as one line of screen: what it wrote may hold tabs,
 * carriage returns (a progress bar's redraws) and terminal escapes (colours, cursor moves).
 * Drawn as they are, they would move the cursor, break the width of every line after them,
 * and let a search match inside an escape. Tabs become spaces, a carriage return keeps what
 * was written after it (as a terminal shows it), escapes and other control characters go.
 */

/** CSI (`ESC [ … letter`), OSC (`ESC ] … BEL` or `ESC \`) and two-character escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is removed
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function screenText(text: string): string {
  const lastRedraw = text.replace(/\r+$/, '').split('\r').at(-1) ?? '';
  return lastRedraw.replace(ESCAPES, '').replace(/\t/g, '    ').replace(CONTROLS, '');
}
