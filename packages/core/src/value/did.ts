import { waldDifference } from './intervals.ts';

/**
 * Difference-in-differences (Card & Krueger 1994; Angrist & Pischke 2009, ch. 5): with a treated
 * group T and a comparison group C, each observed before and after,
 *
 *   DiD = (T_after − T_before) − (C_after − C_before)
 *
 * The four cells are treated as independent samples (different customers or different answers per
 * cell), so Var(DiD) = Σ Var(cell mean). Identification rests on parallel trends: without the
 * campaign, T would have moved like C. That assumption is the user's to defend; the result says so.
 */
export interface DidCell {
  /** Mean of the cell (a rate, a mean score, NPS as a share −1..1, …). */
  mean: number;
  /** Variance of one observation in the cell (p(1 − p) for a rate, p + d − (p − d)² for NPS). */
  variance: number;
  n: number;
}

export interface DidResult {
  estimate: number;
  se: number;
  ci95: [number, number];
  z: number | null;
  p: number | null;
  treatedChange: number;
  comparisonChange: number;
}

export function differenceInDifferences(cells: {
  treatedBefore: DidCell;
  treatedAfter: DidCell;
  comparisonBefore: DidCell;
  comparisonAfter: DidCell;
}): DidResult {
  for (const [name, c] of Object.entries(cells)) {
    if (!(c.n > 0)) throw new RangeError(`${name} has no observations`);
  }
  const { treatedBefore: tb, treatedAfter: ta, comparisonBefore: cb, comparisonAfter: ca } = cells;
  const treatedChange = ta.mean - tb.mean;
  const comparisonChange = ca.mean - cb.mean;
  const estimate = treatedChange - comparisonChange;
  const se = Math.sqrt(Object.values(cells).reduce((s, c) => s + Math.max(0, c.variance) / c.n, 0));
  const z = se > 0 ? estimate / se : null;
  return {
    ...waldDifference(estimate, se, z),
    treatedChange,
    comparisonChange,
  };
}

/** A rate cell: x successes out of n, variance p(1 − p). */
export function rateCell(x: number, n: number): DidCell {
  const p = n > 0 ? x / n : 0;
  return { mean: p, variance: p * (1 - p), n };
}
