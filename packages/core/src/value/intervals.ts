import { Z95 } from '../stats/nps.ts';
import { normalTwoSidedP } from '../stats/significance.ts';

/**
 * Intervals for differences between two groups: of proportions (conversion, churn) and of means
 * (revenue, NPS points). The normal (Wald) forms work from aggregates the database computes; the
 * bootstrap is there for small samples and skewed values and is seeded, so results repeat.
 */
export interface Difference {
  /** a − b. */
  estimate: number;
  se: number;
  ci95: [number, number];
  /** Test statistic estimate / se (the pooled z for proportions). */
  z: number | null;
  /** Two-sided p-value of z. */
  p: number | null;
}

/** The normal-theory summary of an estimate: the interval ± 1.96·se and the two-sided p of z. */
export function waldDifference(estimate: number, se: number, z: number | null): Difference {
  return {
    estimate,
    se,
    ci95: [estimate - Z95 * se, estimate + Z95 * se],
    z,
    p: z === null ? null : normalTwoSidedP(z),
  };
}

/**
 * Difference of two proportions x₁/n₁ − x₂/n₂. Interval: Wald with the unpooled standard error
 * √(p₁q₁/n₁ + p₂q₂/n₂) (Agresti & Caffo 2000, eq. 1); test: the pooled two-proportion z
 * (p₁ − p₂)/√(p̄q̄(1/n₁ + 1/n₂)), the usual test of "no lift".
 */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number): Difference {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError('both groups need n > 0');
  if (x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2) throw new RangeError('successes must be within 0..n');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const estimate = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const pooled = (x1 + x2) / (n1 + n2);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = sePooled > 0 ? estimate / sePooled : null;
  return waldDifference(estimate, se, z);
}

export interface MeanSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
}

/** Difference of two independent means with the normal (Welch) standard error √(s₁²/n₁ + s₂²/n₂). */
export function meanDifference(a: MeanSummary, b: MeanSummary): Difference {
  if (!(a.n > 1 && b.n > 1)) throw new RangeError('both groups need n > 1');
  const estimate = a.mean - b.mean;
  const se = Math.sqrt((a.sd * a.sd) / a.n + (b.sd * b.sd) / b.n);
  const z = se > 0 ? estimate / se : null;
  return waldDifference(estimate, se, z);
}

/** sfc32 seeded by a small integer: a repeatable stream for the bootstrap. */
function rng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * Percentile bootstrap (Efron & Tibshirani 1993, §13.3) of mean(a) − mean(b): each resample draws
 * both groups with replacement; the interval is the 2.5th and 97.5th percentile of the resampled
 * differences. Meant for per-customer values already reduced in the database (thousands, not
 * millions of rows).
 */
export function bootstrapMeanDifference(
  a: readonly number[],
  b: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): { estimate: number; ci95: [number, number]; resamples: number } {
  if (a.length < 2 || b.length < 2) throw new RangeError('both groups need at least 2 values');
  const resamples = options.resamples ?? 1000;
  const next = rng(options.seed ?? 0);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const resampledMean = (xs: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(next() * xs.length)] as number;
    return s / xs.length;
  };
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) diffs[r] = resampledMean(a) - resampledMean(b);
  diffs.sort();
  const at = (q: number) => diffs[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return { estimate: mean(a) - mean(b), ci95: [at(0.025), at(0.975)], resamples };
}
