import { AppError } from '../errors.ts';
import type { Dataset, FitOptions, FittedModel, Learner, Matrix, SerializedModel } from './types.ts';

/**
 * L2-regularised logistic regression with an unpenalised intercept, fitted by Newton–Raphson (IRLS):
 * each step solves (XᵀWX + λI′)·δ = Xᵀ(y − p) − λβ′ by Cholesky, where I′ and β′ leave the intercept
 * out. It is the white-box baseline of the prediction pipeline (ANCHORS §6: interpretable first).
 *
 * Cost: one pass over the row-major matrix per iteration accumulates the upper triangle of XᵀWX
 * (n·p²/2 multiply-adds, as blocked dot products), so 1M × 50 takes a few seconds per iteration;
 * Newton converges in 5–10.
 *
 * λ defaults to 1 on the (standardised) features: the objective is Σ log-loss + ½·λ·‖β‖², which is
 * scikit-learn's default `LogisticRegression(C = 1)` — the model behind the reference AUCs in
 * shared/data/README.md. It keeps one-hot columns (which are collinear with the intercept) and
 * separable data finite. λ = 0 gives the plain maximum-likelihood fit of R's `glm(family = binomial)`.
 */
export interface LogisticOptions extends FitOptions {
  /** L2 penalty on the coefficients (not the intercept); default 1. */
  lambda?: number;
  maxIterations?: number;
}

export interface LogisticParams {
  intercept: number;
  coefficients: number[];
  /** Training mean of every feature: the reference row of `explain`. */
  means: number[];
  lambda: number;
  iterations: number;
  converged: boolean;
}

export const LOGISTIC_DEFAULT_LAMBDA = 1;

const BLOCK = 128;

/** Σ a[ao + t]·b[bo + t] for t < m, unrolled by four. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < m; t += 4) {
    s0 += a[ao + t]! * b[bo + t]!;
    s1 += a[ao + t + 1]! * b[bo + t + 1]!;
    s2 += a[ao + t + 2]! * b[bo + t + 2]!;
    s3 += a[ao + t + 3]! * b[bo + t + 3]!;
  }
  for (; t < m; t++) s0 += a[ao + t]! * b[bo + t]!;
  return s0 + s1 + s2 + s3;
}

export function fitLogistic(data: Dataset, options: LogisticOptions = {}): FittedModel {
  const { x, y, n, p } = data;
  const lambda = options.lambda ?? LOGISTIC_DEFAULT_LAMBDA;
  const maxIter = options.maxIterations ?? 50;
  const P = p + 1; // column 0 of the system is the intercept
  const beta = new Float64Array(P);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const rate = Math.min(1 - 1e-9, Math.max(1e-9, positives / Math.max(1, n)));
  beta[0] = Math.log(rate / (1 - rate));

  const H = new Float64Array(P * P);
  const g = new Float64Array(P);
  const prev = new Float64Array(P);
  const eta = new Float64Array(n);
  const Z = new Float64Array(p * BLOCK);
  const S = new Float64Array(BLOCK);
  let prevObj = Number.POSITIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  let halvings = 0;
  for (; iterations < maxIter; iterations++) {
    options.onProgress?.(iterations / maxIter);
    // Pass 1 (n·p): linear predictors and the objective, so a converged or overshooting step costs
    // no Hessian.
    let obj = 0;
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let e = beta[0]!;
      for (let j = 0; j < p; j++) e += beta[j + 1]! * x[o + j]!;
      eta[i] = e;
      // log(1 + e^η) − y·η, computed without overflow.
      obj += (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - y[i]! * e;
    }
    let pen = 0;
    for (let j = 1; j < P; j++) pen += beta[j]! * beta[j]!;
    obj += 0.5 * lambda * pen;

    if (obj > prevObj * (1 + 1e-12) + 1e-12 && halvings < 30) {
      // The full Newton step overshot (possible far from the optimum): step halving, as glm does.
      for (let j = 0; j < P; j++) beta[j] = (prev[j]! + beta[j]!) / 2;
      halvings++;
      continue;
    }
    if (Number.isFinite(prevObj) && Math.abs(prevObj - obj) / (Math.abs(obj) + 0.1) < 1e-12) {
      converged = true;
      break;
    }
    // Pass 2 (n·p²/2): gradient and the upper triangle of XᵀWX. Rows go in blocks of B: their
    // √w-scaled values are copied column-major into Z, so every Hessian cell is one dot product of
    // two contiguous columns summed in registers, instead of a read-modify-write of H for every row.
    H.fill(0);
    g.fill(0);
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(BLOCK, n - start);
      for (let b = 0; b < m; b++) {
        const i = start + b;
        const o = i * p;
        const pr = 1 / (1 + Math.exp(-eta[i]!));
        const w = pr * (1 - pr);
        const r = y[i]! - pr;
        const sw = Math.sqrt(w);
        S[b] = sw;
        g[0]! += r;
        H[0]! += w;
        for (let j = 0; j < p; j++) {
          const xj = x[o + j]!;
          g[j + 1]! += r * xj;
          Z[j * BLOCK + b] = sw * xj;
        }
      }
      for (let j = 0; j < p; j++) {
        const zj = j * BLOCK;
        H[j + 1]! += dot(S, 0, Z, zj, m); // (0, j+1)
        const row = (j + 1) * P + 1;
        for (let k = j; k < p; k++) H[row + k]! += dot(Z, zj, Z, k * BLOCK, m);
      }
    }
    for (let j = 1; j < P; j++) {
      H[j * P + j]! += lambda;
      g[j]! -= lambda * beta[j]!;
    }
    const delta = solveSymmetric(H, g, P);
    prev.set(beta);
    prevObj = obj;
    let maxStep = 0;
    let maxBeta = 0;
    for (let j = 0; j < P; j++) {
      beta[j]! += delta[j]!;
      maxStep = Math.max(maxStep, Math.abs(delta[j]!));
      maxBeta = Math.max(maxBeta, Math.abs(beta[j]!));
    }
    if (maxStep < 1e-10 * (1 + maxBeta)) {
      converged = true;
      iterations++;
      break;
    }
  }
  options.onProgress?.(1);

  const means = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) means[j]! += x[o + j]!;
  }
  for (let j = 0; j < p; j++) means[j] = n > 0 ? means[j]! / n : 0;
  return loadLogistic(
    {
      intercept: beta[0]!,
      coefficients: Array.from(beta.subarray(1)),
      means,
      lambda,
      iterations,
      converged,
    },
    data.features,
  );
}

/**
 * Solves A·z = b for a symmetric positive (semi-)definite A given by its upper triangle (row-major
 * P×P), by Cholesky. A matrix that is not numerically positive definite (collinear columns with
 * λ = 0) gets a tiny ridge added to its diagonal and is tried again, instead of producing NaNs.
 */
export function solveSymmetric(A: Float64Array, b: Float64Array, P: number): Float64Array {
  let maxDiag = 0;
  for (let j = 0; j < P; j++) maxDiag = Math.max(maxDiag, Math.abs(A[j * P + j]!));
  for (let attempt = 0; attempt < 8; attempt++) {
    const jitter = attempt === 0 ? 0 : maxDiag * 1e-12 * 100 ** attempt;
    const L = cholesky(A, P, jitter);
    if (!L) continue;
    // Forward then back substitution: L·u = b, Lᵀ·z = u.
    const z = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= L[i * P + k]! * z[k]!;
      z[i] = s / L[i * P + i]!;
    }
    for (let i = P - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < P; k++) s -= L[k * P + i]! * z[k]!;
      z[i] = s / L[i * P + i]!;
    }
    return z;
  }
  throw new AppError('internal', 'logistic regression: the Hessian is not positive definite');
}

/** Lower-triangular L with L·Lᵀ = A + jitter·I, reading A's upper triangle; null if not positive definite. */
function cholesky(A: Float64Array, P: number, jitter: number): Float64Array | null {
  const L = new Float64Array(P * P);
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[j * P + i]! + (i === j ? jitter : 0); // A[i][j] = A[j][i], upper triangle
      for (let k = 0; k < j; k++) s -= L[i * P + k]! * L[j * P + k]!;
      if (i === j) {
        if (!(s > 1e-300)) return null;
        L[i * P + i] = Math.sqrt(s);
      } else L[i * P + j] = s / L[j * P + j]!;
    }
  }
  return L;
}

export function loadLogistic(params: LogisticParams, features: string[]): FittedModel {
  const coef = Float64Array.from(params.coefficients);
  const means = Float64Array.from(params.means);
  const p = coef.length;
  if (features.length !== p || means.length !== p)
    throw new AppError('bad_input', `logistic model: ${p} coefficients but ${features.length} features`, {
      field: 'features',
    });
  let base = params.intercept;
  for (let j = 0; j < p; j++) base += coef[j]! * means[j]!;
  return {
    kind: 'logistic',
    features,
    predict(m: Matrix): Float64Array {
      if (m.p !== p)
        throw new AppError('bad_input', `the model expects ${p} features, the matrix has ${m.p}`, {
          field: 'features',
        });
      const out = new Float64Array(m.n);
      for (let i = 0; i < m.n; i++) {
        const o = i * p;
        let eta = params.intercept;
        for (let j = 0; j < p; j++) eta += coef[j]! * m.x[o + j]!;
        out[i] = 1 / (1 + Math.exp(-eta));
      }
      return out;
    },
    explain(row: Float64Array) {
      const contributions = new Float64Array(p);
      for (let j = 0; j < p; j++) contributions[j] = coef[j]! * (row[j]! - means[j]!);
      return { base, contributions };
    },
    toJSON(): SerializedModel {
      return { kind: 'logistic', features, params };
    },
  };
}

export const logisticLearner: Learner = {
  kind: 'logistic',
  fit: (data, options) => fitLogistic(data, options),
};
