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
 * 100,000; the sample keeps the positive rate) — k fits of two learners on 1M rows would take many
 * minutes, and the choice is already clear at 100k (fold std ≈ 0.005 on bench/predict for a gap of
 * 0.10 between the learners; docs/decisions.md). The final model is then refitted on all rows by
 * `trainModel`.
 *
 * The fold fits are independent and planned up front (planSelection: sample, folds, seed + fold per
 * fit), run by `runFold`, and combined in task order by `combineFolds`; `evaluate` runs them one
 * after another, the server runs them on a pool of worker threads (fit-pool.ts) — same result.
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
  /** Put the selection sample in SharedArrayBuffers, for a pool of worker threads to read. */
  shared?: boolean;
}

export const MAX_ROWS_FOR_SELECTION = 100_000;

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

/** One cross-validation fit: learner `kind` trained on every fold but `fold`, scored on `fold`. */
export interface FoldTask {
  kind: LearnerKind;
  fold: number;
}

/** What one fold fit gives back: predictions of the held-out rows (ascending row order) and their AUC. */
export interface FoldResult {
  pred: Float64Array;
  auc: number;
  /** Seconds the fit and prediction took. */
  seconds: number;
}

/**
 * Everything the fold fits need, decided up front so that they are independent: whoever runs them —
 * one after another here, or a pool of worker threads on the server — gets the same rows, folds and
 * seeds, and `combineFolds` puts the results together in task order, so the evaluation is identical
 * whatever the number of workers.
 */
export interface SelectionPlan {
  /** The rows the learners are compared on: all of them, or a stratified sample of large data. */
  data: Dataset;
  /** Fold of every row of `data`. */
  fold: Uint8Array;
  folds: number;
  seed: number;
  kinds: LearnerKind[];
  /** Learner-major: every fold of the first learner, then the next. */
  tasks: FoldTask[];
  warnings: string[];
}

export function planSelection(data: Dataset, options: EvaluateOptions = {}): SelectionPlan {
  const k = options.folds ?? 5;
  const seed = options.seed ?? 0;
  const kinds = [...(options.learners ?? (['logistic', 'gbdt'] as const))];
  const registry = { ...LEARNERS, ...options.registry };
  if (kinds.length === 0) throw inputError('at least one learner is needed', { field: '--learners' });
  for (const kind of kinds)
    if (!registry[kind]) throw inputError(`unknown learner "${kind}"`, { field: '--learners' });
  checkFolds(data, k);
  const warnings = [...(options.warnings ?? [])];
  const maxRows = options.maxRowsForSelection ?? MAX_ROWS_FOR_SELECTION;
  let sel = data;
  if (data.n > maxRows) {
    sel = subsetRows(data, stratifiedSample(data.y, maxRows, seed), options.shared);
    warnings.push(
      `the learners were compared on a stratified sample of ${maxRows.toLocaleString('en')} of ${data.n.toLocaleString('en')} rows`,
    );
  }
  const tasks = kinds.flatMap((kind) => Array.from({ length: k }, (_, fold) => ({ kind, fold })));
  return { data: sel, fold: stratifiedFolds(sel.y, k, seed), folds: k, seed, kinds, tasks, warnings };
}

/** Held-out rows of one fold, ascending. */
function foldRows(fold: Uint8Array, f: number): { trainRows: Uint32Array; testRows: Uint32Array } {
  let m = 0;
  for (let i = 0; i < fold.length; i++) if (fold[i] === f) m++;
  const trainRows = new Uint32Array(fold.length - m);
  const testRows = new Uint32Array(m);
  for (let i = 0, a = 0, b = 0; i < fold.length; i++) {
    if (fold[i] === f) testRows[b++] = i;
    else trainRows[a++] = i;
  }
  return { trainRows, testRows };
}

/** Runs one fold fit (seed + fold, as every runner must). */
export function runFold(
  sel: Dataset,
  fold: Uint8Array,
  task: FoldTask,
  seed: number,
  options: { registry?: EvaluateOptions['registry']; onProgress?: (fraction: number) => void } = {},
): FoldResult {
  const learner = { ...LEARNERS, ...options.registry }[task.kind];
  if (!learner) throw inputError(`unknown learner "${task.kind}"`, { field: '--learners' });
  const started = Date.now();
  const { trainRows, testRows } = foldRows(fold, task.fold);
  const train = subsetRows(sel, trainRows);
  const test = subsetRows(sel, testRows);
  const model = learner.fit(train, {
    seed: seed + task.fold,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const pred = model.predict(test);
  return { pred, auc: rocAuc(test.y, pred), seconds: (Date.now() - started) / 1000 };
}

/** The evaluation from the fold results of `plan.tasks` (same order), independent of who ran them. */
export function combineFolds(data: Dataset, plan: SelectionPlan, results: readonly FoldResult[]): Evaluation {
  const { data: sel, fold, folds: k } = plan;
  if (results.length !== plan.tasks.length)
    throw new Error(`expected ${plan.tasks.length} fold results, got ${results.length}`);
  const scores: { score: CandidateScore; oof: Float64Array }[] = [];
  for (const kind of plan.kinds) {
    const oof = new Float64Array(sel.n);
    const foldAucs: number[] = [];
    let seconds = 0;
    for (let f = 0; f < k; f++) {
      const t = plan.tasks.findIndex((x) => x.kind === kind && x.fold === f);
      const r = results[t]!;
      const { testRows } = foldRows(fold, f);
      for (let i = 0; i < testRows.length; i++) oof[testRows[i]!] = r.pred[i]!;
      foldAucs.push(r.auc);
      seconds += r.seconds;
    }
    const mean = foldAucs.reduce((s, a) => s + a, 0) / k;
    const std = Math.sqrt(foldAucs.reduce((s, a) => s + (a - mean) ** 2, 0) / (k - 1));
    scores.push({ score: { kind, auc: mean, aucStd: std, foldAucs, seconds }, oof });
  }
  const chosen = chooseLearner(
    scores.map((r) => r.score),
    k,
  );
  const oof = scores.find((r) => r.score.kind === chosen.kind)!.oof;
  return {
    auc: chosen.auc,
    aucStd: chosen.aucStd,
    folds: k,
    model: chosen.kind,
    features: data.features,
    candidates: scores.map((r) => r.score),
    n: data.n,
    positives: countPositives(data.y),
    calibration: calibrationBins(sel.y, oof, 10),
    brier: brierScore(sel.y, oof),
    liftTopDecile: liftTopDecile(sel.y, oof),
    warnings: plan.warnings,
    ...(sel !== data ? { selectionRows: sel.n } : {}),
  };
}

/** Cross-validation on this thread, one fold fit after another. */
export function evaluate(data: Dataset, options: EvaluateOptions = {}): Evaluation {
  const plan = planSelection(data, options);
  const total = plan.tasks.length;
  const results = plan.tasks.map((task, t) => {
    const stage = `${task.kind} fold ${task.fold + 1}/${plan.folds}`;
    options.onProgress?.(t / total, stage);
    return runFold(plan.data, plan.fold, task, plan.seed, {
      ...(options.registry ? { registry: options.registry } : {}),
      onProgress: (x) => options.onProgress?.((t + x) / total, stage),
    });
  });
  options.onProgress?.(1, 'done');
  return combineFolds(data, plan, results);
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
