/**
 * Net Promoter Score (DESIGN.md §4, ANCHORS.md §3). Promoters answer 9–10, passives 7–8,
 * detractors 0–6 on the 0–10 scale; a response without a score is not counted in n (the caller
 * filters `nps is not null`), unlike CustomerGauge, because "no answer" is not an answer of 0.
 */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult extends NpsCounts {
  n: number;
  /** −100..100; null when n = 0. */
  nps: number | null;
  /** Variance of the +1/0/−1 scored answers: p + d − (p − d)². */
  variance: number | null;
  /** 95 % margin in NPS points: 1.96·√(Var/n)·100 (normal approximation). */
  marginOfError95: number | null;
  /** [nps − margin, nps + margin], clipped to −100..100. */
  ci95: [number, number] | null;
}

export const Z95 = 1.959963984540054;

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

export function npsCategory(score: number): NpsCategory {
  if (!Number.isInteger(score) || score < 0 || score > 10)
    throw new RangeError(`NPS score must be 0–10, got ${score}`);
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export function countNps(scores: Iterable<number>): NpsCounts {
  const c: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) {
    const k = npsCategory(s);
    if (k === 'promoter') c.promoters++;
    else if (k === 'passive') c.passives++;
    else c.detractors++;
  }
  return c;
}

export function npsFromCounts(counts: NpsCounts): NpsResult {
  const { promoters, passives, detractors } = counts;
  const n = promoters + passives + detractors;
  if (n === 0) return { ...counts, n, nps: null, variance: null, marginOfError95: null, ci95: null };
  const p = promoters / n;
  const d = detractors / n;
  const nps = 100 * (p - d);
  const variance = Math.max(0, p + d - (p - d) ** 2);
  const marginOfError95 = Z95 * Math.sqrt(variance / n) * 100;
  return {
    ...counts,
    n,
    nps,
    variance,
    marginOfError95,
    ci95: [Math.max(-100, nps - marginOfError95), Math.min(100, nps + marginOfError95)],
  };
}

/**
 * Difference of two independent NPS: z = (NPS₁ − NPS₂)/100 ÷ √(Var₁/n₁ + Var₂/n₂); significant at
 * 95 % when |z| > 1.96 (ANCHORS.md §3).
 */
export function npsDifferenceZ(a: NpsResult, b: NpsResult): number | null {
  if (a.nps === null || b.nps === null || a.variance === null || b.variance === null) return null;
  const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
  if (se === 0) return null;
  return (a.nps - b.nps) / 100 / se;
}
