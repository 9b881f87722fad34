import {
  type Evaluation,
  encodeTable,
  evaluate,
  inputError,
  type ModelCard,
  type SerializedModel,
  type StoreModelCard,
  type TableColumn,
  trainModel,
} from '@cx/core';
import {
  CATEGORICAL_FEATURES,
  customerFeaturesSql,
  featureVocabulary,
  readColumns,
  toFeatureTable,
} from '../queries/predict/customer-features.ts';
import { assertHorizon, type StoreTarget, withLabelSql } from '../queries/predict/labels.ts';
import type { Warehouse, WarehouseSession } from '../warehouse/port.ts';
import { selectAndFit } from './fit-pool.ts';
import { listModels, saveModel } from './model-registry.ts';

/**
 * Churn and cross-sell models on the store (issue 6 §3). Training is a time split by design: the
 * features come from before a training cutoff and the label from the `horizonMonths` after it; the
 * model then scores the latest data (score-store.ts), so what it is judged on (cross-validation on
 * the training snapshot) never saw the months it predicts.
 */
export interface TrainStoreOptions {
  target: StoreTarget;
  /** 'YYYY-MM-DD'; default: 2 × horizon months before the end of the outcomes (2026-01-01 on the demo). */
  cutoff?: string;
  horizonMonths?: number;
  seed?: number;
  folds?: number;
  /** Fewest positives to train on (default 500, as Predict iQ); tests and small stores lower it. */
  minPositives?: number;
  onProgress?: (fraction: number, stage: string) => void;
  /**
   * Cross-validate and refit on worker threads (default: fold fits side by side on every core), so a
   * server stays responsive; false runs everything on this thread.
   */
  inWorker?: boolean;
  /** Worker threads when inWorker (default one per core). */
  workers?: number;
}

export const DEFAULT_MIN_POSITIVES = 500;
export const DEFAULT_HORIZON_MONTHS = 3;

const TARGET_WORDS: Record<StoreTarget, string> = {
  churn: 'churned',
  cross_sell: 'added a product',
};

/** The first day after the data: months end at `max(period) + 1 month`, events at their day + 1. */
export async function dataEnd(
  wh: WarehouseSession,
): Promise<{ outcomesEnd: string | null; asOf: string | null }> {
  const [r] = await wh.all<{ outcomes_end: string | null; as_of: string | null }>(
    `select (select (max(period) + interval 1 month)::date::varchar from outcomes) as outcomes_end,
            greatest((select (max(period) + interval 1 month)::date from outcomes),
                     (select (max(ts) at time zone 'UTC')::date + 1 from events))::varchar as as_of`,
  );
  return { outcomesEnd: r?.outcomes_end ?? null, asOf: r?.as_of ?? null };
}

export const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/** Feature columns typed for the encoder (the database decides which are categories). */
export function tableColumns(names: string[], cols: Map<string, unknown[]>): TableColumn[] {
  const table = toFeatureTable(names, cols);
  return [
    { name: 'customer_id', values: table.customerIds, kind: 'categorical' },
    ...table.columns.map((c) => ({
      name: c.name,
      values: c.values,
      kind: (CATEGORICAL_FEATURES as readonly string[]).includes(c.name)
        ? ('categorical' as const)
        : ('numeric' as const),
    })),
  ];
}

export async function trainStoreModel(
  stores: { warehouse: Warehouse },
  opts: TrainStoreOptions,
): Promise<ModelCard> {
  const wh = stores.warehouse;
  const target = opts.target;
  if (target !== 'churn' && target !== 'cross_sell') {
    throw inputError(`must be churn or cross_sell, got "${String(target)}"`, { field: 'target' });
  }
  const horizon = opts.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  assertHorizon(horizon);
  const minPositives = opts.minPositives ?? DEFAULT_MIN_POSITIVES;
  const progress = opts.onProgress ?? (() => {});
  const { outcomesEnd } = await dataEnd(wh);
  if (!outcomesEnd)
    throw inputError('the store has no outcomes (revenue, churn, products) to learn from', {
      field: 'target',
    });
  const cutoff = opts.cutoff ?? addMonths(outcomesEnd, -2 * horizon);
  const labelEnd = addMonths(cutoff, horizon);
  if (labelEnd > outcomesEnd) {
    throw inputError(
      `the label needs outcomes up to ${labelEnd} (cutoff ${cutoff} + ${horizon} months), but they end at ${outcomesEnd}; choose an earlier cutoff or a shorter horizon`,
      { field: 'cutoff' },
    );
  }

  progress(0, 'features');
  const vocabulary = await featureVocabulary(wh, cutoff);
  const features = customerFeaturesSql({ cutoff, ...vocabulary });
  const { names, cols, n } = await readColumns(
    wh,
    withLabelSql(features.sql, target, horizon),
    features.params,
  );
  const label = (cols.get('label') ?? []) as number[];
  const positives = label.reduce((s, v) => s + Number(v), 0);
  if (positives < minPositives || positives === n) {
    throw inputError(
      `${positives} of ${n} customers active on ${cutoff} ${TARGET_WORDS[target]} within ${horizon} months; training needs at least ${minPositives} positives${positives === n ? ' and some negatives' : ''} (option minPositives), so no ${target} model was trained`,
      { field: 'target', positives, minimum: minPositives, customers: n },
    );
  }

  progress(0.1, 'encode');
  const columns = tableColumns(
    names.filter((c) => c !== 'label'),
    cols,
  );
  columns.push({ name: 'label', values: label, kind: 'numeric' });
  // In shared memory: the fitting workers read it without a copy.
  const encoded = encodeTable(columns, {
    target: 'label',
    positive: '1',
    idColumn: 'customer_id',
    shared: true,
  });
  const seed = opts.seed ?? 0;

  progress(0.15, 'cross-validation');
  const fitProgress = (f: number, stage: string) => progress(0.15 + 0.8 * f, stage);
  const folds = opts.folds ?? 5;
  let evaluation: Evaluation;
  let serialized: SerializedModel;
  if (opts.inWorker ?? true) {
    ({ evaluation, model: serialized } = await selectAndFit(encoded.dataset, {
      folds,
      seed,
      onProgress: fitProgress,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    }));
  } else {
    evaluation = evaluate(encoded.dataset, {
      folds,
      seed,
      onProgress: (f) => fitProgress(0.8 * f, 'cross-validation'),
    });
    serialized = trainModel(encoded.dataset, evaluation.model, {
      seed,
      onProgress: (f) => fitProgress(0.8 + 0.2 * f, 'refit'),
    }).toJSON();
  }

  const trainedAt = new Date().toISOString();
  const modelId = `${target}_${trainedAt.replace(/[-:TZ.]/g, '').slice(0, 14)}_${Math.random().toString(16).slice(2, 6)}`;
  const card: ModelCard = {
    ...evaluation,
    warnings: [...encoded.warnings, ...evaluation.warnings],
    modelId,
    target,
    trainedAt,
    cutoff,
    horizonMonths: horizon,
  };
  await wh.transaction((tx) =>
    saveModel(tx, {
      modelId,
      target,
      kind: evaluation.model,
      trainedAt,
      cutoff,
      horizonMonths: horizon,
      card,
      stored: { model: serialized, encoder: encoded.encoder, vocabulary },
    }),
  );
  progress(1, 'done');
  return card;
}

/** Cards of the active models with when (and for which date) their scores were computed. */
export async function listModelCards(wh: WarehouseSession): Promise<StoreModelCard[]> {
  const [models, scored] = await Promise.all([
    listModels(wh),
    wh.all<{ model_id: string; as_of: string; n: number }>(
      'select model_id, max(as_of)::varchar as as_of, count(*) as n from customer_scores group by model_id',
    ),
  ]);
  const byModel = new Map(scored.map((s) => [s.model_id, s]));
  return models.map((m) => ({
    ...m.card,
    scoredAsOf: byModel.get(m.modelId)?.as_of ?? null,
    scored: Number(byModel.get(m.modelId)?.n ?? 0),
  }));
}
