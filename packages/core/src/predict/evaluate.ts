import { inputError } from '../errors.ts';
import { stratifiedFolds, stratifiedSample, subsetRows } from './folds.ts';
import { LEARNERS } from './learners.ts';
import { brierScore, calibrationBins, liftTopDecile, rocAuc } from './metrics.ts';
import type { CandidateScore, Dataset, Evaluation, FittedModel, Learner, LearnerKind } from './types.ts';

/**
 * Model selection by stratified k-fold cross-validation (issue 6: "logistic regression and
 * gradient-boosted trees, chosen by cross-validation").
 *
 * Every learner is trained k times, each time on k − 1 folds, and predicts the held-out fold; its
 * score is the mean AUC over folds (± the standard deviation over folds). Selection rule — the
 * one-standard-error rule, biased to the white box: the learner with the best mean AUC wins, except
 * that logistic regression is kept unless the best beats it by more than one standard error of the
 * best (its fold std / √k). Interpretable coefficients are worth more than a gain that is within the
 * noise of the folds. Calibration, Brier score and lift are computed from the chosen learner's
 * out-of-fold predictions, so they describe data the model had not seen.
 *
 * Large data: the comparison runs on a stratified sample of `maxRowsForSelection` rows (default
 * 200,000; the sample keeps the positive rate) — k fits of two learners on 1M rows would take many
 * minutes and the AUC estimate is already tight at 200k. The final model is then refitted on all rows
 * by `trainModel`.
 */
export interface EvaluateOptions {
  folds?: number;
  seed?: number;
  learners?: readonly LearnerKind[];
  maxRowsForSelection?: number;
  /** Overall progress 0..1 and what is running. */
  onProgress?: (fraction: number, stage: string) => void;
  /** Learners by kind (tests inject their own); default the registry of learners.ts. */
  registry?: Readonly<Partial<Record<LearnerKind, Learner>>>;
  /** Warnings to pass through into the result (e.g. from encoding). */
  warnings?: readonly string[];
}

export const MAX_ROWS_FOR_SELECTION = 200_000;

/** Checks that every class has at least one row per fold; the error names the folds and the counts. */
export function checkFolds(data: Dataset, folds: number): void {
  if (!Number.isInteger(folds) || folds < 2 || folds > 100)
    throw inputError(`--folds must be a whole number from 2 to 100, got ${folds}`, { field: '--folds' });
  let positives = 0;
  for (let i = 0; i < data.n; i++) positives += data.y[i]!;
  const negatives = data.n - positives;
  if (positives < folds || negatives < folds)
    throw inputError(
      `too few rows for ${folds} folds: ${positives} positive and ${negatives} negative rows; every fold needs at least one of each, so use --folds ${Math.max(2, Math.min(positives, negatives))} or fewer, or more data`,
      { field: '--folds' },
    );
}

export function evaluate(data: Dataset, options: EvaluateOptions = {}): Evaluation {
  const k = options.folds ?? 5;
  const seed = options.seed ?? 0;
  const kinds = options.learners ?? (['logistic', 'gbdt'] as const);
  const registry = { ...LEARNERS, ...options.registry };
  if (kinds.length === 0) throw inputError('at least one learner is needed', { field: '--learners' });
  checkFolds(data, k);
  const warnings = [...(options.warnings ?? [])];
  const maxRows = options.maxRowsForSelection ?? MAX_ROWS_FOR_SELECTION;
  let sel = data;
  if (data.n > maxRows) {
    sel = subsetRows(data, stratifiedSample(data.y, maxRows, seed));
    warnings.push(
      `the learners were compared on a stratified sample of ${maxRows.toLocaleString('en')} of ${data.n.toLocaleString('en')} rows`,
    );
  }
  const fold = stratifiedFolds(sel.y, k, seed);
  const total = kinds.length * k;
  let done = 0;
  const results: { score: CandidateScore; oof: Float64Array }[] = [];
  for (const kind of kinds) {
    const learner = registry[kind];
    if (!learner) throw inputError(`unknown learner "${kind}"`, { field: '--learners' });
    const started = Date.now();
    const oof = new Float64Array(sel.n);
    const foldAucs: number[] = [];
    for (let f = 0; f < k; f++) {
      const trainRows: number[] = [];
      const testRows: number[] = [];
      for (let i = 0; i < sel.n; i++) (fold[i] === f ? testRows : trainRows).push(i);
      const train = subsetRows(sel, trainRows);
      const test = subsetRows(sel, testRows);
      const stage = `${kind} fold ${f + 1}/${k}`;
      options.onProgress?.(done / total, stage);
      const model = learner.fit(train, {
        seed: seed + f,
        onProgress: (x) => options.onProgress?.((done + x) / total, stage),
      });
      const pred = model.predict(test);
      testRows.forEach((r, i) => {
        oof[r] = pred[i]!;
      });
      foldAucs.push(rocAuc(test.y, pred));
      done++;
    }
    const mean = foldAucs.reduce((s, a) => s + a, 0) / k;
    const std = Math.sqrt(foldAucs.reduce((s, a) => s + (a - mean) ** 2, 0) / (k - 1));
    results.push({
      score: { kind, auc: mean, aucStd: std, foldAucs, seconds: (Date.now() - started) / 1000 },
      oof,
    });
  }
  options.onProgress?.(1, 'done');
  const chosen = chooseLearner(
    results.map((r) => r.score),
    k,
  );
  const oof = results.find((r) => r.score.kind === chosen.kind)!.oof;
  return {
    auc: chosen.auc,
    aucStd: chosen.aucStd,
    folds: k,
    model: chosen.kind,
    features: data.features,
    candidates: results.map((r) => r.score),
    n: data.n,
    positives: countPositives(data.y),
    calibration: calibrationBins(sel.y, oof, 10),
    brier: brierScore(sel.y, oof),
    liftTopDecile: liftTopDecile(sel.y, oof),
    warnings,
    ...(sel !== data ? { selectionRows: sel.n } : {}),
  };
}

/** The one-standard-error rule described above. */
export function chooseLearner(candidates: readonly CandidateScore[], folds: number): CandidateScore {
  const best = candidates.reduce((a, b) => (b.auc > a.auc ? b : a));
  const logistic = candidates.find((c) => c.kind === 'logistic');
  if (logistic && best.auc - logistic.auc <= best.aucStd / Math.sqrt(folds)) return logistic;
  return best;
}

function countPositives(y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  return s;
}

/** Fits the final model of one kind on all rows. */
export function trainModel(
  data: Dataset,
  kind: LearnerKind,
  options: {
    seed?: number;
    onProgress?: (fraction: number) => void;
    registry?: EvaluateOptions['registry'];
  } = {},
): FittedModel {
  const learner = { ...LEARNERS, ...options.registry }[kind];
  if (!learner) throw inputError(`unknown learner "${kind}"`, { field: '--learners' });
  return learner.fit(data, {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
