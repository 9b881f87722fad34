import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { scoreStore } from '../packages/server/src/predict/score-store.ts';
import { trainStoreModel } from '../packages/server/src/predict/store-pipeline.ts';
import {
  customerFeaturesSql,
  featureVocabulary,
} from '../packages/server/src/queries/predict/customer-features.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, withPeakRss, writeResult } from './lib.ts';

/**
 * Churn and cross-sell on the store (issue 6 §3): the feature statement, training (5-fold CV of
 * logistic regression and gradient-boosted trees, refit, on a worker thread) and scoring with reasons,
 * on the demo company (DEMO_CUSTOMERS, default 20,000 — what `npm start` seeds) in a DuckDB file.
 */
const customers = Number(process.env.DEMO_CUSTOMERS ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'cx-predict-bench-'));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
try {
  const stores = await openStores({
    dataDir: dir,
    warehousePath: join(dir, 'cx.duckdb'),
    appStorePath: join(dir, 'app.sqlite'),
    dbThreads: undefined,
  });
  const seed = await timed(() => seedDemo(stores.warehouse, { customers, seed: 42 }));
  const features = await timed(async () => {
    const voc = await featureVocabulary(stores.warehouse, '2026-01-01');
    const { sql, params } = customerFeaturesSql({ cutoff: '2026-01-01', ...voc });
    return (await stores.warehouse.all(sql, params)).length;
  });
  const out: Record<string, unknown> = {
    customers,
    seedSeconds: round(seed.seconds),
    featureRows: features.value,
    featureSeconds: round(features.seconds),
  };
  for (const target of ['churn', 'cross_sell'] as const) {
    const { peakRssMiB, value: train } = await withPeakRss(() =>
      timed(() => trainStoreModel(stores, { target, minPositives: 100 })),
    );
    const score = await timed(() => scoreStore(stores, { target }));
    out[target] = {
      auc: round(train.value.auc, 3),
      aucStd: round(train.value.aucStd, 3),
      model: train.value.model,
      candidates: train.value.candidates.map((c) => ({ kind: c.kind, auc: round(c.auc, 3) })),
      liftTopDecile: round(train.value.liftTopDecile),
      rows: train.value.n,
      positives: train.value.positives,
      features: train.value.features.length,
      trainSeconds: round(train.seconds),
      scoreSeconds: round(score.seconds),
      scored: score.value.scored,
      peakRssMiB,
    };
  }
  await stores.close();
  writeResult(customers === 20_000 ? 'predict-store' : `predict-store-${customers}`, out);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
