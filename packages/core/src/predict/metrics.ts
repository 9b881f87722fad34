/**
 * Quality measures of a binary classifier's scores (issue 6 model card, ANCHORS §6): ROC AUC,
 * Brier score, reliability by deciles, lift in the top decile and precision at k. `y` is 1 for the
 * positive class; scores are probabilities (AUC only needs their order).
 */

/** Row indexes ordered by ascending score. */
function orderByScore(score: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(score.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => score[a]! - score[b]! || a - b);
}

/**
 * ROC AUC as the Mann–Whitney statistic: (R₊ − n₊(n₊+1)/2) / (n₊·n₋), with R₊ the sum of the
 * positives' ranks and tied scores given their average rank — so a tie between a positive and a
 * negative counts ½, as in scikit-learn's `roc_auc_score`. NaN when one class is absent.
 */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = orderByScore(score);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    const s = score[order[i]!]!;
    while (j + 1 < n && score[order[j + 1]!] === s) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (y[order[t]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean squared difference between predicted probability and outcome (0 = perfect). */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / y.length;
}

export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed positive rate in the bin. */
  observed: number;
  n: number;
}

/**
 * Reliability table: rows sorted by prediction and cut into `bins` groups of (nearly) equal size —
 * deciles by default. A calibrated model has predicted ≈ observed in every bin.
 */
export function calibrationBins(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const n = y.length;
  const order = orderByScore(p);
  const out: CalibrationBin[] = [];
  const k = Math.min(bins, n);
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * n) / k);
    const to = Math.floor(((b + 1) * n) / k);
    let sp = 0;
    let sy = 0;
    for (let i = from; i < to; i++) {
      sp += p[order[i]!]!;
      sy += y[order[i]!]!;
    }
    const m = to - from;
    if (m > 0) out.push({ predicted: sp / m, observed: sy / m, n: m });
  }
  return out;
}

/** Share of positives among the k highest-scored rows (ties broken by row order). */
export function precisionAtK(y: ArrayLike<number>, p: ArrayLike<number>, k: number): number {
  const n = y.length;
  const kk = Math.max(1, Math.min(n, Math.floor(k)));
  const order = orderByScore(p);
  let pos = 0;
  for (let i = n - 1; i >= n - kk; i--) pos += y[order[i]!]!;
  return pos / kk;
}

/**
 * Lift at the top decile: positive rate among the ⌈n/10⌉ highest-scored rows ÷ overall positive rate.
 * 1 = no better than random; a perfect model reaches min(10, 1/base rate).
 */
export function liftTopDecile(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  if (pos === 0) return Number.NaN;
  return precisionAtK(y, p, Math.ceil(n / 10)) / (pos / n);
}
