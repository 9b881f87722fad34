import { type Encoder, encodeRows, inputError, loadModel } from '@cx/core';
import { assertDate, customerFeaturesSql, readColumns } from '../queries/predict/customer-features.ts';
import type { StoreTarget } from '../queries/predict/labels.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { requireActiveModel } from './model-registry.ts';
import { topReasons } from './reasons.ts';
import { dataEnd, tableColumns } from './store-pipeline.ts';

/**
 * Scores every customer active at `asOf` with the active model of a target (issue 6 §3): features
 * from everything strictly before `asOf` (default: the day after the store's data ends — the model
 * then predicts the next `horizonMonths`), the probability and the three strongest reasons in words.
 * The target's previous scores are replaced in one transaction, so readers see old or new, never a mix.
 */
export interface ScoreStoreOptions {
  target: StoreTarget;
  asOf?: string;
  onProgress?: (fraction: number, stage: string) => void;
}

export async function scoreStore(
  stores: { warehouse: Warehouse },
  opts: ScoreStoreOptions,
): Promise<{ modelId: string; scored: number; asOf: string }> {
  const wh = stores.warehouse;
  const progress = opts.onProgress ?? (() => {});
  const m = await requireActiveModel(wh, opts.target);
  const asOf = opts.asOf ?? (await dataEnd(wh)).asOf;
  if (!asOf) throw inputError('the store holds no events or outcomes to score', { field: 'asOf' });
  assertDate(asOf, 'asOf');

  progress(0, 'features');
  const { sql, params } = customerFeaturesSql({ cutoff: asOf, ...m.stored.vocabulary });
  const { names, cols, n } = await readColumns(wh, sql, params);
  const columns = tableColumns(names, cols);
  const encoder = m.stored.encoder as Encoder;
  progress(0.4, 'predict');
  const matrix = encodeRows(encoder, columns);
  const model = loadModel(m.stored.model);
  const p = model.predict(matrix);

  progress(0.6, 'explain');
  const ids = columns[0]!.values as string[];
  const byName = new Map(columns.map((c) => [c.name, c.values]));
  const scoredAt = new Date();
  const rows: unknown[][] = new Array(n);
  const row = new Float64Array(matrix.p);
  for (let i = 0; i < n; i++) {
    // Explaining is CPU-bound JS: give a serving event loop a turn every 1,000 customers.
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    row.set(matrix.x.subarray(i * matrix.p, (i + 1) * matrix.p));
    const { contributions } = model.explain(row);
    const reasons = topReasons(opts.target, model.features, contributions, (f) => {
      const v = byName.get(f)?.[i];
      return v === undefined ? null : (v as number | string | null);
    });
    rows[i] = [m.modelId, opts.target, ids[i], p[i], asOf, JSON.stringify(reasons), scoredAt];
  }

  progress(0.9, 'store');
  await wh.transaction(async (tx) => {
    await tx.run('delete from customer_scores where target = $1', [opts.target]);
    await tx.append(
      'customer_scores',
      ['model_id', 'target', 'customer_id', 'probability', 'as_of', 'reasons', 'scored_at'],
      rows,
    );
  });
  progress(1, 'done');
  return { modelId: m.modelId, scored: n, asOf };
}
