/**
 * A series of numbers as a line of block characters (`▁▂▃▄▅▆▇█`), lowest to highest, so a
 * trend reads at a glance in one line of a terminal.
 */
const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as bars, scaled between the lowest and the highest of them; a
 * flat series is a row of the lowest bar. Fewer values than `width` give a shorter line.
 */
export function sparkline(values: readonly number[], width: number): string {
  const shown = width <= 0 ? [] : values.slice(-width);
  if (shown.length === 0) return '';
  const low = Math.min(...shown);
  const span = Math.max(...shown) - low;
  return shown
    .map((value) => {
      const step = span === 0 ? 0 : Math.round(((value - low) / span) * (BARS.length - 1));
      return BARS[step]!;
    })
    .join('');
}
