import { Z95 } from './nps.ts';

/**
 * CSAT = share of top-two-box answers (4–5 on 1–5), with the Wilson score interval (Wilson 1927),
 * which stays inside 0..1 and behaves at small n and extreme shares where the Wald interval does not.
 */
export interface ShareResult {
  n: number;
  /** Answers in the top two boxes. */
  satisfied: number;
  /** 0..1; null when n = 0. */
  share: number | null;
  ci95: [number, number] | null;
}

export function isTopTwoBox(score: number): boolean {
  return score >= 4;
}

/** Wilson interval for x successes out of n at the normal quantile z. */
export function wilsonInterval(x: number, n: number, z = Z95): [number, number] {
  if (n <= 0) throw new RangeError('n must be > 0');
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function csatFromCounts(satisfied: number, n: number): ShareResult {
  if (n === 0) return { n, satisfied, share: null, ci95: null };
  return { n, satisfied, share: satisfied / n, ci95: wilsonInterval(satisfied, n) };
}
