import { describe, expect, it } from 'vitest';
import { churnWithin, clv, clvMultiple, monthlyClv, monthlyDiscountRate } from './clv.ts';
import { differenceInDifferences, rateCell } from './did.ts';
import { bootstrapMeanDifference, meanDifference, proportionDifference } from './intervals.ts';
import { campaignRoi, revenueAtRisk, roi, valueOfMove } from './money.ts';

describe('CLV (Gupta & Lehmann 2003, "Customers as assets", CLV = m·r/(1+i−r))', () => {
  it('reproduces the margin multiples of their table: r = 90 %, i = 10 % → 4.5; r = 80 %, i = 12 % → 2.5', () => {
    expect(clvMultiple(0.9, 0.1)).toBeCloseTo(4.5, 12);
    expect(clvMultiple(0.8, 0.12)).toBeCloseTo(2.5, 12);
    expect(clv(100, 0.9, 0.1)).toBeCloseTo(450, 10);
  });

  it('works monthly: 10 % a year is 0.797 % a month; m = 20, churn 2 % a month → 700.65 (by hand)', () => {
    expect(monthlyDiscountRate(0.1)).toBeCloseTo(0.00797414, 8);
    // 20 · 0.98 / (1 + 0.0079741 − 0.98) = 19.6 / 0.0279741 = 700.647
    expect(monthlyClv(20, 0.02, 0.1)).toBeCloseTo(700.647, 3);
    // Without discounting it tends to m·r/(1−r) = m·(expected months − 1)…: 20·0.98/0.02 = 980
    expect(monthlyClv(20, 0.02, 0)).toBeCloseTo(980, 9);
  });

  it('turns a monthly churn probability into a 12-month one: 1 − 0.98¹² = 1 − 0.784717 = 0.215283', () => {
    expect(churnWithin(0.02, 12)).toBeCloseTo(0.215283, 6);
  });

  it('refuses impossible inputs', () => {
    expect(() => clvMultiple(1.2, 0.1)).toThrow(/retention/);
    expect(() => clvMultiple(1, 0)).toThrow(/1 \+ discount/);
    expect(() => churnWithin(-0.1, 12)).toThrow(/monthly churn/);
  });
});

describe('revenue at risk = Σ P(churn) × value (DESIGN.md §4)', () => {
  it('sums probability times value: 0.1·1000 + 0.5·200 = 200', () => {
    expect(
      revenueAtRisk([
        { probability: 0.1, value: 1000 },
        { probability: 0.5, value: 200 },
      ]),
    ).toBeCloseTo(200, 12);
    expect(() => revenueAtRisk([{ probability: 2, value: 1 }])).toThrow(/probability/);
  });
});

describe('campaign ROI = (incremental margin − spend) / spend', () => {
  it('maps the lift interval onto the ROI interval (hand example)', () => {
    expect(roi(15_000, 10_000)).toBeCloseTo(0.5, 12);
    // lift 0.10 [0.05, 0.15] on 1,000 treated at 200 per conversion, spend 10,000:
    // margin 20,000 → ROI 1.0; ends 10,000 → 0.0 and 30,000 → 2.0.
    const r = campaignRoi({
      lift: 0.1,
      liftCi95: [0.05, 0.15],
      treated: 1000,
      valuePerConversion: 200,
      spend: 10_000,
    });
    expect(r.incrementalConversions).toBeCloseTo(100, 9);
    expect(r.incrementalMargin).toBeCloseTo(20_000, 9);
    expect(r.roi).toBeCloseTo(1, 12);
    expect(r.ci95[0]).toBeCloseTo(0, 12);
    expect(r.ci95[1]).toBeCloseTo(2, 12);
    expect(() => roi(1, 0)).toThrow(/spend/);
  });
});

describe('two-proportion lift (Agresti & Caffo 2000 Wald interval; pooled z test)', () => {
  it('60/100 vs 40/100: +0.20, SE 0.0693, 95 % CI [0.0642, 0.3358], z = 2.828, p = 0.0047 (by hand)', () => {
    const d = proportionDifference(60, 100, 40, 100);
    expect(d.estimate).toBeCloseTo(0.2, 12);
    expect(d.se).toBeCloseTo(0.069282, 6);
    expect(d.ci95[0]).toBeCloseTo(0.06421, 5);
    expect(d.ci95[1]).toBeCloseTo(0.33579, 5);
    expect(d.z).toBeCloseTo(2.828427, 6);
    expect(d.p).toBeCloseTo(0.004678, 5);
  });

  it('has no test statistic when nobody (or everybody) converted', () => {
    expect(proportionDifference(0, 10, 0, 10).z).toBeNull();
    expect(() => proportionDifference(1, 0, 1, 10)).toThrow(/n > 0/);
  });
});

describe('difference in means (Welch SE) and the percentile bootstrap (Efron & Tibshirani 1993 §13.3)', () => {
  it('normal interval by hand: 10 − 8, s = 2 and 3, n = 50 each → SE √(0.08 + 0.18) = 0.5099', () => {
    const d = meanDifference({ n: 50, mean: 10, sd: 2 }, { n: 50, mean: 8, sd: 3 });
    expect(d.estimate).toBe(2);
    expect(d.se).toBeCloseTo(0.509902, 6);
    expect(d.ci95[0]).toBeCloseTo(2 - 1.959964 * 0.509902, 5);
  });

  it('bootstrap agrees with the normal interval on a large symmetric sample and repeats with its seed', () => {
    const a = Array.from({ length: 400 }, (_, i) => (i % 20) + 5);
    const b = Array.from({ length: 400 }, (_, i) => (i % 10) + 5);
    const sd = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    };
    const normal = meanDifference({ n: 400, mean: 14.5, sd: sd(a) }, { n: 400, mean: 9.5, sd: sd(b) });
    const boot = bootstrapMeanDifference(a, b, { resamples: 2000, seed: 3 });
    expect(boot.estimate).toBeCloseTo(5, 12);
    expect(Math.abs(boot.ci95[0] - normal.ci95[0])).toBeLessThan(0.1);
    expect(Math.abs(boot.ci95[1] - normal.ci95[1])).toBeLessThan(0.1);
    expect(bootstrapMeanDifference(a, b, { resamples: 2000, seed: 3 })).toEqual(boot);
  });

  it('the bootstrap interval covers the true difference in about 95 % of simulated samples', () => {
    // Exponential values (skewed) with true means 2 and 1: true difference 1.
    let state = 12345;
    const u = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const draw = (mean: number, n: number) => Array.from({ length: n }, () => -mean * Math.log(u()));
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const r = bootstrapMeanDifference(draw(2, 80), draw(1, 80), { resamples: 400, seed: t });
      if (r.ci95[0] <= 1 && 1 <= r.ci95[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });
});

describe('difference-in-differences (Card & Krueger 1994, Table 3 means)', () => {
  it('NJ 20.44 → 21.03, PA 23.33 → 21.17 full-time-equivalent employment: DiD = 0.59 − (−2.16) = 2.75', () => {
    // Cell standard errors from the table (0.51, 0.52, 1.35, 0.94) as variance/n = se².
    const cell = (mean: number, se: number) => ({ mean, variance: se * se, n: 1 });
    const r = differenceInDifferences({
      treatedBefore: cell(20.44, 0.51),
      treatedAfter: cell(21.03, 0.52),
      comparisonBefore: cell(23.33, 1.35),
      comparisonAfter: cell(21.17, 0.94),
    });
    expect(r.treatedChange).toBeCloseTo(0.59, 10);
    expect(r.comparisonChange).toBeCloseTo(-2.16, 10);
    expect(r.estimate).toBeCloseTo(2.75, 10);
    // Independent cells: √(0.51² + 0.52² + 1.35² + 0.94²) = √3.2366 = 1.799
    expect(r.se).toBeCloseTo(1.79906, 4);
  });

  it('on rates: (30/100 − 20/100) − (25/100 − 20/100) = 0.05 with the binomial cell variances', () => {
    const r = differenceInDifferences({
      treatedBefore: rateCell(20, 100),
      treatedAfter: rateCell(30, 100),
      comparisonBefore: rateCell(20, 100),
      comparisonAfter: rateCell(25, 100),
    });
    expect(r.estimate).toBeCloseTo(0.05, 12);
    expect(r.se).toBeCloseTo(Math.sqrt((0.16 + 0.21 + 0.16 + 0.1875) / 100), 12);
    expect(() =>
      differenceInDifferences({
        treatedBefore: rateCell(0, 0),
        treatedAfter: rateCell(1, 1),
        comparisonBefore: rateCell(1, 1),
        comparisonAfter: rateCell(1, 1),
      }),
    ).toThrow(/treatedBefore/);
  });
});

describe('value of moving one detractor (delta method)', () => {
  it('hand example: Δchurn 0.15 × CLV 1,000 + 12 × (50 − 40) = 270, SE √2419.25 = 49.19', () => {
    const r = valueOfMove(
      { n: 100, churnRate: 0.2, meanRevenue: 40, sdRevenue: 10, clv: 500, seClv: 0 },
      { n: 100, churnRate: 0.05, meanRevenue: 50, sdRevenue: 10, clv: 1000, seClv: 50 },
    );
    expect(r.churnPart).toBeCloseTo(150, 10);
    expect(r.revenuePart).toBeCloseTo(120, 10);
    expect(r.value).toBeCloseTo(270, 10);
    // 1000²·(0.16 + 0.0475)/100 + 0.15²·50² + 144·(100/100 + 100/100) = 2075 + 56.25 + 288
    expect(r.se).toBeCloseTo(Math.sqrt(2419.25), 10);
    expect(r.ci95[0]).toBeCloseTo(270 - 1.959964 * Math.sqrt(2419.25), 4);
  });
});
