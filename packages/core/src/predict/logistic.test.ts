import { describe, expect, it } from 'vitest';
import { fitLogistic, type LogisticParams, loadLogistic } from './logistic.ts';
import type { Dataset } from './types.ts';
import { UCLA_ADMISSIONS } from './ucla-admissions.fixture.ts';

/** The UCLA design as R builds it: gre, gpa and treatment dummies for rank 2–4 (rank 1 is the reference). */
function uclaDataset(): Dataset {
  const rows = UCLA_ADMISSIONS.split(' ').map((r) => r.split(',').map(Number));
  const p = 5;
  const x = new Float64Array(rows.length * p);
  const y = new Uint8Array(rows.length);
  rows.forEach(([admit, gre, gpa, rank], i) => {
    y[i] = admit!;
    x.set([gre!, gpa!, rank === 2 ? 1 : 0, rank === 3 ? 1 : 0, rank === 4 ? 1 : 0], i * p);
  });
  return { x, y, n: rows.length, p, features: ['gre', 'gpa', 'rank=2', 'rank=3', 'rank=4'] };
}

describe('logistic regression', () => {
  it('λ = 0 reproduces R glm on the UCLA admissions example (coefficients printed on the UCLA IDRE page)', () => {
    const data = uclaDataset();
    expect(data.n).toBe(400);
    const m = fitLogistic(data, { lambda: 0 });
    const params = m.toJSON().params as LogisticParams;
    expect(params.converged).toBe(true);
    expect(params.intercept).toBeCloseTo(-3.989979, 5);
    const [gre, gpa, r2, r3, r4] = params.coefficients;
    expect(gre).toBeCloseTo(0.002264, 6);
    expect(gpa).toBeCloseTo(0.804038, 5);
    expect(r2).toBeCloseTo(-0.675443, 5);
    expect(r3).toBeCloseTo(-1.340204, 5);
    expect(r4).toBeCloseTo(-1.551464, 5);
    // Residual deviance 458.52 on the same page: −2·Σ log-likelihood.
    const pr = m.predict(data);
    let dev = 0;
    for (let i = 0; i < data.n; i++) dev -= 2 * Math.log(data.y[i] ? pr[i]! : 1 - pr[i]!);
    expect(dev).toBeCloseTo(458.52, 2);
  });

  it('the L2 penalty shrinks coefficients but not the intercept', () => {
    const data = uclaDataset();
    const free = fitLogistic(data, { lambda: 0 }).toJSON().params as LogisticParams;
    const ridge = fitLogistic(data, { lambda: 50 }).toJSON().params as LogisticParams;
    const norm = (c: number[]) => Math.hypot(...c.slice(2));
    expect(norm(ridge.coefficients)).toBeLessThan(norm(free.coefficients) * 0.8);
    // Zero coefficients and the intercept alone: λ → ∞ leaves logit(base rate) = log(127/273).
    const flat = fitLogistic(data, { lambda: 1e12 }).toJSON().params as LogisticParams;
    expect(flat.intercept).toBeCloseTo(Math.log(127 / 273), 4);
  });

  it('explain: base + Σ contributions = logit(P), base is the logit at the training means', () => {
    const data = uclaDataset();
    const m = fitLogistic(data, { lambda: 0 });
    const params = m.toJSON().params as LogisticParams;
    const row = data.x.slice(3 * data.p, 4 * data.p);
    const { base, contributions } = m.explain(row);
    const p = m.predict({ x: row, n: 1, p: data.p })[0]!;
    const sum = base + contributions.reduce((s, c) => s + c, 0);
    expect(sum).toBeCloseTo(Math.log(p / (1 - p)), 10);
    expect(params.means[0]).toBeCloseTo(587.7, 10);
    expect(base).toBeCloseTo(
      params.intercept + params.coefficients.reduce((s, b, j) => s + b * params.means[j]!, 0),
      10,
    );
    // Row 4 went to a rank-4 school: its rank=4 contribution is β₄·(1 − share of rank 4 = 67/400).
    expect(contributions[4]).toBeCloseTo(params.coefficients[4]! * (1 - 67 / 400), 10);
  });

  it('round-trips through JSON and refuses a matrix of the wrong width', () => {
    const data = uclaDataset();
    const m = fitLogistic(data);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    const again = loadLogistic(json.params, json.features);
    expect(Array.from(again.predict(data))).toEqual(Array.from(m.predict(data)));
    expect(() => again.predict({ x: new Float64Array(4), n: 1, p: 4 })).toThrow(/expects 5 features/);
  });

  it('stays finite on perfectly separable data thanks to the penalty', () => {
    const x = Float64Array.from([-2, -1, -0.5, 0.5, 1, 2]);
    const y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
    const m = fitLogistic({ x, y, n: 6, p: 1, features: ['a'] });
    const params = m.toJSON().params as LogisticParams;
    expect(Number.isFinite(params.coefficients[0])).toBe(true);
    expect(params.coefficients[0]).toBeGreaterThan(0.5);
    const pr = m.predict({ x, n: 6, p: 1 });
    expect(pr[0]).toBeLessThan(0.5);
    expect(pr[5]).toBeGreaterThan(0.5);
  });
});
