import { describe, expect, it } from 'vitest';
import { csatFromCounts, wilsonInterval } from './csat.ts';

describe('CSAT (top-two box, Wilson interval)', () => {
  it("reproduces Women's clothing CSAT 77.53 % from its rating counts (shared/data/README.md)", () => {
    // Rating counts 1 = 842, 2 = 1,565, 3 = 2,871, 4 = 5,077, 5 = 13,131.
    const n = 842 + 1565 + 2871 + 5077 + 13131;
    const r = csatFromCounts(5077 + 13131, n);
    expect(n).toBe(23486);
    expect(100 * r.share!).toBeCloseTo(77.53, 2);
    expect(r.ci95![0]).toBeLessThan(r.share!);
    expect(r.ci95![1]).toBeGreaterThan(r.share!);
  });

  it('reproduces the Miro feature-feedback CSAT 33.75 % of 1,612 (shared/data/README.md)', () => {
    expect(100 * csatFromCounts(374 + 170, 1612).share!).toBeCloseTo(33.75, 2);
  });

  // Source: Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion",
  // Statistics in Medicine 17:857–872, Table II, method 3 (Wilson score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('Wilson interval of %s/%s is %s–%s', (x, n, lo, hi) => {
    const [l, h] = wilsonInterval(x, n);
    expect(l).toBeCloseTo(lo, 4);
    expect(h).toBeCloseTo(hi, 4);
  });

  it('has no share without answers', () => {
    expect(csatFromCounts(0, 0)).toEqual({ n: 0, satisfied: 0, share: null, ci95: null });
  });
});
