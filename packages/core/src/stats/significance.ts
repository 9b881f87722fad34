import { type NpsCounts, type NpsResult, npsDifferenceZ, Z95 } from './nps.ts';
import { lnGamma, studentTCdf } from './student-t.ts';

/**
 * Significance tests for score changes between two periods or two groups (ANCHORS.md §3): NPS
 * difference z-test, two-proportion z-test (CSAT), Welch's t-test (CES and other means), the
 * adjusted-Wald NPS interval for small samples, and Holm / Benjamini–Hochberg adjustments for
 * many cells. Each result names its method so the UI can show which test it ran.
 */
export interface SignificanceResult {
  method: 'nps-z' | 'two-proportion-z' | 'welch-t';
  /** z or t statistic; sign follows a − b. */
  statistic: number;
  /** Degrees of freedom (Welch only). */
  df?: number;
  /** Two-sided p-value. */
  p: number;
  /** p < alpha (default 0.05). */
  significant: boolean;
}

/**
 * Regularised lower incomplete gamma P(a, x): series for x < a + 1, continued fraction otherwise
 * (Numerical Recipes §6.2). Used for the normal CDF because core has no dependencies.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnFront = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 500; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(lnFront);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnFront) * h;
}

/** Φ(z), the standard normal CDF, via Φ(z) = ½(1 + sign(z)·P(½, z²/2)). */
export function normalCdf(z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 1 : 0;
  const half = 0.5 * regularizedGammaP(0.5, (z * z) / 2);
  return z >= 0 ? 0.5 + half : 0.5 - half;
}

/** Two-sided p-value of a standard normal statistic, computed on the tail to keep precision. */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Two independent NPS (reuses `npsDifferenceZ`); null when either side has no data or no spread. */
export function npsDifferenceTest(a: NpsResult, b: NpsResult, alpha = 0.05): SignificanceResult | null {
  const z = npsDifferenceZ(a, b);
  if (z === null) return null;
  const p = normalTwoSidedP(z);
  return { method: 'nps-z', statistic: z, p, significant: p < alpha };
}

/**
 * Two-proportion z-test with the pooled proportion (e.g. CSAT of two groups):
 * z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)), p̄ = (x₁ + x₂)/(n₁ + n₂). Null when it is undefined
 * (an empty side, or p̄ of 0 or 1).
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  alpha = 0.05,
): SignificanceResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  const p = normalTwoSidedP(z);
  return { method: 'two-proportion-z', statistic: z, p, significant: p < alpha };
}

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
}

/**
 * Welch's t-test for two means with unequal variances: t = (x̄₁ − x̄₂)/√(s₁²/n₁ + s₂²/n₂), df by
 * Welch–Satterthwaite. Null when either side has n < 2 or both have zero spread.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary, alpha = 0.05): SignificanceResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se2 = va + vb;
  if (se2 === 0) return null;
  const t = (a.mean - b.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const p = Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  return { method: 'welch-t', statistic: t, df, p, significant: p < alpha };
}

export interface AdjustedWaldNps {
  method: 'adjusted-wald';
  /** Adjusted NPS in points, from (P + ¾)/(N + 3) − (D + ¾)/(N + 3). */
  nps: number;
  marginOfError95: number;
  ci95: [number, number];
}

/**
 * Adjusted-Wald interval for NPS at small n (Sauro & Lewis, MeasuringU "Confidence intervals for
 * Net Promoter Scores"): add ¾ to promoters and to detractors and 3 to n, then use the Wald
 * interval with Var = p + d − (p − d)². It keeps reasonable coverage where the plain Wald interval
 * is too narrow, and is defined even at n = 0.
 */
export function adjustedWaldNps(counts: NpsCounts, z = Z95): AdjustedWaldNps {
  const n = counts.promoters + counts.passives + counts.detractors + 3;
  const p = (counts.promoters + 0.75) / n;
  const d = (counts.detractors + 0.75) / n;
  const variance = Math.max(0, p + d - (p - d) ** 2);
  const nps = 100 * (p - d);
  const marginOfError95 = z * Math.sqrt(variance / n) * 100;
  return {
    method: 'adjusted-wald',
    nps,
    marginOfError95,
    ci95: [Math.max(-100, nps - marginOfError95), Math.min(100, nps + marginOfError95)],
  };
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate): sorted ascending,
 * p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1)·p₍ⱼ₎). Returned in the input order, as R's p.adjust("holm").
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg adjustment (controls the false discovery rate): sorted ascending,
 * p̃₍ᵢ₎ = min_{j≥i} min(1, m·p₍ⱼ₎/j). Returned in the input order, as R's p.adjust("BH").
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const [p, i] = order[rank]!;
    running = Math.min(running, Math.min(1, (m * p) / (rank + 1)));
    out[i] = running;
  }
  return out;
}
