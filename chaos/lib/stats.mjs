// Figures for the results: medians and spreads, and the slope of a least-squares line.

/** Median, p90 (nearest rank), min, max and count of `samples`, rounded to integers. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, median: null, p90: null, min: null, max: null };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p90 = sorted[Math.min(n - 1, Math.max(0, Math.ceil(0.9 * n) - 1))];
  return {
    n,
    median: Math.round(median),
    p90: Math.round(p90),
    min: Math.round(sorted[0]),
    max: Math.round(sorted[n - 1]),
  };
}

/** The slope of the least-squares line through the points (x, y); null with fewer than 2. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? null : num / den;
}
