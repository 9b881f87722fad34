import { Worker } from 'node:worker_threads';
import { inputError, type text } from '@cx/core';
import type { AppStore } from '../app-store/port.ts';
import {
  createPendingModel,
  failModel,
  finishModel,
  getLabels,
  type StoredModelInfo,
} from './model-store.ts';
import { textDb } from './tables.ts';
import type { TrainReport } from './train.ts';
import type { TrainWorkerInput, TrainWorkerOutput } from './train-worker.ts';

/**
 * Training as a background job (issue 5): the request validates the labels, stores the model row in
 * status "training" and returns at once; a worker thread runs the cross-validation and the final
 * model, and the row becomes "ready" (with metrics) or "failed" (with the reason). Trainings run one
 * after the other: each already uses a whole core, and the server must keep one for its requests.
 */
export interface TrainParams {
  k: number;
  options: Partial<text.ClassifierOptions>;
}

let queue: Promise<unknown> = Promise.resolve();
/** Models being trained (or queued) by this process; any other "training" row was interrupted. */
const inFlight = new Set<string>();

export async function startTraining(
  store: AppStore,
  task: string,
  params: TrainParams,
  by: { actor: string; now: () => Date },
): Promise<{ info: StoredModelInfo; done: Promise<StoredModelInfo> }> {
  const { texts, labels } = await getLabels(store, task);
  if (texts.length === 0) throw inputError(`no labelled comments for task "${task}"`, { field: 'task' });
  const classes = new Set(labels);
  if (classes.size < 2)
    throw inputError(
      `need at least two different labels to train, task "${task}" has only "${[...classes][0]}"`,
      { field: 'task' },
    );
  const info = await createPendingModel(store, task, texts.length, { actor: by.actor, now: by.now() });
  inFlight.add(info.modelId);
  const run = queue.then(async () => {
    try {
      const report = await trainInWorker(texts, labels, params);
      return await finishModel(store, info.modelId, report.model, report.metrics, {
        actor: by.actor,
        now: by.now(),
      });
    } catch (e) {
      await failModel(store, info.modelId, e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      inFlight.delete(info.modelId);
    }
  });
  queue = run.catch(() => undefined);
  return { info, done: run };
}

/** Runs `trainWithCrossValidation` on a worker thread. */
export function trainInWorker(texts: string[], labels: string[], params: TrainParams): Promise<TrainReport> {
  const data: TrainWorkerInput = {
    entry: new URL('./train-worker.ts', import.meta.url).href,
    texts,
    labels,
    k: params.k,
    options: params.options,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker-boot.mjs', import.meta.url), { workerData: data });
    let settled = false;
    worker.once('message', (m: TrainWorkerOutput) => {
      settled = true;
      if (m.ok) resolve(m.report);
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the training worker stopped (exit code ${code})`));
    });
  });
}

/**
 * A "training" row that no job of this process is working on was cut off by a restart: it is marked
 * failed, so the cockpit does not wait for it forever.
 */
export async function failInterruptedTrainings(store: AppStore): Promise<void> {
  let q = textDb(store)
    .updateTable('text_models')
    .set({ status: 'failed', error: 'interrupted: the server stopped before the training finished' })
    .where('status', '=', 'training');
  if (inFlight.size) q = q.where('model_id', 'not in', [...inFlight]);
  await q.execute();
}
