import {
  AppError,
  type Dataset,
  type Evaluation,
  evaluate,
  planSelection,
  syntheticDataset as synthetic,
  trainModel,
} from '@cx/core';
import { describe, expect, it } from 'vitest';
import { evaluateInPool, FitPool, selectAndFit } from './fit-pool.ts';

/** Everything but the timings, which differ from run to run. */
const comparable = (e: Evaluation) => ({
  ...e,
  candidates: e.candidates.map(({ seconds: _, ...c }) => c),
});

describe('fit pool', () => {
  it('gives the same evaluation and model with 1 and 2 workers as on this thread', {
    timeout: 120_000,
  }, async () => {
    const data = synthetic(3000);
    // A selection sample smaller than the data, so the refit gets the full rows by message.
    const opts = { folds: 4, seed: 3, maxRowsForSelection: 2400 };
    const local = evaluate(data, opts);
    const localModel = trainModel(data, local.model, { seed: 3 }).toJSON();
    expect(local.selectionRows).toBe(2400);
    expect(local.model).toBe('gbdt');

    const one = await selectAndFit(data, { ...opts, workers: 1 });
    const two = await selectAndFit(data, { ...opts, workers: 2 });
    expect(comparable(one.evaluation)).toEqual(comparable(local));
    expect(comparable(two.evaluation)).toEqual(comparable(local));
    expect(one.model).toEqual(localModel);
    expect(two.model).toEqual(localModel);

    const evaluated = await evaluateInPool(data, { ...opts, workers: 2 });
    expect(comparable(evaluated)).toEqual(comparable(local));
  });

  it('refits speculatively: a right guess is kept, a wrong one cancelled; the model is the same', {
    timeout: 120_000,
  }, async () => {
    const data = synthetic(3000);
    const opts = { folds: 3, seed: 1, maxRowsForSelection: 2000, workers: 2 };
    const local = evaluate(data, opts);
    expect(local.model).toBe('gbdt');
    const localModel = trainModel(data, 'gbdt', { seed: 1 }).toJSON();
    const seen: number[] = [];
    const auto = await selectAndFit(data, { ...opts, onProgress: (f) => seen.push(f) });
    expect(auto.speculated).toBe('gbdt');
    const wrong = await selectAndFit(data, { ...opts, speculate: 'logistic' });
    expect(wrong.speculated).toBe('logistic');
    const none = await selectAndFit(data, { ...opts, speculate: false });
    expect(none.speculated).toBeNull();
    for (const r of [auto, wrong, none]) {
      expect(r.model).toEqual(localModel);
      expect(comparable(r.evaluation)).toEqual(comparable(local));
    }
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
    // The caller's data is left as it was.
    expect(data.x.length).toBe(9000);
  });

  it('rejects with the AppError a worker threw, with its code and details', { timeout: 60_000 }, async () => {
    const data = synthetic(500);
    const oneClass: Dataset = { ...data, y: new Uint8Array(data.n) };
    const plan = planSelection(data, { folds: 2 });
    // The "full" rows have one class only: the final fit on them throws in the worker.
    const pool = new FitPool(plan, oneClass, 2);
    try {
      const err = await pool.run({ type: 'final', kind: 'gbdt', cancellable: false }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('bad_input');
      expect((err as AppError).message).toMatch(/the target has one class only/);
      expect((err as AppError).details).toMatchObject({ field: 'target' });
      // The pool keeps working after a fit failed.
      const ok = await pool.run({ type: 'fold', task: { kind: 'logistic', fold: 1 } });
      expect(ok.type).toBe('fold');
    } finally {
      await pool.close();
    }
  });
});
