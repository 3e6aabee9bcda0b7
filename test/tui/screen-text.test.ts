import { describe, expect, it } from 'vitest';
import { screenText } from '../../src/tui/screen-text.js';

describe('a line of output as one line of screen', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a\tb', 'a    b'],
    ['\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[m', 'red and bold green'],
    ['downloading 10%\rdownloading 55%\rdownloading 100%', 'downloading 100%'],
    ['windows line\r', 'windows line'],
    ['\u001b]0;a title\u0007after a title', 'after a title'],
    ['cursor\u001b[2Aup\u001b[K', 'cursorup'],
    ['bell\u0007 and backspace\u0008', 'bell and backspace'],
  ])('%j shows as %j', (written, shown) => {
    expect(screenText(written)).toBe(shown);
  });
});
