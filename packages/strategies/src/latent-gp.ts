/**
 * A Gaussian process on the graph VAE's latent space, for Bayesian optimisation over the decoded
 * pool (D-VAE's use of its latent space, with an exact GP in place of their sparse one: a
 * campaign has at most a few hundred evaluated cells). Plain arrays: the matrices are at most a
 * few hundred wide and a Cholesky factorisation of that size takes milliseconds.
 */

/** Posterior of the GP at one point. */
export interface GpPosterior {
  mean: number;
  variance: number;
}

/** Hyperparameters chosen by marginal likelihood over a small grid. */
export interface GpHyperparameters {
  /** Squared-exponential length scale, in latent units. */
  lengthScale: number;
  /** Observation noise variance, in units of the standardised targets' variance. */
  noise: number;
}

/** Length scales tried, as multiples of the median distance between the training points. */
const LENGTH_SCALE_FACTORS = [0.25, 0.5, 1, 2, 4];
/** Noise variances tried (targets are standardised to unit variance). */
const NOISE_LEVELS = [1e-3, 1e-2, 0.1, 0.3];

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return sum;
}

/** Lower-triangular L with L Lᵀ = A (A symmetric positive definite), or null if it is not. */
function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const li = l[i] as number[];
    for (let j = 0; j <= i; j++) {
      const lj = l[j] as number[];
      let sum = (a[i] as readonly number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= (li[k] as number) * (lj[k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        li[i] = Math.sqrt(sum);
      } else {
        li[j] = sum / (lj[j] as number);
      }
    }
  }
  return l;
}

/** Solves L x = b (L lower triangular). */
function forward(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const x = new Array<number>(b.length).fill(0);
  for (let i = 0; i < b.length; i++) {
    const li = l[i] as readonly number[];
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (li[k] as number) * (x[k] as number);
    x[i] = sum / (li[i] as number);
  }
  return x;
}

/** Solves Lᵀ x = b (L lower triangular). */
function backward(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] as number;
    for (let k = i + 1; k < n; k++)
      sum -= ((l[k] as readonly number[])[i] as number) * (x[k] as number);
    x[i] = sum / ((l[i] as readonly number[])[i] as number);
  }
  return x;
}

/**
 * Exact GP regression with a squared-exponential kernel of unit signal variance on standardised
 * targets, and a constant mean (the targets' mean). `fit` picks the length scale and noise of
 * the grid above with the highest log marginal likelihood.
 */
export class LatentGp {
  private constructor(
    private readonly points: readonly (readonly number[])[],
    private readonly factor: number[][],
    private readonly alpha: number[],
    private readonly targetMean: number,
    private readonly targetStd: number,
    readonly hyperparameters: GpHyperparameters,
  ) {}

  /** Fits to `points` (latent vectors) and `targets`; at least two points. */
  static fit(
    points: readonly (readonly number[])[],
    targets: readonly number[],
    hyperparameters?: GpHyperparameters,
  ): LatentGp {
    if (points.length !== targets.length || points.length < 2) {
      throw new Error(`LatentGp.fit needs ≥ 2 points with one target each (got ${points.length})`);
    }
    const mean = targets.reduce((s, t) => s + t, 0) / targets.length;
    const variance = targets.reduce((s, t) => s + (t - mean) ** 2, 0) / targets.length;
    const std = Math.sqrt(variance) || 1;
    const y = targets.map((t) => (t - mean) / std);
    const distances: number[][] = points.map((p) => points.map((q) => squaredDistance(p, q)));
    const grid: GpHyperparameters[] = hyperparameters
      ? [hyperparameters]
      : gridAround(medianDistance(distances));
    let best: { gp: LatentGp; logLikelihood: number } | null = null;
    for (const h of grid) {
      const k = distances.map((row, i) =>
        row.map((d2, j) => Math.exp(-d2 / (2 * h.lengthScale ** 2)) + (i === j ? h.noise : 0)),
      );
      const l = cholesky(k);
      if (l === null) continue;
      const alpha = backward(l, forward(l, y));
      // log p(y) = -½ yᵀα - Σ log Lᵢᵢ - n/2 log 2π
      let logLikelihood = -0.5 * y.reduce((s, yi, i) => s + yi * (alpha[i] as number), 0);
      for (let i = 0; i < l.length; i++) logLikelihood -= Math.log((l[i] as number[])[i] as number);
      if (best === null || logLikelihood > best.logLikelihood) {
        best = { gp: new LatentGp(points, l, alpha, mean, std, h), logLikelihood };
      }
    }
    if (best === null) throw new Error("LatentGp.fit: no kernel matrix of the grid factorised");
    return best.gp;
  }

  /** Posterior mean and variance (in the targets' units) at each point. */
  predict(points: readonly (readonly number[])[]): GpPosterior[] {
    const { lengthScale } = this.hyperparameters;
    return points.map((x) => {
      const k = this.points.map((p) => Math.exp(-squaredDistance(x, p) / (2 * lengthScale ** 2)));
      const mean = k.reduce((s, ki, i) => s + ki * (this.alpha[i] as number), 0);
      const v = forward(this.factor, k);
      const variance = Math.max(1e-12, 1 - v.reduce((s, vi) => s + vi * vi, 0));
      return {
        mean: this.targetMean + this.targetStd * mean,
        variance: variance * this.targetStd ** 2,
      };
    });
  }
}

function medianDistance(squared: readonly (readonly number[])[]): number {
  const values: number[] = [];
  squared.forEach((row, i) => {
    for (let j = i + 1; j < row.length; j++) values.push(Math.sqrt(row[j] as number));
  });
  values.sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)] ?? 1;
  return median > 0 ? median : 1;
}

function gridAround(median: number): GpHyperparameters[] {
  return LENGTH_SCALE_FACTORS.flatMap((factor) =>
    NOISE_LEVELS.map((noise) => ({ lengthScale: factor * median, noise })),
  );
}

/** Standard normal density and distribution function (Abramowitz-Stegun 7.1.26 for erf). */
function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const erf =
    1 -
    t *
      (0.254829592 +
        t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected improvement over `best` (maximisation) of a Gaussian posterior. */
export function expectedImprovement(posterior: GpPosterior, best: number): number {
  const sd = Math.sqrt(posterior.variance);
  const gain = posterior.mean - best;
  if (sd < 1e-9) return Math.max(0, gain);
  const z = gain / sd;
  return gain * normalCdf(z) + sd * normalPdf(z);
}

/**
 * Chooses `count` of `candidates` (latent points) by expected improvement, one at a time with the
 * kriging believer: each chosen point joins the GP's data with its posterior mean as if measured
 * (hyperparameters kept), so that the next choice looks elsewhere. `priorMeans` (one per
 * candidate, and `observedPriorMeans` one per observed point) makes the GP model the residual of
 * a prior model (the graph VAE's predictor) instead of the targets themselves. Returns indices.
 */
export function chooseByExpectedImprovement(
  observed: { points: readonly (readonly number[])[]; targets: readonly number[] },
  candidates: readonly (readonly number[])[],
  count: number,
  priors?: { observed: readonly number[]; candidates: readonly number[] },
): number[] {
  const points = [...observed.points];
  const residuals = observed.targets.map((t, i) => t - (priors?.observed[i] ?? 0));
  const priorOf = (i: number) => priors?.candidates[i] ?? 0;
  const best = Math.max(...observed.targets);
  let gp = LatentGp.fit(points, residuals);
  const hyperparameters = gp.hyperparameters;
  const chosen: number[] = [];
  let incumbent = best;
  while (chosen.length < Math.min(count, candidates.length)) {
    const posteriors = gp.predict(candidates);
    let pick = -1;
    let pickValue = Number.NEGATIVE_INFINITY;
    posteriors.forEach((posterior, i) => {
      if (chosen.includes(i)) return;
      const value = expectedImprovement(
        { mean: posterior.mean + priorOf(i), variance: posterior.variance },
        incumbent,
      );
      if (value > pickValue) {
        pick = i;
        pickValue = value;
      }
    });
    if (pick < 0) break;
    chosen.push(pick);
    const believed = posteriors[pick] as GpPosterior;
    points.push(candidates[pick] as readonly number[]);
    residuals.push(believed.mean);
    incumbent = Math.max(incumbent, believed.mean + priorOf(pick));
    gp = LatentGp.fit(points, residuals, hyperparameters);
  }
  return chosen;
}
