import { parentPort, workerData } from 'node:worker_threads';
import {
  type Dataset,
  type FoldTask,
  type LearnerKind,
  runFold,
  type SerializedModel,
  trainModel,
} from '@cx/core';

/**
 * A worker thread of the model-fitting pool (fit-pool.ts). It gets the data once, in shared memory,
 * then fits whatever it is sent: a cross-validation fold of the selection rows, or the final model on
 * all rows. CPU-bound JS runs here, so the CLI uses every core and a server's event loop stays free.
 */
export interface FitWorkerInput {
  entry: string;
  /** Selection rows; x and y are views of SharedArrayBuffers (no copy per worker). */
  sel: Dataset;
  /** All rows, shared, when the selection is a sample of them; null when it is all of them. */
  full: Dataset | null;
  /** Fold of every selection row, shared. */
  fold: Uint8Array;
  seed: number;
  /** Shared flag: 1 asks a cancellable (speculative) final fit to stop at its next progress step. */
  cancel: Int32Array;
}

/** What the pool asks a worker to fit. */
export type FitRequest =
  | { type: 'fold'; task: FoldTask }
  | { type: 'final'; kind: LearnerKind; cancellable: boolean };

export type FitWorkerRequest = FitRequest & { id: number };

export type FitWorkerMessage =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'fold'; id: number; pred: Float64Array; auc: number; seconds: number }
  | { type: 'final'; id: number; model: SerializedModel }
  | { type: 'error'; id: number; message: string; code?: string; details?: unknown };

const input = workerData as FitWorkerInput;
const port = parentPort!;

port.on('message', (m: FitWorkerRequest) => {
  try {
    if (m.type === 'fold') {
      const r = runFold(input.sel, input.fold, m.task, input.seed, {
        onProgress: (fraction) => port.postMessage({ type: 'progress', id: m.id, fraction }),
      });
      // The predictions' buffer moves to the parent instead of being copied.
      port.postMessage({ type: 'fold', id: m.id, ...r } satisfies FitWorkerMessage, [
        r.pred.buffer as ArrayBuffer,
      ]);
    } else {
      const model = trainModel(input.full ?? input.sel, m.kind, {
        seed: input.seed,
        onProgress: (fraction) => {
          if (m.cancellable && Atomics.load(input.cancel, 0) === 1) throw new Error('cancelled');
          port.postMessage({ type: 'progress', id: m.id, fraction });
        },
      });
      port.postMessage({ type: 'final', id: m.id, model: model.toJSON() } satisfies FitWorkerMessage);
    }
  } catch (e) {
    const err = e as { message?: string; code?: string; details?: unknown };
    port.postMessage({
      type: 'error',
      id: m.id,
      message: err.message ?? String(e),
      code: err.code,
      details: err.details,
    } satisfies FitWorkerMessage);
  }
});
