import { describe, expect, it } from 'vitest';
import { countNps, npsCategory, npsDifferenceZ, npsFromCounts } from './nps.ts';

describe('NPS', () => {
  it('classifies 9–10 promoters, 7–8 passives, 0–6 detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
    expect(() => npsCategory(11)).toThrow(RangeError);
  });

  it('reproduces the Miro reference NPS +60.32 (shared/data/README.md, NPS_Score counts, n = 441)', () => {
    // Counts 0=2, 2=2, 3=1, 4=6, 5=12, 6=17, 7=28, 8=67, 9=80, 10=226.
    const scores = [
      ...Array(2).fill(0),
      ...Array(2).fill(2),
      3,
      ...Array(6).fill(4),
      ...Array(12).fill(5),
      ...Array(17).fill(6),
      ...Array(28).fill(7),
      ...Array(67).fill(8),
      ...Array(80).fill(9),
      ...Array(226).fill(10),
    ];
    const r = npsFromCounts(countNps(scores));
    expect(r).toMatchObject({ n: 441, promoters: 306, passives: 95, detractors: 40 });
    expect(r.nps).toBeCloseTo(60.32, 2);
    expect((100 * r.promoters) / r.n).toBeCloseTo(69.39, 2);
    expect((100 * r.detractors) / r.n).toBeCloseTo(9.07, 2);
  });

  // ANCHORS.md §3: Var = p + d − (p − d)², margin = 1.96·√(Var/n)·100; p = .5, d = .2 (NPS 30)
  // gives ±28 at n = 30, ±15 at n = 100, ±7.7 at n = 400.
  it.each([
    [30, 28, 0],
    [100, 15, 0],
    [400, 7.7, 1],
  ])('margin at p = .5, d = .2, n = %s is ±%s', (n, margin, digits) => {
    const r = npsFromCounts({ promoters: 0.5 * n, passives: 0.3 * n, detractors: 0.2 * n });
    expect(r.nps).toBeCloseTo(30, 10);
    expect(r.variance).toBeCloseTo(0.61, 12);
    expect(Number(r.marginOfError95!.toFixed(digits))).toBe(margin);
    expect(r.ci95![0]).toBeCloseTo(30 - r.marginOfError95!, 10);
    expect(r.ci95![1]).toBeCloseTo(30 + r.marginOfError95!, 10);
  });

  it('has no score and no interval without answers', () => {
    expect(npsFromCounts({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({
      n: 0,
      nps: null,
      marginOfError95: null,
      ci95: null,
    });
  });

  it('clips the interval to −100..100 and has zero margin when all answers agree', () => {
    const r = npsFromCounts({ promoters: 10, passives: 0, detractors: 0 });
    expect(r.nps).toBe(100);
    expect(r.marginOfError95).toBe(0);
    expect(r.ci95).toEqual([100, 100]);
  });

  it('z-tests the difference of two NPS (ANCHORS.md §3)', () => {
    const a = npsFromCounts({ promoters: 50, passives: 30, detractors: 20 }); // NPS 30, Var .61
    const b = npsFromCounts({ promoters: 30, passives: 40, detractors: 30 }); // NPS 0, Var .60
    // z = 0.30 / √(.61/100 + .60/100) = 0.30 / 0.11 = 2.727
    expect(npsDifferenceZ(a, b)).toBeCloseTo(0.3 / Math.sqrt(0.0121), 10);
  });
});
