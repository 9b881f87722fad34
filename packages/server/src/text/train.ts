import { text } from '@cx/core';
import type { ModelMetrics } from './model-store.ts';

/**
 * Train-and-report, shared by the HTTP API and the CLI: k-fold cross-validation first (the honest
 * estimate of how the model does on comments it has not seen), then the final model on all labels.
 * CPU-bound and synchronous; 20,000 comments take well under 30 s on one core (bench/classifier-eval).
 */
export interface TrainReport {
  model: text.ClassifierModel;
  metrics: ModelMetrics;
}

export function trainWithCrossValidation(
  texts: readonly string[],
  labels: readonly string[],
  opts: {
    k?: number;
    options?: Partial<text.ClassifierOptions>;
    onProgress?: (stage: string, done: number, total: number) => void;
  } = {},
): TrainReport {
  const k = opts.k ?? 5;
  const cv = text.crossValidate(texts, labels, {
    k,
    ...(opts.options ? { options: opts.options } : {}),
    onFold: (f) => opts.onProgress?.('cross-validation', f, k + 1),
  });
  const t0 = performance.now();
  const model = text.trainClassifier(texts, labels, opts.options);
  const trainSeconds = (performance.now() - t0) / 1000;
  opts.onProgress?.('final model', k + 1, k + 1);
  return {
    model,
    metrics: {
      k,
      accuracy: cv.accuracy,
      macroF1: cv.macroF1,
      perClass: cv.perClass,
      foldAccuracy: cv.foldAccuracy,
      trainSeconds,
    },
  };
}
