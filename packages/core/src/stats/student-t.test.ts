import { describe, expect, it } from 'vitest';
import { lnGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './student-t.ts';

describe('Student t quantile', () => {
  // Source: table of upper critical values of the t distribution, NIST/SEMATECH e-Handbook of
  // Statistical Methods §1.3.6.7.2 (4 decimals).
  it.each([
    [0.975, 1, 12.7062],
    [0.975, 2, 4.3027],
    [0.975, 5, 2.5706],
    [0.975, 10, 2.2281],
    [0.975, 30, 2.0423],
    [0.975, 100, 1.984],
    [0.95, 5, 2.015],
    [0.99, 20, 2.528],
    [0.995, 3, 5.8409],
  ])('t(%s, %s) = %s', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 3);
  });

  it('approaches the normal quantile 1.95996 for large df', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('is symmetric and zero at the median', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281, 3);
  });

  it('inverts the CDF', () => {
    expect(studentTCdf(studentTQuantile(0.9, 4), 4)).toBeCloseTo(0.9, 10);
    // df = 1 is the Cauchy distribution: CDF(1) = 3/4 exactly.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
  });

  it('rejects p outside (0, 1) and df ≤ 0', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('special functions', () => {
  it('lnGamma matches factorials: Γ(5) = 24, Γ(½) = √π', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
  it('I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 12);
  });
});
