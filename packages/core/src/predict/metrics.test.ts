import { describe, expect, it } from 'vitest';
import { brierScore, calibrationBins, liftTopDecile, precisionAtK, rocAuc } from './metrics.ts';

describe('ROC AUC', () => {
  it('hand example with a tie: 3 positives, 3 negatives', () => {
    // Pairs (pos, neg): scores pos {0.9, 0.6, 0.4}, neg {0.6, 0.3, 0.1}.
    // 0.9 beats all 3; 0.6 ties one (½) and beats 2; 0.4 beats 2 → (3 + 2.5 + 2) / 9.
    const y = [1, 0, 1, 1, 0, 0];
    const s = [0.9, 0.6, 0.6, 0.4, 0.3, 0.1];
    expect(rocAuc(y, s)).toBeCloseTo(7.5 / 9, 12);
  });
  it('perfect, reversed, constant and one-class scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe('Brier, calibration, lift, precision@k', () => {
  it('Brier score by hand', () => {
    // (0.9−1)² + (0.2−0)² + (0.6−1)² + (0.5−0)² = 0.01 + 0.04 + 0.16 + 0.25 = 0.46 → /4
    expect(brierScore([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.5])).toBeCloseTo(0.115, 12);
  });
  it('calibration bins are equal-count groups by prediction', () => {
    const p = Array.from({ length: 20 }, (_, i) => i / 20);
    const y = p.map((_, i) => (i >= 10 ? 1 : 0));
    const bins = calibrationBins(y, p, 4);
    expect(bins.map((b) => b.n)).toEqual([5, 5, 5, 5]);
    expect(bins[0]).toEqual({ predicted: (0 + 1 + 2 + 3 + 4) / 100, observed: 0, n: 5 });
    expect(bins[3]!.observed).toBe(1);
    expect(bins[3]!.predicted).toBeCloseTo((15 + 16 + 17 + 18 + 19) / 100, 12);
  });
  it('lift at the top decile and precision@k', () => {
    // 20 rows, 4 positives (20 %); the top 2 (decile) are both positive → 100 % / 20 % = 5.
    const p = Array.from({ length: 20 }, (_, i) => i);
    const y = p.map((i) => (i === 19 || i === 18 || i === 3 || i === 0 ? 1 : 0));
    expect(liftTopDecile(y, p)).toBeCloseTo(5, 12);
    expect(precisionAtK(y, p, 4)).toBe(0.5);
    expect(precisionAtK(y, p, 1)).toBe(1);
  });
});
