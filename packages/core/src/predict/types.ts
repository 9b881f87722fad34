/**
 * Shared shapes of the prediction pipeline (issue 6). Learners (logistic regression, gradient-boosted
 * trees) consume a numeric design matrix that `encode.ts` builds from any customer table, so the same
 * code serves `cxc predict evaluate <file>` and churn / cross-sell models on the store.
 */

/** A dense numeric design matrix, row-major: value of feature j for row i is `x[i * p + j]`. */
export interface Matrix {
  x: Float64Array;
  n: number;
  p: number;
}

/** Encoded training data: design matrix, binary label (1 = positive class) and feature names. */
export interface Dataset extends Matrix {
  y: Uint8Array;
  /** One name per column of x, e.g. `age`, `job=admin.`, `pdays:missing`. */
  features: string[];
}

export type LearnerKind = 'logistic' | 'gbdt';

/** A trained model. Serialisable with `toJSON()`; `loadModel` (learners.ts) revives one. */
export interface FittedModel {
  kind: LearnerKind;
  features: string[];
  /** P(positive) for every row of m (m.p must equal features.length). */
  predict(m: Matrix): Float64Array;
  /**
   * Additive explanation of one row on the log-odds scale: `base + Σ contributions = logit(P)`.
   * Logistic: β_j·(x_j − mean_j) with base at the training means; trees: path contributions (Saabas).
   */
  explain(row: Float64Array): { base: number; contributions: Float64Array };
  toJSON(): SerializedModel;
}

export interface SerializedModel {
  kind: LearnerKind;
  features: string[];
  /** Learner-specific parameters (coefficients, trees …), plain JSON. */
  params: unknown;
}

/** Options every learner accepts; learners ignore what does not apply to them. */
export interface FitOptions {
  seed?: number;
  /** Called with a fraction 0..1 while fitting, for progress bars. */
  onProgress?: (fraction: number) => void;
}

export interface Learner {
  kind: LearnerKind;
  fit(data: Dataset, options?: FitOptions): FittedModel;
}

/** Cross-validated quality of one learner (stratified k-fold, out-of-fold predictions). */
export interface CandidateScore {
  kind: LearnerKind;
  auc: number;
  aucStd: number;
  /** AUC of every fold, in fold order. */
  foldAucs?: number[];
  /** Wall-clock seconds of this learner's cross-validation. */
  seconds?: number;
}

/** What `cxc predict evaluate` prints: `{auc, aucStd, folds, model, features}` plus detail. */
export interface Evaluation {
  /** AUC of the chosen learner (mean over folds) and its standard deviation over folds. */
  auc: number;
  aucStd: number;
  folds: number;
  /** The learner chosen by cross-validation. */
  model: LearnerKind;
  features: string[];
  candidates: CandidateScore[];
  n: number;
  positives: number;
  /** Out-of-fold reliability: mean predicted vs observed rate per decile of prediction. */
  calibration: { predicted: number; observed: number; n: number }[];
  brier: number;
  /** Positive rate in the top decile of predictions ÷ overall positive rate. */
  liftTopDecile: number;
  warnings: string[];
  /** Rows the learners were compared on, when fewer than n (a stratified sample of large data). */
  selectionRows?: number;
}

/** A trained model with its card (issue 6: AUC, calibration, lift, training date and features). */
export interface ModelCard extends Evaluation {
  modelId: string;
  /** e.g. `churn`, `cross_sell`, or the target column of a file. */
  target: string;
  trainedAt: string;
  /** Store models: features use data strictly before `cutoff`; the label looks `horizonMonths` after. */
  cutoff?: string;
  horizonMonths?: number;
}
