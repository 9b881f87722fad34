import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { fitGbdt, type GbdtParams, gbdtLearner, loadGbdt } from './gbdt.ts';
import { binAt, binMatrix, binOf, cutsFromSorted, MISSING_BIN, makeRng } from './gbdt-bins.ts';
import { rocAuc } from './metrics.ts';
import type { Dataset, Matrix } from './types.ts';

function dataset(rows: number[][], y: number[], features?: string[]): Dataset {
  const p = rows[0]!.length;
  const x = new Float64Array(rows.length * p);
  rows.forEach((r, i) => {
    x.set(r, i * p);
  });
  return {
    x,
    y: Uint8Array.from(y),
    n: rows.length,
    p,
    features: features ?? rows[0]!.map((_, j) => `x${j}`),
  };
}

/** n rows, two uniform features, label from an XOR of their signs (no linear signal) plus 10 % noise. */
function xorData(n: number, seed: number): Dataset {
  const rng = makeRng(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    const noise = rng() < 0.1;
    rows.push([a, b, rng()]);
    y.push((a > 0 !== b > 0) !== noise ? 1 : 0);
  }
  return dataset(rows, y, ['a', 'b', 'noise']);
}

/** Logistic regression by plain gradient descent (the baseline the trees must beat on XOR). */
function logisticByHand(d: Dataset): (m: Matrix) => Float64Array {
  const w = new Float64Array(d.p + 1);
  for (let it = 0; it < 500; it++) {
    const grad = new Float64Array(d.p + 1);
    for (let i = 0; i < d.n; i++) {
      let z = w[d.p]!;
      for (let j = 0; j < d.p; j++) z += w[j]! * d.x[i * d.p + j]!;
      const e = 1 / (1 + Math.exp(-z)) - d.y[i]!;
      for (let j = 0; j < d.p; j++) grad[j] = grad[j]! + (e * d.x[i * d.p + j]!) / d.n;
      grad[d.p] = grad[d.p]! + e / d.n;
    }
    for (let j = 0; j <= d.p; j++) w[j] = w[j]! - 1 * grad[j]!;
  }
  return (m) => {
    const out = new Float64Array(m.n);
    for (let i = 0; i < m.n; i++) {
      let z = w[m.p]!;
      for (let j = 0; j < m.p; j++) z += w[j]! * m.x[i * m.p + j]!;
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  };
}

const logit = (p: number) => Math.log(p / (1 - p));
const row = (d: Matrix, i: number) => d.x.slice(i * d.p, (i + 1) * d.p);

describe('gbdt binning', () => {
  it('gives each of few distinct values its own bin, cut at midpoints', () => {
    expect([...cutsFromSorted(Float64Array.from([0, 0, 1, 1, 1, 3]), 255)]).toEqual([0.5, 2]);
    expect(cutsFromSorted(new Float64Array(0), 255).length).toBe(0);
  });

  it('fills bins to equal mass and keeps a dominant value in one bin', () => {
    // 900 zeros then 1..100: the zeros take one bin, the rest share the other three.
    const v = Float64Array.from([...new Array(900).fill(0), ...Array.from({ length: 100 }, (_, i) => i + 1)]);
    const cuts = cutsFromSorted(v, 4);
    expect(cuts.length).toBe(3);
    expect(cuts[0]).toBe(0.5);
    expect(cuts[1]).toBeGreaterThan(20);
    expect(cuts[2]).toBeLessThan(80);
  });

  it('puts x in bin b exactly when cuts[b-1] < x ≤ cuts[b], NaN in the missing bin', () => {
    const cuts = Float64Array.from([0.5, 2]);
    expect([0, 0.5, 0.6, 2, 2.1, -9, Number.NaN].map((x) => binOf(cuts, x))).toEqual([
      0,
      0,
      1,
      1,
      2,
      0,
      MISSING_BIN,
    ]);
    const b = binMatrix(
      dataset(
        [
          [0, Number.NaN],
          [1, 5],
          [3, 5],
        ],
        [0, 1, 0],
      ),
      255,
      0,
    );
    // Features 0 and 1 of a row packed in one word (feature j in byte j), one word per row.
    expect([...b.bins]).toEqual([0 | (MISSING_BIN << 8), 1 | (0 << 8), 2 | (0 << 8)]);
    expect([0, 1, 2].map((i) => [binAt(b, i, 0), binAt(b, i, 1)])).toEqual([
      [0, MISSING_BIN],
      [1, 0],
      [2, 0],
    ]);
  });
  it('binMatrix bins every value as binOf does against the cuts it chose', () => {
    const rng = makeRng(5);
    const n = 3000;
    // Six features (a full group of four and part of a second): rounded uniform, cubed with
    // blanks, a heavy tail with ±∞, a constant, ±1e308 (a range that overflows) and small counts.
    const p = 6;
    const gen = [
      () => Math.round(rng() * 1e4) / 10,
      () => (rng() < 0.1 ? Number.NaN : rng() ** 3),
      () =>
        rng() < 0.02
          ? Number.POSITIVE_INFINITY
          : rng() < 0.02
            ? Number.NEGATIVE_INFINITY
            : Math.exp(rng() * 30),
      () => 7,
      () => (rng() < 0.5 ? 1e308 : -1e308),
      () => Math.floor(-Math.log(rng() || 1e-12) * 3),
    ];
    const x = Float64Array.from({ length: n * p }, (_, i) => gen[i % p]!());
    for (const maxBins of [16, 255]) {
      const b = binMatrix({ x, n, p }, maxBins, 1, 1000);
      expect(b.bins).toHaveLength(2 * n);
      for (let j = 0; j < p; j++) {
        expect(b.cuts[j]!.length).toBeLessThan(maxBins);
        for (let i = 0; i < n; i++) expect(binAt(b, i, j)).toBe(binOf(b.cuts[j]!, x[i * p + j]!));
      }
    }
  });
});

describe('gbdt learner', () => {
  const exact = {
    rounds: 1,
    learningRate: 1,
    maxDepth: 1,
    minSamplesLeaf: 1,
    minChildWeight: 0,
    lambda: 1,
    subsample: 1,
    validationFraction: 0,
  };

  it('one Newton round on a separable feature gives leaf = −G / (H + λ)', () => {
    // 4 rows x = 0 (y = 0) and 4 rows x = 1 (y = 1); start at log-odds 0, so p = ½ for all:
    // g = p − y = ±½, h = p(1 − p) = ¼. Left: G = 4·½ = 2, H = 1 → leaf = −2 / (1 + 1) = −1;
    // right: G = −2 → +1. With learning rate 1: P = σ(∓1) = 0.2689 / 0.7311.
    const d = dataset([[0], [0], [0], [0], [1], [1], [1], [1]], [0, 0, 0, 0, 1, 1, 1, 1]);
    const m = fitGbdt(d, exact);
    const params = m.toJSON().params as GbdtParams;
    expect(params.init).toBe(0);
    expect(params.trees).toHaveLength(1);
    expect(params.trees[0]!.feature).toEqual([0, -1, -1]);
    expect(params.trees[0]!.threshold[0]).toBe(0.5); // raw units: midpoint of 0 and 1
    expect(params.trees[0]!.value).toEqual([0, -1, 1]);
    const p = m.predict(d);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.E), 12);
    expect(p[7]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('starts from the log-odds of the positive rate and shrinks leaves by the learning rate', () => {
    // 2 of 6 positive: init = ln(2/4); p = ⅓, h = 2/9. Left (x = 0, all y = 0): G = 4·⅓, H = 8/9,
    // leaf = −(4/3) / (8/9 + 1) · 0.1; right (y = 1): G = 2·(⅓ − 1) = −4/3, H = 4/9.
    const d = dataset([[0], [0], [0], [0], [1], [1]], [0, 0, 0, 0, 1, 1]);
    const m = fitGbdt(d, { ...exact, learningRate: 0.1 });
    const params = m.toJSON().params as GbdtParams;
    expect(params.init).toBeCloseTo(Math.log(0.5), 14);
    const [, left, right] = params.trees[0]!.value;
    expect(left).toBeCloseTo((-(4 / 3) / (8 / 9 + 1)) * 0.1, 14);
    expect(right).toBeCloseTo((4 / 3 / (4 / 9 + 1)) * 0.1, 14);
  });

  it('lowers the training log-loss every round (no row sampling)', () => {
    const d = xorData(3000, 1);
    for (let i = 0; i < d.n; i += 7) d.x[i * d.p] = Number.NaN;
    const losses: number[] = [];
    const m = fitGbdt(d, {
      rounds: 40,
      subsample: 1,
      validationFraction: 0,
      onRound: (_, train) => losses.push(train),
    });
    expect(losses).toHaveLength(40);
    for (let r = 1; r < losses.length; r++) expect(losses[r]!).toBeLessThan(losses[r - 1]!);
    expect(losses[39]!).toBeLessThan(losses[0]! - 0.2);
    // Training tracks scores by walking binned trees; scoring walks raw thresholds. They must agree.
    const p = m.predict(d);
    let loss = 0;
    for (let i = 0; i < d.n; i++) loss -= Math.log(d.y[i] ? p[i]! : 1 - p[i]!) / d.n;
    expect(loss).toBeCloseTo(losses[39]!, 10);
  });

  it('beats logistic regression clearly on an XOR interaction (held-out AUC)', () => {
    const train = xorData(4000, 2);
    const test = xorData(2000, 3);
    const gb = rocAuc(test.y, gbdtLearner.fit(train, { seed: 0 }).predict(test));
    const lr = rocAuc(test.y, logisticByHand(train)(test));
    expect(gb).toBeGreaterThan(0.85); // the Bayes AUC with 10 % label noise is 0.9
    expect(lr).toBeLessThan(0.6);
  });

  it('explains each row additively: base + Σ contributions = logit(P)', () => {
    const d = xorData(2000, 4);
    d.x[5 * d.p] = Number.NaN; // a missing value takes its learned default branch
    const m = fitGbdt(d, { rounds: 30 }, { seed: 1 });
    const p = m.predict(d);
    for (const i of [0, 1, 5, 17, 999]) {
      const { base, contributions } = m.explain(row(d, i));
      const sum = contributions.reduce((s, c) => s + c, base);
      expect(sum).toBeCloseTo(logit(p[i]!), 10);
    }
    // The noise feature matters far less than a and b.
    const abs = [0, 0, 0];
    for (let i = 0; i < 200; i++) {
      const c = m.explain(row(d, i)).contributions;
      for (let j = 0; j < 3; j++) abs[j] = abs[j]! + Math.abs(c[j]!);
    }
    expect(abs[2]!).toBeLessThan(abs[0]! / 3);
  });

  it('scoreWithReasons agrees with predict and explain', () => {
    const d = xorData(1000, 5);
    const m = fitGbdt(d, { rounds: 20 });
    const { probability, reasons, weights } = m.scoreWithReasons(d, 2);
    const p = m.predict(d);
    for (const i of [0, 3, 500]) {
      expect(probability[i]).toBeCloseTo(p[i]!, 12);
      const c = m.explain(row(d, i)).contributions;
      const order = [0, 1, 2].sort((a, b) => Math.abs(c[b]!) - Math.abs(c[a]!));
      expect([reasons[i * 2], reasons[i * 2 + 1]]).toEqual(order.slice(0, 2));
      expect(weights[i * 2]).toBeCloseTo(c[order[0]!]!, 12);
    }
  });

  it('survives save → JSON → load with identical scores and explanations', () => {
    const d = xorData(1500, 6);
    // A column whose only signal is missingness: split "any value" vs missing (threshold +∞ → null).
    for (let i = 0; i < d.n; i++) d.x[i * d.p + 2] = d.y[i] ? Number.NaN : 1;
    const m = fitGbdt(d, { rounds: 15 });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.kind).toBe('gbdt');
    expect(JSON.stringify(json.params)).toContain('null');
    const back = loadGbdt(json.params, json.features);
    expect([...back.predict(d)]).toEqual([...m.predict(d)]);
    expect(back.explain(row(d, 7))).toEqual(m.explain(row(d, 7)));
  });

  it('learns from missing values and routes unseen NaN to a default side', () => {
    const rng = makeRng(9);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const missing = rng() < 0.3;
      rows.push([missing ? Number.NaN : rng(), rng()]);
      y.push(missing ? (rng() < 0.9 ? 1 : 0) : rng() < 0.1 ? 1 : 0);
    }
    const d = dataset(rows, y);
    const m = fitGbdt(d, { rounds: 30 });
    const p = m.predict(d);
    const missingRow = rows.findIndex((r) => Number.isNaN(r[0]!));
    const presentRow = rows.findIndex((r) => !Number.isNaN(r[0]!));
    expect(p[missingRow]!).toBeGreaterThan(0.7);
    expect(p[presentRow]!).toBeLessThan(0.3);
    // Feature 1 never was missing in training; NaN there still scores (no NaN out).
    const q = m.predict({ x: Float64Array.from([0.5, Number.NaN]), n: 1, p: 2 });
    expect(Number.isFinite(q[0]!)).toBe(true);
  });

  it('is deterministic for a seed, and the seed matters when rows are sampled', () => {
    const d = xorData(2000, 7);
    const a = JSON.stringify(gbdtLearner.fit(d, { seed: 3 }).toJSON());
    const b = JSON.stringify(gbdtLearner.fit(d, { seed: 3 }).toJSON());
    const c = JSON.stringify(gbdtLearner.fit(d, { seed: 4 }).toJSON());
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('stops early on pure noise and keeps only the trees up to the best held-out loss', () => {
    const rng = makeRng(11);
    const rows = Array.from({ length: 3000 }, () => [rng(), rng()]);
    const d = dataset(
      rows,
      rows.map(() => (rng() < 0.3 ? 1 : 0)),
    );
    const m = fitGbdt(d, { rounds: 300, earlyStoppingRounds: 10 });
    expect(m.treeCount).toBeLessThan(60);
    expect(m.validLoss).not.toBeNull();
  });

  it('never splits on constant or all-missing columns', () => {
    const d = xorData(1000, 8);
    const wide = dataset(
      Array.from({ length: d.n }, (_, i) => [d.x[i * 3]!, d.x[i * 3 + 1]!, 7, Number.NaN]),
      [...d.y],
      ['a', 'b', 'constant', 'empty'],
    );
    const m = fitGbdt(wide, { rounds: 10 });
    expect(m.gain[2]).toBe(0);
    expect(m.gain[3]).toBe(0);
    expect(m.gain[0]!).toBeGreaterThan(0);
  });

  it('rejects bad input with errors that name the field', () => {
    const one = dataset([[0], [1], [2]], [1, 1, 1]);
    expect(() => gbdtLearner.fit(one)).toThrow(/one class/);
    try {
      gbdtLearner.fit(one);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('bad_input');
      expect((e as AppError).details?.field).toBe('target');
    }
    expect(() => fitGbdt({ ...dataset([[0], [1]], [0, 1]), p: 2 })).toThrow(/shape/);
    expect(() => fitGbdt(dataset([[0], [1]], [0, 1]), { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => loadGbdt({ version: 2 }, ['a'])).toThrow(/not a saved/);
    const m = fitGbdt(xorData(200, 1), { rounds: 2 });
    const bad = m.toJSON().params as GbdtParams;
    expect(() => loadGbdt(bad, ['a'])).toThrow(/malformed/); // tree refers to features the list lacks
    const shared = {
      feature: [0, 0, -1, -1],
      threshold: [1, 2, 0, 0],
      left: [1, 2, -1, -1],
      right: [2, 3, -1, -1],
    };
    const dag = { ...shared, defaultLeft: [0, 0, 0, 0], value: [0, 0, 0, 0] };
    expect(() => loadGbdt({ ...bad, trees: [dag] }, ['a', 'b', 'c'])).toThrow(/tree 0 is malformed/);
    expect(() => m.predict({ x: new Float64Array(2), n: 1, p: 2 })).toThrow(/expects 3 features/);
  });
});
