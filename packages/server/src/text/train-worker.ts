import { parentPort, workerData } from 'node:worker_threads';
import type { text } from '@cx/core';
import { trainWithCrossValidation } from './train.ts';

/**
 * Worker thread of a background training (see train-jobs.ts): cross-validation and the final model
 * are CPU-bound JS for up to a minute, which would block the server's event loop.
 */
export interface TrainWorkerInput {
  entry: string;
  texts: string[];
  labels: string[];
  k: number;
  options: Partial<text.ClassifierOptions>;
}
export type TrainWorkerOutput =
  | { ok: true; report: ReturnType<typeof trainWithCrossValidation> }
  | { ok: false; error: string };

const input = workerData as TrainWorkerInput;
let out: TrainWorkerOutput;
try {
  out = { ok: true, report: trainWithCrossValidation(input.texts, input.labels, input) };
} catch (e) {
  out = { ok: false, error: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(out);
