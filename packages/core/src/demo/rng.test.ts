import { describe, expect, it } from 'vitest';
import { hash32, Rng } from './rng.ts';

describe('demo PRNG', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42, 1, 7);
    const b = new Rng(42, 1, 7);
    const c = new Rng(42, 1, 8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
    expect(hash32(1, 2, 3)).not.toBe(hash32(3, 2, 1));
  });

  it('draws uniform, normal and Poisson values with the right moments', () => {
    const r = new Rng(1);
    const n = 100_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sp = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sp += r.poisson(0.3);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // Standard errors: uniform 0.0009, normal mean 0.003, Poisson mean 0.0017; 5 SE bounds.
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(Math.abs(sn / n)).toBeLessThan(0.015);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(sp / n - 0.3)).toBeLessThan(0.009);
  });

  it('picks by weight', () => {
    const r = new Rng(9);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 20_000; i++) counts[r.weighted(['a', 'b'] as const, [3, 1])]++;
    expect(counts.a / 20_000).toBeGreaterThan(0.73);
    expect(counts.a / 20_000).toBeLessThan(0.77);
  });
});
