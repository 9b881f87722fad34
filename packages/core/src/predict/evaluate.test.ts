import { describe, expect, it } from 'vitest';
import { chooseLearner, evaluate, trainModel } from './evaluate.ts';
import { loadModel } from './learners.ts';
import { syntheticDataset as synthetic } from './synthetic.fixture.ts';
import type { Learner } from './types.ts';

/** A learner that knows the true form: scores 1.5·a + 2·|b| (no fitting). */
const oracle: Learner = {
  kind: 'gbdt',
  fit: (d) => ({
    kind: 'gbdt',
    features: d.features,
    predict: (m) =>
      Float64Array.from({ length: m.n }, (_, i) => 1.5 * m.x[i * m.p]! + 2 * Math.abs(m.x[i * m.p + 1]!)),
    explain: () => ({ base: 0, contributions: new Float64Array(3) }),
    toJSON: () => ({ kind: 'gbdt', features: d.features, params: {} }),
  }),
};
/** A learner that knows nothing: a constant score. */
const constant: Learner = {
  ...oracle,
  fit: (d) => ({ ...oracle.fit(d), predict: (m) => new Float64Array(m.n) }),
};

describe('evaluate', () => {
  it('cross-validates, reports AUC ± std per learner and chooses the better one by the 1-SE rule', () => {
    const data = synthetic(2000);
    const e = evaluate(data, { learners: ['logistic', 'gbdt'], registry: { gbdt: oracle } });
    const [lr, gb] = e.candidates;
    expect(lr!.kind).toBe('logistic');
    expect(lr!.foldAucs).toHaveLength(5);
    expect(lr!.auc).toBeGreaterThan(0.6);
    expect(gb!.auc).toBeGreaterThan(lr!.auc + 0.05);
    expect(e.model).toBe('gbdt');
    expect(e.auc).toBe(gb!.auc);
    expect(e.n).toBe(2000);
    expect(e.calibration).toHaveLength(10);
    expect(e.calibration.reduce((s, b) => s + b.n, 0)).toBe(2000);

    const e2 = evaluate(data, { learners: ['logistic', 'gbdt'], registry: { gbdt: constant } });
    expect(e2.model).toBe('logistic');
    // Logistic out-of-fold predictions are calibrated: observed ≈ predicted overall, Brier < base rate variance.
    const rate = e2.positives / e2.n;
    expect(e2.brier).toBeLessThan(rate * (1 - rate));
    expect(e2.liftTopDecile).toBeGreaterThan(1.3);
  });

  it('is reproducible: same seed, same AUCs', () => {
    const data = synthetic(600);
    const a = evaluate(data, { learners: ['logistic'], seed: 3 });
    const b = evaluate(data, { learners: ['logistic'], seed: 3 });
    expect(a.candidates[0]!.foldAucs).toEqual(b.candidates[0]!.foldAucs);
    expect(evaluate(data, { learners: ['logistic'], seed: 4 }).candidates[0]!.foldAucs).not.toEqual(
      a.candidates[0]!.foldAucs,
    );
  });

  it('selection on a stratified sample when the data is large', () => {
    const data = synthetic(3000);
    const e = evaluate(data, { learners: ['logistic'], maxRowsForSelection: 1000 });
    expect(e.selectionRows).toBe(1000);
    expect(e.n).toBe(3000);
    expect(e.warnings[0]).toMatch(/stratified sample of 1,000 of 3,000 rows/);
  });

  it('too few rows for the folds asked: error naming the folds and the counts', () => {
    const data = synthetic(200);
    const y = new Uint8Array(200);
    y[0] = 1;
    y[1] = 1;
    y[2] = 1;
    expect(() => evaluate({ ...data, y }, { folds: 5 })).toThrow(
      'too few rows for 5 folds: 3 positive and 197 negative rows; every fold needs at least one of each, so use --folds 3 or fewer, or more data',
    );
    expect(() => evaluate(data, { folds: 1 })).toThrow(/--folds must be a whole number from 2 to 100/);
  });

  it('one-SE rule: logistic kept when the best is within one standard error', () => {
    const c = [
      { kind: 'logistic' as const, auc: 0.8, aucStd: 0.01 },
      { kind: 'gbdt' as const, auc: 0.804, aucStd: 0.01 },
    ];
    expect(chooseLearner(c, 5).kind).toBe('logistic'); // 0.004 ≤ 0.01/√5 = 0.0045
    expect(chooseLearner([c[0]!, { ...c[1]!, auc: 0.805 }], 5).kind).toBe('gbdt');
  });

  it('trainModel fits on all rows; the saved model revives with loadModel', () => {
    const data = synthetic(500);
    const m = trainModel(data, 'logistic');
    const again = loadModel(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(again.predict(data))).toEqual(Array.from(m.predict(data)));
    expect(() => loadModel({ kind: 'svm' as 'gbdt', features: [], params: {} })).toThrow(
      /unknown model kind "svm"/,
    );
  });
});
