import { parentPort, workerData } from 'node:worker_threads';
import { type Dataset, type Evaluation, evaluate, type SerializedModel, trainModel } from '@cx/core';

/**
 * Worker thread of store-model training (see fit-in-worker.ts): cross-validating two learners and the
 * refit are CPU-bound JS for tens of seconds at 20k customers, which would block the server's event
 * loop (and `npm start`'s first requests) if run on the main thread.
 */
export interface FitWorkerInput {
  entry: string;
  data: Dataset;
  folds: number;
  seed: number;
}
export type FitWorkerMessage =
  | { type: 'progress'; fraction: number; stage: string }
  | { type: 'done'; evaluation: Evaluation; model: SerializedModel }
  | { type: 'error'; message: string; code?: string; details?: unknown };

const input = workerData as FitWorkerInput;
const post = (m: FitWorkerMessage) => parentPort!.postMessage(m);
try {
  const evaluation = evaluate(input.data, {
    folds: input.folds,
    seed: input.seed,
    onProgress: (f: number, stage: string) => post({ type: 'progress', fraction: 0.8 * f, stage }),
  });
  const model = trainModel(input.data, evaluation.model, {
    seed: input.seed,
    onProgress: (f: number) => post({ type: 'progress', fraction: 0.8 + 0.2 * f, stage: 'refit' }),
  });
  post({ type: 'done', evaluation, model: model.toJSON() });
} catch (e) {
  const err = e as { message?: string; code?: string; details?: unknown };
  post({ type: 'error', message: err.message ?? String(e), code: err.code, details: err.details });
}
