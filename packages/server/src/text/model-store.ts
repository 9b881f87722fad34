import { randomBytes } from 'node:crypto';
import { AppError, inputError, text } from '@cx/core';
import { audit } from '../app-store/audit.ts';
import type { AppStore } from '../app-store/port.ts';
import { textDb } from './tables.ts';

/**
 * Labelled example comments and trained classifier models. A "task" names what is being labelled
 * ("sentiment", "theme:billing", "department", …). Labelling the same text again for the same task
 * replaces its label: the last word of the analyst counts, and the training set has no duplicates.
 */
export interface LabelInput {
  text: string;
  label: string;
  responseId?: string | undefined;
}

export const TASK_RE = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,63}$/;

function checkTask(task: string): void {
  if (!TASK_RE.test(task))
    throw inputError(
      'a task is 1–64 letters, digits, "_", ":", "." or "-", starting with a letter or digit',
      {
        field: 'task',
      },
    );
}

export async function addLabels(
  store: AppStore,
  task: string,
  items: readonly LabelInput[],
  by: { actor: string; now: Date; source: 'cockpit' | 'csv' | 'api' },
): Promise<{ added: number; replaced: number; total: number }> {
  checkTask(task);
  items.forEach((it, i) => {
    if (!it.text.trim()) throw inputError('the text is empty', { index: i, field: `items.${i}.text` });
    if (!it.label.trim()) throw inputError('the label is empty', { index: i, field: `items.${i}.label` });
  });
  const db = textDb(store);
  const at = by.now.toISOString();
  // Last one wins inside the batch too.
  const unique = new Map<string, LabelInput>();
  for (const it of items) unique.set(it.text, it);
  const result = await db.transaction().execute(async (trx) => {
    let replaced = 0;
    const texts = [...unique.keys()];
    for (let i = 0; i < texts.length; i += 500) {
      const r = await trx
        .deleteFrom('text_labels')
        .where('task', '=', task)
        .where('text', 'in', texts.slice(i, i + 500))
        .executeTakeFirst();
      replaced += Number(r.numDeletedRows);
    }
    const rows = [...unique.values()].map((it) => ({
      task,
      text: it.text,
      label: it.label.trim(),
      response_id: it.responseId ?? null,
      source: by.source,
      created_at: at,
      created_by: by.actor,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('text_labels')
        .values(rows.slice(i, i + 500))
        .execute();
    const total = await trx
      .selectFrom('text_labels')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('task', '=', task)
      .executeTakeFirstOrThrow();
    return { added: rows.length - replaced, replaced, total: Number(total.n) };
  });
  await audit(store, {
    at: by.now,
    actor: by.actor,
    action: 'text.labels',
    target: `task:${task}`,
    details: result,
  });
  return result;
}

export async function getLabels(
  store: AppStore,
  task: string,
): Promise<{ texts: string[]; labels: string[] }> {
  checkTask(task);
  const rows = await textDb(store)
    .selectFrom('text_labels')
    .select(['text', 'label'])
    .where('task', '=', task)
    .orderBy('label_id')
    .execute();
  return { texts: rows.map((r) => r.text), labels: rows.map((r) => r.label) };
}

export async function labelCounts(store: AppStore, task?: string) {
  let q = textDb(store)
    .selectFrom('text_labels')
    .select(['task', 'label', (e) => e.fn.countAll<number>().as('n')])
    .groupBy(['task', 'label'])
    .orderBy('task')
    .orderBy('label');
  if (task !== undefined) q = q.where('task', '=', task);
  return (await q.execute()).map((r) => ({ task: r.task, label: r.label, n: Number(r.n) }));
}

export interface ModelMetrics {
  k: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<string, text.ClassMetrics>;
  foldAccuracy: number[];
  trainSeconds: number;
}

const SENTIMENT_LABELS: readonly string[] = ['negative', 'neutral', 'positive'];

/** What an active model is applied to at ingest. */
export type ModelTarget = 'sentiment' | 'theme';
export const MODEL_TARGETS: readonly ModelTarget[] = ['sentiment', 'theme'];
export type ModelStatus = 'training' | 'ready' | 'failed';

/**
 * The target a task's models can serve: the task "sentiment" (labels negative / neutral / positive)
 * replaces the lexicon's sentiment; the task "theme" (labels are theme ids, "none" for no theme)
 * adds a theme. Other tasks ("department", "theme:billing", …) can be trained and applied with
 * /api/text/classify, but not at ingest: there is no column for them.
 */
export function modelTarget(task: string): ModelTarget | null {
  return task === 'sentiment' ? 'sentiment' : task === 'theme' ? 'theme' : null;
}

/** The label of a theme model that means "no theme". */
export const NO_THEME_LABEL = 'none';

export interface StoredModelInfo {
  modelId: string;
  task: string;
  status: ModelStatus;
  /** Why training failed (status "failed"), else null. */
  error: string | null;
  /** The target this model is applied to at ingest, or null when it is not active. */
  active: ModelTarget | null;
  createdAt: string;
  createdBy: string;
  nExamples: number;
  labels: string[];
  /** Null until the model is ready. */
  metrics: ModelMetrics | null;
}

export async function saveModel(
  store: AppStore,
  task: string,
  model: text.ClassifierModel,
  metrics: ModelMetrics,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  const pending = await createPendingModel(store, task, model.trainedOn, by);
  return finishModel(store, pending.modelId, model, metrics, by);
}

/** A model row in status "training": the job that trains it fills it with `finishModel` or `failModel`. */
export async function createPendingModel(
  store: AppStore,
  task: string,
  nExamples: number,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  checkTask(task);
  const modelId = `m_${randomBytes(6).toString('hex')}`;
  await textDb(store)
    .insertInto('text_models')
    .values({
      model_id: modelId,
      task,
      created_at: by.now.toISOString(),
      created_by: by.actor,
      n_examples: nExamples,
      labels_json: '[]',
      metrics_json: 'null',
      model_json: '',
      status: 'training',
      error: null,
      active_for: null,
    })
    .execute();
  return getModelInfo(store, modelId);
}

export async function finishModel(
  store: AppStore,
  modelId: string,
  model: text.ClassifierModel,
  metrics: ModelMetrics,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  await textDb(store)
    .updateTable('text_models')
    .set({
      status: 'ready',
      n_examples: model.trainedOn,
      labels_json: JSON.stringify(model.labels),
      metrics_json: JSON.stringify(metrics),
      model_json: JSON.stringify(model),
    })
    .where('model_id', '=', modelId)
    .execute();
  const info = await getModelInfo(store, modelId);
  await audit(store, {
    at: by.now,
    actor: by.actor,
    action: 'text.model.train',
    target: `model:${modelId}`,
    details: { task: info.task, n: info.nExamples, accuracy: metrics.accuracy, macroF1: metrics.macroF1 },
  });
  return info;
}

export async function failModel(store: AppStore, modelId: string, error: string): Promise<void> {
  await textDb(store)
    .updateTable('text_models')
    .set({ status: 'failed', error: error.slice(0, 2000) })
    .where('model_id', '=', modelId)
    .execute();
}

type ModelRow = {
  model_id: string;
  task: string;
  status: ModelStatus;
  error: string | null;
  active_for: ModelTarget | null;
  created_at: string;
  created_by: string;
  n_examples: number;
  labels_json: string;
  metrics_json: string;
};

const info = (r: ModelRow): StoredModelInfo => ({
  modelId: r.model_id,
  task: r.task,
  status: r.status,
  error: r.error,
  active: r.active_for,
  createdAt: r.created_at,
  createdBy: r.created_by,
  nExamples: Number(r.n_examples),
  labels: JSON.parse(r.labels_json),
  metrics: JSON.parse(r.metrics_json),
});

const INFO_COLUMNS = [
  'model_id',
  'task',
  'status',
  'error',
  'active_for',
  'created_at',
  'created_by',
  'n_examples',
  'labels_json',
  'metrics_json',
] as const;

export async function listModels(store: AppStore, task?: string): Promise<StoredModelInfo[]> {
  let q = textDb(store)
    .selectFrom('text_models')
    .select(INFO_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('model_id', 'desc');
  if (task !== undefined) q = q.where('task', '=', task);
  return (await q.execute()).map(info);
}

export async function getModelInfo(store: AppStore, modelId: string): Promise<StoredModelInfo> {
  const row = await textDb(store)
    .selectFrom('text_models')
    .select(INFO_COLUMNS)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No model ${modelId}`, { field: 'modelId' });
  return info(row);
}

/** A ready model by id, or the newest ready model of a task. */
export async function loadModel(
  store: AppStore,
  ref: { modelId?: string | undefined; task?: string | undefined },
): Promise<{ info: StoredModelInfo; model: text.ClassifierModel }> {
  let q = textDb(store)
    .selectFrom('text_models')
    .select([...INFO_COLUMNS, 'model_json'])
    .orderBy('created_at', 'desc')
    .orderBy('model_id', 'desc')
    .limit(1);
  if (ref.modelId !== undefined) q = q.where('model_id', '=', ref.modelId);
  else if (ref.task !== undefined) q = q.where('task', '=', ref.task).where('status', '=', 'ready');
  else throw inputError('give a modelId or a task', { field: 'modelId' });
  const row = await q.executeTakeFirst();
  if (!row)
    throw new AppError(
      'not_found',
      ref.modelId !== undefined ? `No model ${ref.modelId}` : `No trained model for task "${ref.task}"`,
      { field: ref.modelId !== undefined ? 'modelId' : 'task' },
    );
  if (row.status !== 'ready')
    throw new AppError('conflict', `Model ${row.model_id} is ${row.status}, not ready`, { field: 'modelId' });
  return { info: info(row), model: parsedModel(row.model_id, row.model_json) };
}

// A ready model never changes, so its parsed form (megabytes of JSON) is kept by id: ingest asks
// for the active models on every batch request.
const parsed = new Map<string, text.ClassifierModel>();
function parsedModel(modelId: string, json: string): text.ClassifierModel {
  let m = parsed.get(modelId);
  if (!m) {
    m = text.parseClassifierModel(JSON.parse(json));
    if (parsed.size >= 8) parsed.delete(parsed.keys().next().value!);
    parsed.set(modelId, m);
  }
  return m;
}

/**
 * Makes a ready model the one applied to new comments for its target, replacing the previous one.
 * `target`, when given, must be the model's own target (a guard against activating, say, a
 * department model as the sentiment model).
 */
export async function activateModel(
  store: AppStore,
  modelId: string,
  target: ModelTarget | undefined,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  const m = await getModelInfo(store, modelId);
  const own = modelTarget(m.task);
  if (own === null)
    throw inputError(
      `model ${modelId} was trained for task "${m.task}"; only models of the task "sentiment" or "theme" can be active`,
      { field: 'modelId' },
    );
  if (target !== undefined && target !== own)
    throw inputError(`model ${modelId} is a ${own} model (task "${m.task}"), not a ${target} model`, {
      field: 'target',
    });
  if (m.status !== 'ready')
    throw inputError(`model ${modelId} is ${m.status}; only a ready model can be active`, {
      field: 'modelId',
    });
  if (own === 'sentiment') {
    const bad = m.labels.filter((l) => !SENTIMENT_LABELS.includes(l));
    if (bad.length)
      throw inputError(
        `a sentiment model predicts negative, neutral or positive; model ${modelId} also predicts "${bad.join('", "')}"`,
        { field: 'labels' },
      );
  }
  await textDb(store)
    .transaction()
    .execute(async (trx) => {
      await trx.updateTable('text_models').set({ active_for: null }).where('active_for', '=', own).execute();
      await trx.updateTable('text_models').set({ active_for: own }).where('model_id', '=', modelId).execute();
    });
  await audit(store, {
    at: by.now,
    actor: by.actor,
    action: 'text.model.activate',
    target: `model:${modelId}`,
    details: { target: own },
  });
  return getModelInfo(store, modelId);
}

/** No model is applied for the target any more (ingest falls back to the lexicon / the taxonomy). */
export async function deactivateModel(
  store: AppStore,
  modelId: string,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  const m = await getModelInfo(store, modelId);
  if (m.active !== null) {
    await textDb(store)
      .updateTable('text_models')
      .set({ active_for: null })
      .where('model_id', '=', modelId)
      .execute();
    await audit(store, {
      at: by.now,
      actor: by.actor,
      action: 'text.model.deactivate',
      target: `model:${modelId}`,
      details: { target: m.active },
    });
  }
  return getModelInfo(store, modelId);
}

export interface ActiveModels {
  sentiment?: text.ClassifierModel;
  theme?: text.ClassifierModel;
}

/** The active model of each target, parsed (cached by id, so the large JSON is read only once). */
export async function activeModels(store: AppStore): Promise<ActiveModels> {
  const db = textDb(store);
  const rows = await db
    .selectFrom('text_models')
    .select(['model_id', 'active_for'])
    .where('active_for', 'is not', null)
    .where('status', '=', 'ready')
    .execute();
  const out: ActiveModels = {};
  for (const r of rows) {
    if (!r.active_for) continue;
    let m = parsed.get(r.model_id);
    if (!m) {
      const j = await db
        .selectFrom('text_models')
        .select('model_json')
        .where('model_id', '=', r.model_id)
        .executeTakeFirstOrThrow();
      m = parsedModel(r.model_id, j.model_json);
    }
    out[r.active_for] = m;
  }
  return out;
}
