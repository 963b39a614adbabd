/**
 * Rank correlations for predictor quality: Kendall's tau-b and Spearman's rho, both handling
 * ties. O(n^2) tau is fine for the ~1,000-point sets the model-quality bench scores.
 */

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new Error(`rank correlation needs paired samples, got ${x.length} and ${y.length}`);
  }
}

/**
 * Kendall's tau-b: (concordant - discordant) / sqrt((n0 - tiesX) (n0 - tiesY)), n0 = n(n-1)/2,
 * tiesX / tiesY = pairs tied in x / in y (a pair tied in both counts in both). NaN when either
 * side is constant (or n < 2).
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign((x[j] as number) - xi);
      const dy = Math.sign((y[j] as number) - yi);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx === 0 || dy === 0) continue;
      if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  return denominator > 0 ? (concordant - discordant) / denominator : Number.NaN;
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && order[end]?.value === order[start]?.value) end++;
    // Positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[(order[k] as { index: number }).index] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side is constant (or n < 2). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2) return Number.NaN;
  const meanX = x.reduce((a, b) => a + b, 0) / n;
  const meanY = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const denominator = Math.sqrt(sxx * syy);
  return denominator > 0 ? sxy / denominator : Number.NaN;
}

/** Spearman's rho: Pearson correlation of the average ranks (the tie-correct form). */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}
