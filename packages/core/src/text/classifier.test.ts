import { describe, expect, it } from 'vitest';
import { composeComment } from '../demo/comments.ts';
import { Rng } from '../demo/rng.ts';
import { classifyBaseline, trainBaseline } from './baseline-tfidf-lr.ts';
import {
  classify,
  crossValidate,
  csrFromRows,
  evaluatePredictions,
  fitSoftmax,
  lbfgs,
  parseClassifierModel,
  stratifiedFolds,
  trainClassifier,
} from './classifier.ts';

describe('evaluatePredictions', () => {
  it('computes accuracy, per-class precision / recall / F1 and their unweighted mean (known answer)', () => {
    const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
    const pred = ['a', 'a', 'b', 'b', 'c', 'c'];
    const e = evaluatePredictions(truth, pred);
    expect(e.accuracy).toBeCloseTo(4 / 6, 12);
    // a: P 1, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 1/2; c: P 1/2, R 1, F1 2/3.
    expect(e.perClass.a).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(e.perClass.b!.f1).toBeCloseTo(0.5, 12);
    expect(e.perClass.c!.f1).toBeCloseTo(2 / 3, 12);
    expect(e.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });
});

describe('lbfgs and fitSoftmax', () => {
  it('finds the minimum of a quadratic', () => {
    // f = (x − 3)² + 10·(y + 1)²
    const x = new Float64Array(2);
    const r = lbfgs(
      (v, g) => {
        g[0] = 2 * (v[0]! - 3);
        g[1] = 20 * (v[1]! + 1);
        return (v[0]! - 3) ** 2 + 10 * (v[1]! + 1) ** 2;
      },
      x,
      { maxIter: 100, tol: 1e-9 },
    );
    expect(r.converged).toBe(true);
    expect(x[0]).toBeCloseTo(3, 6);
    expect(x[1]).toBeCloseTo(-1, 6);
  });

  it('reaches a point where the analytic gradient of the penalised log-loss is zero', () => {
    // Two features, three classes, overlapping classes so the optimum is finite.
    const rows = [
      [1, 0],
      [0.9, 0.1],
      [0, 1],
      [0.2, 0.8],
      [0.6, 0.6],
      [0.5, 0.5],
      [1, 0],
      [0, 1],
    ].map((r) => new Map(r.map((v, j) => [j, v] as [number, number])));
    const x = csrFromRows(rows, 2);
    const y = Int32Array.from([0, 0, 1, 1, 2, 2, 1, 0]);
    const fit = fitSoftmax(x, y, 3, { C: 1, maxIter: 500, tol: 1e-10 });
    // Stationarity, checked independently: ∂/∂b_c = mean(p_c − 1[y=c]) must vanish (intercepts are not penalised).
    const grad = [0, 0, 0];
    for (let i = 0; i < x.rows; i++) {
      const s = [0, 1, 2].map((c) => {
        let v = fit.bias[c]!;
        for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++)
          v += x.values[p]! * fit.weights[x.indices[p]! * 3 + c]!;
        return v;
      });
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++) grad[c]! += (e[c]! / z - (y[i] === c ? 1 : 0)) / x.rows;
    }
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
    expect(fit.converged).toBe(true);
  });
});

describe('stratifiedFolds', () => {
  it('deals every class evenly over the folds, the same way for the same seed', () => {
    const labels = [...Array(10).fill('x'), ...Array(5).fill('y')] as string[];
    const f = stratifiedFolds(labels, 5, 7);
    for (let k = 0; k < 5; k++) {
      const inFold = labels.filter((_, i) => f[i] === k);
      expect(inFold.filter((l) => l === 'x')).toHaveLength(2);
      expect(inFold.filter((l) => l === 'y')).toHaveLength(1);
    }
    expect(Array.from(stratifiedFolds(labels, 5, 7))).toEqual(Array.from(f));
    expect(Array.from(stratifiedFolds(labels, 5, 8))).not.toEqual(Array.from(f));
  });
});

/** Demo comments labelled by their score: a realistic three-class sentiment task in three languages. */
function demoSet(n: number, seed: number) {
  const rng = new Rng(seed);
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const nps = rng.int(0, 10);
    const c = composeComment(rng, {
      language: (['en', 'de', 'fr'] as const)[i % 3]!,
      journey: (['billing_question', 'tech_support', 'onboarding'] as const)[i % 3]!,
      channel: 'call_centre',
      waitMinutes: rng.next() * 15,
      extraContacts: rng.int(0, 1),
      transfers: 0,
      failures: nps < 7 ? 1 : 0,
      courtesy: rng.int(1, 5),
      competence: rng.int(1, 5),
      ease: 3,
      nps,
      assisted: true,
    });
    texts.push(c.text);
    labels.push(nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor');
  }
  return { texts, labels };
}

describe('trainClassifier / classify', () => {
  const train = demoSet(1500, 1);
  const test = demoSet(500, 2);
  const model = trainClassifier(train.texts, train.labels);

  it('learns from labelled comments and beats the majority class on new ones', () => {
    const pred = test.texts.map((t) => classify(model, t).label);
    const e = evaluatePredictions(test.labels, pred);
    const majority = Math.max(
      ...['promoter', 'passive', 'detractor'].map((l) => test.labels.filter((x) => x === l).length),
    );
    expect(e.accuracy).toBeGreaterThan(majority / test.labels.length + 0.1);
    const p = classify(model, 'the agent was very rude and I waited 40 minutes');
    expect(p.label).toBe('detractor');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic and survives a JSON round trip', () => {
    expect(trainClassifier(train.texts.slice(0, 300), train.labels.slice(0, 300))).toEqual(
      trainClassifier(train.texts.slice(0, 300), train.labels.slice(0, 300)),
    );
    const back = parseClassifierModel(JSON.parse(JSON.stringify(model)));
    expect(classify(back, test.texts[0]!)).toEqual(classify(model, test.texts[0]!));
  });

  it('treats "not good" differently from "good" (negation marking)', () => {
    const texts = ['good', 'very good', 'good service', 'not good', 'not good at all', 'service not good'];
    const labels = ['pos', 'pos', 'pos', 'neg', 'neg', 'neg'];
    const m = trainClassifier([...texts, ...texts], [...labels, ...labels], { minDf: 1, C: 100 });
    expect(classify(m, 'the food was good').label).toBe('pos');
    expect(classify(m, 'the food was not good').label).toBe('neg');
  });

  it('refuses one label, mismatched lengths and a malformed model with clear messages', () => {
    expect(() => trainClassifier(['a', 'b'], ['x', 'x'])).toThrow(/at least two different labels.*only "x"/);
    expect(() => trainClassifier(['a'], ['x', 'y'])).toThrow(/1 texts but 2 labels/);
    expect(() => parseClassifierModel({ format: 'other' }, 'm.json')).toThrow(
      /^m\.json.*not a CX text classifier model: format/,
    );
    expect(() => parseClassifierModel({ ...model, bias: [1] })).toThrow(/array lengths do not agree/);
  });
});

describe('crossValidate', () => {
  it('reports pooled out-of-fold accuracy and macro-F1 with per-fold accuracy', () => {
    const d = demoSet(600, 3);
    const cv = crossValidate(d.texts, d.labels, { k: 5 });
    expect(cv.k).toBe(5);
    expect(cv.n).toBe(600);
    expect(cv.foldAccuracy).toHaveLength(5);
    const mean = cv.foldAccuracy.reduce((a, b) => a + b, 0) / 5;
    expect(mean).toBeCloseTo(cv.accuracy, 2);
    expect(cv.accuracy).toBeGreaterThan(0.5);
    expect(cv.macroF1).toBeGreaterThan(0.3);
    expect(() => crossValidate(['a', 'b', 'c'], ['x', 'y', 'y'], { k: 2 })).toThrow(/"x" has 1/);
  });
});

describe('baseline TF-IDF + logistic regression', () => {
  it('trains and classifies with its own vocabulary', () => {
    const train = demoSet(1000, 4);
    const test = demoSet(300, 5);
    const b = trainBaseline(train.texts, train.labels);
    expect(b.vocabulary.has('rude')).toBe(true);
    const e = evaluatePredictions(
      test.labels,
      test.texts.map((t) => classifyBaseline(b, t).label),
    );
    expect(e.accuracy).toBeGreaterThan(0.5);
  });
});
