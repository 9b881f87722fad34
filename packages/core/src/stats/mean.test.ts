import { describe, expect, it } from 'vitest';
import { meanInterval, meanOf } from './mean.ts';

describe('mean with t interval (CES)', () => {
  it('computes x̄ ± t(.975, n−1)·s/√n by hand for 1..7', () => {
    // mean 4, s = √(28/6) = 2.16025, t(.975, 6) = 2.4469 (t table) → half-width 1.99786.
    const r = meanOf([1, 2, 3, 4, 5, 6, 7]);
    expect(r.mean).toBe(4);
    expect(r.sd).toBeCloseTo(2.16025, 5);
    expect(r.ci95![0]).toBeCloseTo(4 - 1.99786, 4);
    expect(r.ci95![1]).toBeCloseTo(4 + 1.99786, 4);
  });

  it('uses t(.975, 29) = 2.0452 at n = 30 (t table)', () => {
    const r = meanInterval(30, 5, 1.5);
    expect(r.ci95![1] - 5).toBeCloseTo((2.0452 * 1.5) / Math.sqrt(30), 4);
  });

  it('gives no interval for one answer and nothing for none', () => {
    expect(meanOf([6])).toEqual({ n: 1, mean: 6, sd: null, ci95: null });
    expect(meanOf([])).toEqual({ n: 0, mean: null, sd: null, ci95: null });
  });
});
