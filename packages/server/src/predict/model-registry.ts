import { AppError, type ModelCard, type SerializedModel } from '@cx/core';
import type { FeatureVocabulary } from '../queries/predict/customer-features.ts';
import type { StoreTarget } from '../queries/predict/labels.ts';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * Trained store models live in the warehouse table `prediction_models` (migration 4): the card for
 * the cockpit, and everything scoring needs to rebuild the exact training columns — the serialised
 * model, the encoder's state and the feature vocabulary (journeys, themes). One model per target is
 * active; training a new one deactivates the old in the same transaction, so scoring never sees none.
 */
export interface StoredModel {
  model: SerializedModel;
  /** The encoder's serialised state (encode.ts), opaque here. */
  encoder: unknown;
  vocabulary: FeatureVocabulary;
}

export interface ModelRow {
  modelId: string;
  target: StoreTarget;
  kind: string;
  trainedAt: string;
  cutoff: string;
  horizonMonths: number;
  card: ModelCard;
  stored: StoredModel;
  active: boolean;
}

interface RawRow {
  model_id: string;
  target: StoreTarget;
  kind: string;
  trained_at: string;
  cutoff: string;
  horizon_months: number;
  card: string;
  model: string;
  active: boolean;
}

const parse = (r: RawRow, withModel: boolean): ModelRow => ({
  modelId: r.model_id,
  target: r.target,
  kind: r.kind,
  trainedAt: r.trained_at,
  cutoff: r.cutoff.slice(0, 10),
  horizonMonths: r.horizon_months,
  card: JSON.parse(r.card) as ModelCard,
  stored: withModel ? (JSON.parse(r.model) as StoredModel) : (undefined as never),
  active: r.active,
});

export async function saveModel(tx: WarehouseSession, row: Omit<ModelRow, 'active'>): Promise<void> {
  await tx.run('update prediction_models set active = false where target = $1 and active', [row.target]);
  await tx.append(
    'prediction_models',
    ['model_id', 'target', 'kind', 'trained_at', 'cutoff', 'horizon_months', 'card', 'model', 'active'],
    [
      [
        row.modelId,
        row.target,
        row.kind,
        new Date(row.trainedAt),
        row.cutoff,
        row.horizonMonths,
        JSON.stringify(row.card),
        JSON.stringify(row.stored),
        true,
      ],
    ],
  );
}

/** Cards of the active models (newest first), without the heavy model JSON. */
export async function listModels(wh: WarehouseSession, opts: { all?: boolean } = {}): Promise<ModelRow[]> {
  const rows = await wh.all<RawRow>(
    `select model_id, target, kind, trained_at, cutoff::varchar as cutoff, horizon_months, card, null as model, active
     from prediction_models ${opts.all ? '' : 'where active'} order by trained_at desc, model_id`,
  );
  return rows.map((r) => parse(r, false));
}

export async function activeModel(wh: WarehouseSession, target: StoreTarget): Promise<ModelRow | null> {
  const [row] = await wh.all<RawRow>(
    `select model_id, target, kind, trained_at, cutoff::varchar as cutoff, horizon_months, card, model, active
     from prediction_models where target = $1 and active order by trained_at desc limit 1`,
    [target],
  );
  return row ? parse(row, true) : null;
}

export async function requireActiveModel(wh: WarehouseSession, target: StoreTarget): Promise<ModelRow> {
  const m = await activeModel(wh, target);
  if (!m) {
    throw new AppError(
      'not_found',
      `No ${target} model has been trained yet: run \`cxc predict train --target ${target}\` or POST /api/predict/train`,
      { field: 'target' },
    );
  }
  return m;
}
