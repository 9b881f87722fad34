import { Worker } from 'node:worker_threads';
import { AppError, type Dataset, type ErrorCode, type Evaluation, type SerializedModel } from '@cx/core';
import type { FitWorkerInput, FitWorkerMessage } from './fit-worker.ts';

/** Cross-validates and refits on a worker thread; rejects with the worker's AppError if it threw one. */
export function fitInWorker(
  data: Dataset,
  opts: { folds: number; seed: number; onProgress?: (fraction: number, stage: string) => void },
): Promise<{ evaluation: Evaluation; model: SerializedModel }> {
  const input: FitWorkerInput = {
    entry: new URL('./fit-worker.ts', import.meta.url).href,
    data,
    folds: opts.folds,
    seed: opts.seed,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fit-worker-boot.mjs', import.meta.url), { workerData: input });
    let settled = false;
    worker.on('message', (m: FitWorkerMessage) => {
      if (m.type === 'progress') {
        opts.onProgress?.(m.fraction, m.stage);
        return;
      }
      settled = true;
      void worker.terminate();
      if (m.type === 'done') resolve({ evaluation: m.evaluation, model: m.model });
      else
        reject(
          m.code
            ? new AppError(m.code as ErrorCode, m.message, m.details as Record<string, unknown>)
            : new Error(m.message),
        );
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the model-fitting worker stopped (exit code ${code})`));
    });
  });
}
