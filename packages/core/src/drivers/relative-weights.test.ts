import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { driverCorrelation } from './correlation.ts';
import { mtcars } from './mtcars.fixture.ts';
import { relativeWeights } from './relative-weights.ts';
import type { DriverData } from './types.ts';

function data(target: 'mpg', names: (keyof typeof mtcars)[]): DriverData {
  return { names, drivers: names.map((n) => mtcars[n]), target: mtcars[target], targetName: target };
}

/** OLS with intercept by the normal equations (Gauss–Jordan), independent of the code under test. */
function ols(xs: Float64Array[], y: Float64Array): { coef: number[]; r2: number } {
  const n = y.length;
  const p = xs.length + 1;
  const col = (j: number, i: number) => (j === 0 ? 1 : xs[j - 1]![i]!);
  const a = Array.from({ length: p }, (_, j) =>
    Array.from({ length: p + 1 }, (_, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += col(j, i) * (k === p ? y[i]! : col(k, i));
      return s;
    }),
  );
  for (let c = 0; c < p; c++) {
    const piv = a[c]![c]!;
    for (let k = 0; k <= p; k++) a[c]![k]! /= piv;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      for (let k = 0; k <= p; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const coef = a.map((row) => row[p]!);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    let fit = coef[0]!;
    for (let j = 1; j < p; j++) fit += coef[j]! * xs[j - 1]![i]!;
    sse += (y[i]! - fit) ** 2;
    sst += (y[i]! - mean) ** 2;
  }
  return { coef, r2: 1 - sse / sst };
}

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('relative weights (Johnson 2000)', () => {
  it('the mtcars fixture is R’s mtcars (column means as printed by colMeans(mtcars))', () => {
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(mean(mtcars.mpg)).toBeCloseTo(20.09062, 5);
    expect(mean(mtcars.disp)).toBeCloseTo(230.7219, 4);
    expect(mean(mtcars.hp)).toBeCloseTo(146.6875, 4);
    expect(mean(mtcars.wt)).toBeCloseTo(3.21725, 5);
    expect(mean(mtcars.gear)).toBeCloseTo(3.6875, 4);
  });

  // Source: README of the R package rwa (Martin Chan, https://github.com/martinctc/rwa, "Basic example"):
  // rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"), applysigns = TRUE) prints
  // rsquare 0.7791896 and Raw.RelWeight cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886,
  // Rescaled.RelWeight 29.32274, 28.50999, 29.79691, 12.37037 with signs −, −, −, +.
  it('reproduces the rwa README example on mtcars (mpg ~ cyl + disp + hp + gear)', () => {
    const r = relativeWeights(data('mpg', ['cyl', 'disp', 'hp', 'gear']));
    expect(r.n).toBe(32);
    expect(r.r2).toBeCloseTo(0.7791896, 7);
    const raw = [0.2284797, 0.2221469, 0.2321744, 0.0963886];
    const rescaled = [29.32274, 28.50999, 29.79691, 12.37037];
    r.weights.forEach((w, j) => {
      expect(w.raw).toBeCloseTo(raw[j]!, 7);
      expect(100 * w.share).toBeCloseTo(rescaled[j]!, 5);
    });
    expect(r.weights.map((w) => w.sign)).toEqual([-1, -1, -1, 1]);
  });

  // Source: rwa vignette "Regression methods" (https://martinctc.github.io/rwa/articles/regression-methods.html):
  // rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt")) prints Raw.RelWeight 0.2096904,
  // 0.1883043, 0.1799590, 0.2706812 and Rescaled.RelWeight 24.70914, 22.18908, 21.20570, 31.89607, all −.
  it('reproduces the rwa vignette example on mtcars (mpg ~ cyl + disp + hp + wt)', () => {
    const r = relativeWeights(data('mpg', ['cyl', 'disp', 'hp', 'wt']));
    const raw = [0.2096904, 0.1883043, 0.179959, 0.2706812];
    const rescaled = [24.70914, 22.18908, 21.2057, 31.89607];
    r.weights.forEach((w, j) => {
      expect(w.raw).toBeCloseTo(raw[j]!, 7);
      expect(100 * w.share).toBeCloseTo(rescaled[j]!, 5);
    });
    // The vignette's Sign column follows the correlation (all negative); ours follows the full OLS model
    // (ANCHORS §5, as Q Research), where disp has the coefficient +0.0116 (lm(mpg ~ cyl + disp + hp + wt)).
    expect(r.weights.every((w) => w.correlation < 0)).toBe(true);
    expect(r.weights.map((w) => w.sign)).toEqual([-1, 1, -1, -1]);
    expect(r.weights[1]!.coefficient).toBeCloseTo(0.0116, 4);
  });

  it('R² and the coefficients equal those of the OLS fit; Σ raw = R²; Σ share = 1', () => {
    const names = ['cyl', 'disp', 'hp', 'wt'] as const;
    const r = relativeWeights(data('mpg', [...names]));
    const fit = ols(
      names.map((n) => mtcars[n]),
      mtcars.mpg,
    );
    expect(r.r2).toBeCloseTo(fit.r2, 12);
    expect(r.r2).toBeCloseTo(0.8486, 4); // summary(lm(mpg ~ cyl + disp + hp + wt, mtcars)): 0.8486
    r.weights.forEach((w, j) => {
      expect(w.coefficient).toBeCloseTo(fit.coef[j + 1]!, 10);
    });
    expect(r.weights.reduce((s, w) => s + w.raw, 0)).toBeCloseTo(r.r2, 12);
    expect(r.weights.reduce((s, w) => s + w.share, 0)).toBeCloseTo(1, 12);
  });

  it('VIF is the diagonal of R_xx⁻¹: 1/(1 − R²_j) from regressing each driver on the others', () => {
    const names = ['cyl', 'disp', 'hp', 'wt'] as const;
    const r = relativeWeights(data('mpg', [...names]));
    names.forEach((n, j) => {
      const others = names.filter((o) => o !== n).map((o) => mtcars[o]);
      expect(r.vif[j]).toBeCloseTo(1 / (1 - ols(others, mtcars[n]).r2), 8);
    });
  });

  it('exact Shapley values (general dominance) sum to R², are close to but not equal to relative weights', () => {
    const names = ['cyl', 'disp', 'hp', 'wt'] as const;
    const r = relativeWeights(data('mpg', [...names]));
    // Independent Shapley by brute force over all 24 orders of entry, each R² from a fresh OLS fit.
    const perms = (xs: number[]): number[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms(xs.filter((_, k) => k !== i)).map((p) => [x, ...p]));
    const r2Of = (set: number[]) =>
      set.length === 0
        ? 0
        : ols(
            set.map((j) => mtcars[names[j]!]),
            mtcars.mpg,
          ).r2;
    const brute = [0, 0, 0, 0];
    const orders = perms([0, 1, 2, 3]);
    for (const order of orders)
      order.forEach((j, pos) => {
        brute[j]! += (r2Of(order.slice(0, pos + 1)) - r2Of(order.slice(0, pos))) / orders.length;
      });
    r.weights.forEach((w, j) => {
      expect(w.shapley).toBeCloseTo(brute[j]!, 10);
      expect(Math.abs(w.shapley! - w.raw)).toBeLessThan(0.02);
    });
    expect(r.weights.reduce((s, w) => s + w.shapley!, 0)).toBeCloseTo(r.r2, 12);
    expect(r.weights.some((w) => Math.abs(w.shapley! - w.raw) > 1e-4)).toBe(true);
  });

  it('orthogonal drivers: each weight is the squared correlation with the target', () => {
    // Two exactly uncorrelated centred columns (a 2 × 2 factorial design) and any target.
    const x1 = Float64Array.from([1, 1, -1, -1, 1, 1, -1, -1]);
    const x2 = Float64Array.from([1, -1, 1, -1, 1, -1, 1, -1]);
    const y = Float64Array.from([3, 1, 2, -1, 4, 0, 1, -2]);
    const r = relativeWeights({ names: ['x1', 'x2'], drivers: [x1, x2], target: y });
    const corr = driverCorrelation({ names: ['x1', 'x2'], drivers: [x1, x2], target: y });
    expect(corr.corr[1]).toBeCloseTo(0, 14);
    r.weights.forEach((w, j) => {
      expect(w.raw).toBeCloseTo(corr.corr[j * 3 + 2]! ** 2, 12);
      expect(w.correlation).toBeCloseTo(corr.corr[j * 3 + 2]!, 12);
    });
    expect(r.r2).toBeCloseTo(r.weights[0]!.raw + r.weights[1]!.raw, 12);
  });

  it('drops incomplete rows listwise and says how many', () => {
    const cyl = Float64Array.from(mtcars.cyl);
    const mpg = Float64Array.from(mtcars.mpg);
    cyl[3] = Number.NaN;
    mpg[7] = Number.NaN;
    const r = relativeWeights({ names: ['cyl', 'hp'], drivers: [cyl, mtcars.hp], target: mpg });
    expect(r.n).toBe(30);
    expect(r.dropped).toBe(2);
    expect(r.warnings.join(' ')).toMatch(/2 of 32 rows left out/);
  });

  describe('bad input names the field', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float64Array.from([2, 1, 4, 3, 6, 5]);
    it('fewer than p + 2 complete rows', () => {
      const e = thrown(() =>
        relativeWeights({
          names: ['a', 'b'],
          drivers: [Float64Array.from([1, 2, 3]), Float64Array.from([3, 1, 2])],
          target: Float64Array.from([1, 3, 2]),
          targetName: 'csat',
        }),
      );
      expect(isAppError(e) && e.code).toBe('bad_input');
      expect(e.message).toMatch(/3 complete rows .* 2 drivers need at least 4/);
    });
    it('a constant driver, by name', () => {
      const e = thrown(() =>
        relativeWeights({ names: ['wait', 'flat'], drivers: [x, new Float64Array(6).fill(3)], target: y }),
      );
      expect(e.message).toMatch(/field flat: the driver "flat" is constant/);
    });
    it('a constant target', () => {
      const e = thrown(() =>
        relativeWeights({
          names: ['wait'],
          drivers: [x],
          target: new Float64Array(6).fill(5),
          targetName: 'nps',
        }),
      );
      expect(e.message).toMatch(/field nps: the target "nps" is constant/);
    });
    it('perfectly collinear drivers, naming them', () => {
      const z = Float64Array.from([3, 1, 4, 1, 5, 9]);
      const sum = x.map((v, i) => v + 2 * z[i]!);
      const other = Float64Array.from([1, 0, 0, 1, 1, 0]);
      const e = thrown(() =>
        relativeWeights({ names: ['x', 'z', 'other', 'sum'], drivers: [x, z, other, sum], target: y }),
      );
      expect(e.message).toMatch(/the drivers "x", "z", "sum" are perfectly collinear/);
    });
    it('a duplicated driver and mismatched lengths', () => {
      expect(
        thrown(() => relativeWeights({ names: ['a', 'a'], drivers: [x, y], target: y })).message,
      ).toMatch(/listed twice/);
      expect(
        thrown(() => relativeWeights({ names: ['a'], drivers: [x.subarray(1)], target: y })).message,
      ).toMatch(/field a: driver has 5 values but the target has 6/);
    });
  });
});
