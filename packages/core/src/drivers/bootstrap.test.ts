import { describe, expect, it } from 'vitest';
import { Rng } from '../demo/rng.ts';
import { driverAnalysis, quantileSorted } from './bootstrap.ts';
import { crossProducts } from './cross-products.ts';
import { mtcars } from './mtcars.fixture.ts';
import { relativeWeights } from './relative-weights.ts';
import type { DriverData } from './types.ts';

/** y = Σ b_j x_j + σ e with independent standard-normal drivers and noise. */
function simulate(rng: Rng, n: number, b: readonly number[], sigma: number): DriverData {
  const drivers = b.map(() => new Float64Array(n));
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let y = 0;
    b.forEach((bj, j) => {
      const x = rng.normal();
      drivers[j]![i] = x;
      y += bj * x;
    });
    target[i] = y + sigma * rng.normal();
  }
  return { names: b.map((_, j) => `x${j + 1}`), drivers, target };
}

describe('bootstrap intervals', () => {
  it('percentile quantiles interpolate linearly (R type 7): quantile(1:5, c(.025, .975)) = 1.1, 4.9', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5]);
    expect(quantileSorted(s, 0.025)).toBeCloseTo(1.1, 12);
    expect(quantileSorted(s, 0.975)).toBeCloseTo(4.9, 12);
  });

  it('the unrolled cross-product kernels equal the plain loop', () => {
    const rng = new Rng(3);
    const n = 50;
    const counts = Int32Array.from({ length: n }, () => rng.int(0, 3));
    for (const stride of [8, 12]) {
      const z = Float64Array.from({ length: n * stride }, () => rng.normal());
      const a1 = new Float64Array(stride);
      const a2 = new Float64Array(stride * stride);
      crossProducts(z, stride, counts, n, a1, a2);
      for (let j = 0; j < stride; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += counts[i]! * z[i * stride + j]!;
        expect(a1[j]).toBeCloseTo(s, 10);
        for (let k = j; k < stride; k++) {
          let c = 0;
          for (let i = 0; i < n; i++) c += counts[i]! * z[i * stride + j]! * z[i * stride + k]!;
          expect(a2[j * stride + k]).toBeCloseTo(c, 10);
        }
      }
    }
  });

  it('keeps the point estimate, brackets it, and is reproducible by seed', () => {
    const d: DriverData = {
      names: ['cyl', 'disp', 'hp', 'gear'],
      drivers: [mtcars.cyl, mtcars.disp, mtcars.hp, mtcars.gear],
      target: mtcars.mpg,
    };
    const point = relativeWeights(d);
    const a = driverAnalysis(d, { resamples: 300, seed: 7 });
    const b = driverAnalysis(d, { resamples: 300, seed: 7 });
    const c = driverAnalysis(d, { resamples: 300, seed: 8 });
    expect(a.resamples).toBe(300);
    expect(a.weights.map((w) => w.raw)).toEqual(point.weights.map((w) => w.raw));
    expect(a.weights.map((w) => w.ci)).toEqual(b.weights.map((w) => w.ci));
    expect(a.weights.map((w) => w.ci)).not.toEqual(c.weights.map((w) => w.ci));
    for (const w of a.weights) {
      expect(w.ci!.low).toBeLessThan(w.raw);
      expect(w.ci!.high).toBeGreaterThan(w.raw);
      expect(w.shareCi!.low).toBeLessThan(w.share);
      expect(w.shareCi!.high).toBeGreaterThan(w.share);
      expect(w.coefficientCi!.low).toBeLessThan(w.coefficient!);
      expect(w.coefficientCi!.high).toBeGreaterThan(w.coefficient!);
    }
  });

  it('flags a pure-noise driver as not significant and keeps real drivers significant', () => {
    const rng = new Rng(11);
    const d = simulate(rng, 400, [0.6, 0.3, 0], 1);
    const r = driverAnalysis(d, { resamples: 500, seed: 1 });
    expect(r.weights.map((w) => w.notSignificant)).toEqual([false, false, true]);
    // Its raw weight is kept (not zeroed); only the flag says it is indistinguishable from noise.
    expect(r.weights[2]!.raw).toBeGreaterThanOrEqual(0);
    expect(r.weights[2]!.vsRandomCi!.low).toBeLessThanOrEqual(0);
  });

  it('resamples: 0 gives the point estimate without intervals', () => {
    const rng = new Rng(2);
    const r = driverAnalysis(simulate(rng, 50, [1, 0.5], 1), { resamples: 0 });
    expect(r.resamples).toBe(0);
    expect(r.weights[0]!.ci).toBeUndefined();
  });

  // Population raw weights with independent standard-normal drivers: corr(x_j, y) = b_j/√(Σb² + σ²) and the
  // drivers are orthogonal, so ε_j = r²_jy = b_j²/(Σb² + σ²) and R² = Σb²/(Σb² + σ²). Here b = (0.5, 0.4, 0.3),
  // σ = 1: ε = 0.25/1.5, 0.16/1.5, 0.09/1.5. A 95 % interval should cover each in about 95 % of samples.
  it('95 % intervals cover the true weights in about 95 % of 200 simulated samples (n = 500, B = 200)', () => {
    const b = [0.5, 0.4, 0.3];
    const total = b.reduce((s, x) => s + x * x, 0) + 1;
    const truth = b.map((x) => (x * x) / total);
    const rng = new Rng(2024);
    const covered = [0, 0, 0];
    const reps = 200;
    for (let rep = 0; rep < reps; rep++) {
      const r = driverAnalysis(simulate(rng, 500, b, 1), { resamples: 200, seed: rep });
      r.weights.forEach((w, j) => {
        if (w.ci!.low <= truth[j]! && truth[j]! <= w.ci!.high) covered[j]!++;
      });
    }
    const rates = covered.map((c) => c / reps);
    for (const rate of rates) {
      expect(rate).toBeGreaterThanOrEqual(0.88);
      expect(rate).toBeLessThanOrEqual(0.99);
    }
    const pooled = covered.reduce((s, c) => s + c, 0) / (3 * reps);
    expect(pooled).toBeGreaterThan(0.9);
  }, 60_000);

  it('leaves out resamples that are degenerate and says so', () => {
    // Five rows, one of them the only non-zero value of a driver: some resamples miss it entirely.
    const d: DriverData = {
      names: ['a', 'b'],
      drivers: [Float64Array.from([0, 0, 0, 0, 1, 2]), Float64Array.from([1, 2, 3, 4, 5, 7])],
      target: Float64Array.from([1, 3, 2, 5, 4, 6]),
    };
    const r = driverAnalysis(d, { resamples: 200, seed: 3 });
    expect(r.failedResamples).toBeGreaterThan(0);
    expect(r.warnings.join(' ')).toMatch(/resamples had a constant or perfectly collinear column/);
  });
});
