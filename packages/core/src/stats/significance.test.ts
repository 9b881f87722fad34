import { describe, expect, it } from 'vitest';
import { npsFromCounts } from './nps.ts';
import {
  adjustedWaldNps,
  benjaminiHochbergAdjust,
  holmAdjust,
  normalCdf,
  normalTwoSidedP,
  npsDifferenceTest,
  twoProportionZTest,
  welchTTest,
} from './significance.ts';

describe('normal CDF', () => {
  // Reference values: scipy.stats.norm.cdf / norm.sf (SciPy 1.17).
  it.each([
    [1.96, 0.9750021048517795],
    [-3, 0.0013498980316300933],
    [0.5, 0.6914624612740131],
    [0, 0.5],
  ])('Φ(%f) = %f', (z, want) => {
    expect(normalCdf(z)).toBeCloseTo(want, 12);
  });

  it('keeps precision in the far tail (2·sf(6) = 1.973e-9)', () => {
    expect(normalTwoSidedP(6) / 1.973175290075389e-9).toBeCloseTo(1, 9);
    expect(normalTwoSidedP(-6)).toBe(normalTwoSidedP(6));
  });
});

describe('NPS difference z-test', () => {
  it('turns the ANCHORS.md §3 z into a two-sided p', () => {
    // p = .5, d = .2 (NPS 30) vs p = .4, d = .3 (NPS 10), n = 400 each:
    // Var₁ = .7 − .09 = .61, Var₂ = .7 − .01 = .69, z = .2/√(1.3/400) = 3.5082.
    const a = npsFromCounts({ promoters: 200, passives: 120, detractors: 80 });
    const b = npsFromCounts({ promoters: 160, passives: 120, detractors: 120 });
    const r = npsDifferenceTest(a, b)!;
    expect(r.method).toBe('nps-z');
    expect(r.statistic).toBeCloseTo(0.2 / Math.sqrt(1.3 / 400), 10);
    expect(r.p).toBeCloseTo(0.000451, 5);
    expect(r.significant).toBe(true);
    expect(npsDifferenceTest(a, npsFromCounts({ promoters: 0, passives: 0, detractors: 0 }))).toBeNull();
  });
});

describe('two-proportion z-test', () => {
  it('matches the pooled z by hand: 45/100 vs 30/100 → z = 2.19089, p = 0.028460 (scipy norm.sf)', () => {
    const r = twoProportionZTest(45, 100, 30, 100)!;
    expect(r.statistic).toBeCloseTo(2.1908902300206647, 12);
    expect(r.p).toBeCloseTo(0.02845973691631055, 10);
    expect(r.significant).toBe(true);
    expect(twoProportionZTest(30, 100, 45, 100)!.statistic).toBeCloseTo(-2.1908902300206647, 12);
  });

  it('is undefined for an empty side or no variation', () => {
    expect(twoProportionZTest(1, 0, 2, 5)).toBeNull();
    expect(twoProportionZTest(5, 5, 7, 7)).toBeNull();
  });
});

describe('Welch t-test', () => {
  // Wikipedia "Welch's t-test", example 1 (A₁ vs A₂); checked with scipy.stats.ttest_ind(equal_var=False):
  // t = −2.455356, df = 24.98853, p = 0.021378.
  it('reproduces t, Welch–Satterthwaite df and p', () => {
    const r = welchTTest(
      { n: 15, mean: 20.82, sd: 2.8048936827317665 },
      { n: 15, mean: 22.986666666666665, sd: 1.9526050974702152 },
    )!;
    expect(r.method).toBe('welch-t');
    expect(r.statistic).toBeCloseTo(-2.455356398286006, 8);
    expect(r.df).toBeCloseTo(24.988529290231416, 8);
    expect(r.p).toBeCloseTo(0.021378001462866992, 8);
    expect(r.significant).toBe(true);
  });

  it('is null when a side has fewer than 2 answers or there is no spread', () => {
    expect(welchTTest({ n: 1, mean: 3, sd: 0 }, { n: 10, mean: 4, sd: 1 })).toBeNull();
    expect(welchTTest({ n: 5, mean: 3, sd: 0 }, { n: 5, mean: 4, sd: 0 })).toBeNull();
  });
});

describe('adjusted-Wald NPS interval', () => {
  it('adds ¾ to promoters and detractors and 3 to n (by hand: 8/1/1 → 53.846 ± 39.114)', () => {
    const r = adjustedWaldNps({ promoters: 8, passives: 1, detractors: 1 });
    expect(r.method).toBe('adjusted-wald');
    expect(r.nps).toBeCloseTo(53.846153846153854, 10);
    expect(r.marginOfError95).toBeCloseTo(39.11443749824918, 10);
    expect(r.ci95[0]).toBeCloseTo(14.731716347904673, 10);
    expect(r.ci95[1]).toBeCloseTo(92.96059134440304, 10);
  });

  it('is defined at n = 0 (centred on 0)', () => {
    const r = adjustedWaldNps({ promoters: 0, passives: 0, detractors: 0 });
    expect(r.nps).toBe(0);
    expect(r.marginOfError95).toBeGreaterThan(0);
  });
});

describe('multiple-testing adjustments', () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.02];

  it('Holm (by hand, as R p.adjust "holm")', () => {
    // sorted 0.005, 0.01, 0.02, 0.03, 0.04, 0.2 × 6..1 = 0.03, 0.05, 0.08, 0.09, 0.08, 0.2 → running max.
    const want = [0.05, 0.09, 0.09, 0.03, 0.2, 0.08];
    for (const [i, v] of holmAdjust(p).entries()) expect(v).toBeCloseTo(want[i]!, 12);
  });

  it('Benjamini–Hochberg (scipy.stats.false_discovery_control)', () => {
    const want = [0.03, 0.048, 0.045, 0.03, 0.2, 0.04];
    for (const [i, v] of benjaminiHochbergAdjust(p).entries()) expect(v).toBeCloseTo(want[i]!, 12);
  });

  it('caps at 1 and handles an empty list', () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(benjaminiHochbergAdjust([])).toEqual([]);
  });
});
