/**
 * The check that a program gives the terminal back as it found it, on output written by
 * hand: every DEC private mode it changed must be back to a fresh terminal's setting.
 */
import { describe, expect, it } from 'vitest';
import { modesLeftChanged, modesRestored } from './terminal.js';

const ESC = '\u001b';

describe('modesLeftChanged', () => {
  it('is empty for output that changes no mode, or puts back each one it changed', () => {
    expect(modesLeftChanged('plain text\r\n')).toEqual([]);
    const dashboard = `${ESC}[?1049h${ESC}[?25l${ESC}[?2026hframe${ESC}[?2026l${ESC}[?25h${ESC}[?1049l`;
    expect(modesLeftChanged(dashboard)).toEqual([]);
    expect(modesRestored(dashboard)).toBe(true);
  });

  it('names each mode whose last setting is not the default: a hidden cursor, an alternate screen', () => {
    const raw = `${ESC}[?1049h${ESC}[?25l${ESC}[?2004h${ESC}[?2004l`;
    expect(modesLeftChanged(raw)).toEqual(['?1049h', '?25l']);
    expect(modesRestored(raw)).toBe(false);
  });

  it('reads several modes in one sequence, and judges only the last setting of each', () => {
    expect(modesLeftChanged(`${ESC}[?1049;1000h${ESC}[?1000l`)).toEqual(['?1049h']);
    expect(modesLeftChanged(`${ESC}[?25l${ESC}[?25h${ESC}[?25l`)).toEqual(['?25l']);
    // Autowrap (7) is on in a fresh terminal: turning it off is the change.
    expect(modesLeftChanged(`${ESC}[?7l`)).toEqual(['?7l']);
  });
});
