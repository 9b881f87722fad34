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

export interface StoredModelInfo {
  modelId: string;
  task: string;
  createdAt: string;
  createdBy: string;
  nExamples: number;
  labels: string[];
  metrics: ModelMetrics;
}

export async function saveModel(
  store: AppStore,
  task: string,
  model: text.ClassifierModel,
  metrics: ModelMetrics,
  by: { actor: string; now: Date },
): Promise<StoredModelInfo> {
  checkTask(task);
  const info: StoredModelInfo = {
    modelId: `m_${randomBytes(6).toString('hex')}`,
    task,
    createdAt: by.now.toISOString(),
    createdBy: by.actor,
    nExamples: model.trainedOn,
    labels: model.labels,
    metrics,
  };
  await textDb(store)
    .insertInto('text_models')
    .values({
      model_id: info.modelId,
      task,
      created_at: info.createdAt,
      created_by: info.createdBy,
      n_examples: info.nExamples,
      labels_json: JSON.stringify(info.labels),
      metrics_json: JSON.stringify(metrics),
      model_json: JSON.stringify(model),
    })
    .execute();
  await audit(store, {
    at: by.now,
    actor: by.actor,
    action: 'text.model.train',
    target: `model:${info.modelId}`,
    details: { task, n: info.nExamples, accuracy: metrics.accuracy, macroF1: metrics.macroF1 },
  });
  return info;
}

type ModelRow = {
  model_id: string;
  task: string;
  created_at: string;
  created_by: string;
  n_examples: number;
  labels_json: string;
  metrics_json: string;
};

const info = (r: ModelRow): StoredModelInfo => ({
  modelId: r.model_id,
  task: r.task,
  createdAt: r.created_at,
  createdBy: r.created_by,
  nExamples: Number(r.n_examples),
  labels: JSON.parse(r.labels_json),
  metrics: JSON.parse(r.metrics_json),
});

const INFO_COLUMNS = [
  'model_id',
  'task',
  'created_at',
  'created_by',
  'n_examples',
  'labels_json',
  'metrics_json',
] as const;

export async function listModels(store: AppStore, task?: string): Promise<StoredModelInfo[]> {
  let q = textDb(store).selectFrom('text_models').select(INFO_COLUMNS).orderBy('created_at', 'desc');
  if (task !== undefined) q = q.where('task', '=', task);
  return (await q.execute()).map(info);
}

/** A model by id, or the newest model of a task. */
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
  else if (ref.task !== undefined) q = q.where('task', '=', ref.task);
  else throw inputError('give a modelId or a task', { field: 'modelId' });
  const row = await q.executeTakeFirst();
  if (!row)
    throw new AppError(
      'not_found',
      ref.modelId !== undefined ? `No model ${ref.modelId}` : `No trained model for task "${ref.task}"`,
    );
  return { info: info(row), model: text.parseClassifierModel(JSON.parse(row.model_json)) };
}
