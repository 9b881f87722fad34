import { inputError } from '../errors.ts';
import { type CompleteColumns, completeColumns, isConstant, type Moments, moments } from './correlation.ts';
import { cholesky, choleskySolve, symmetricEigen } from './linear-algebra.ts';
import type { DriverData, DriverResult, DriverWeight } from './types.ts';

/**
 * Johnson's (2000) relative weights, as Qualtrics Stats iQ and the R package `rwa` compute them
 * (ANCHORS §5). On standardised variables: R_xx = VΛVᵀ; Λ* = VΛ^½Vᵀ (the orthogonal variables Z that
 * are closest to the drivers are Z = X Λ*⁻¹, and X = Z Λ*); β = Λ*⁻¹ r_xy (regression of the target on Z);
 * ε_j = Σ_k Λ*²_jk β²_k. Each column of Λ* has unit sum of squares, so Σ_j ε_j = Σ_k β²_k = R².
 * Signs come from the full OLS model (as Q Research does); relative weights themselves are unsigned.
 */

/** Drivers whose VIF is above this get a warning: their coefficients (what-ifs) are unstable. */
const VIF_WARNING = 10;
/** Exact Shapley values need 2^p regressions: fine up to 12 drivers (4,096 tiny solves). */
export const SHAPLEY_MAX_DRIVERS = 12;

export interface RawWeights {
  /** ε_j, Σ = R². */
  raw: Float64Array;
  r2: number;
  /** Standardised OLS coefficients R_xx⁻¹ r_xy. */
  beta: Float64Array;
  /** Diagonal of R_xx⁻¹ (variance inflation factors). */
  vif: Float64Array;
}

/** Smallest eigenvalue ÷ largest below which R_xx counts as singular (perfect collinearity). */
const SINGULAR = 1e-10;

/**
 * Relative weights from an m × m correlation matrix whose first p = m − 1 variables are the drivers and
 * whose last is the target. Null when R_xx is singular. Allocation-light: the bootstrap calls it per
 * resample.
 */
export function relativeWeightsFromCorrelation(corr: Float64Array, m: number): RawWeights | null {
  const p = m - 1;
  const rxx = new Float64Array(p * p);
  const rxy = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) rxx[i * p + j] = corr[i * m + j]!;
    rxy[i] = corr[i * m + p]!;
  }
  const { values, vectors } = symmetricEigen(rxx, p);
  if (!(values[p - 1]! > SINGULAR * values[0]!)) return null;
  // Vᵀ r_xy, then β = V Λ^-½ Vᵀ r, OLS = V Λ^-1 Vᵀ r.
  const vr = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += vectors[i * p + k]! * rxy[i]!;
    vr[k] = s;
  }
  const beta = new Float64Array(p); // Johnson's β on the orthogonal Z
  const ols = new Float64Array(p);
  const vif = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let b = 0;
    let o = 0;
    let f = 0;
    for (let k = 0; k < p; k++) {
      const vik = vectors[i * p + k]!;
      b += (vik * vr[k]!) / Math.sqrt(values[k]!);
      o += (vik * vr[k]!) / values[k]!;
      f += (vik * vik) / values[k]!;
    }
    beta[i] = b;
    ols[i] = o;
    vif[i] = f;
  }
  const root = new Float64Array(p);
  for (let l = 0; l < p; l++) root[l] = Math.sqrt(values[l]!);
  const raw = new Float64Array(p);
  let r2 = 0;
  for (let j = 0; j < p; j++) {
    let e = 0;
    for (let k = j; k < p; k++) {
      // Λ*_jk = Σ_l V_jl √λ_l V_kl; Λ* is symmetric, so each entry serves ε_j and ε_k.
      let lam = 0;
      for (let l = 0; l < p; l++) lam += vectors[j * p + l]! * root[l]! * vectors[k * p + l]!;
      const l2 = lam * lam;
      e += l2 * beta[k]! * beta[k]!;
      if (k !== j) raw[k] = raw[k]! + l2 * beta[j]! * beta[j]!;
    }
    raw[j] = raw[j]! + e;
    r2 += ols[j]! * rxy[j]!;
  }
  return { raw, r2, beta: ols, vif };
}

/** R² of the regression of the target on the drivers in `subset` (indices < p), from the correlations. */
function subsetR2(corr: Float64Array, m: number, subset: readonly number[]): number {
  const q = subset.length;
  if (q === 0) return 0;
  const p = m - 1;
  const a = new Float64Array(q * q);
  const r = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) a[i * q + j] = corr[subset[i]! * m + subset[j]!]!;
    r[i] = corr[subset[i]! * m + p]!;
  }
  const l = cholesky(a, q, 1e-14);
  if (!l) return Number.NaN;
  const b = choleskySolve(l, q, r);
  let s = 0;
  for (let i = 0; i < q; i++) s += b[i]! * r[i]!;
  return s;
}

/**
 * Exact Shapley values of R² (= general dominance weights, Budescu 1993; Grömping 2007 "lmg"): the mean
 * increase of R² from adding driver j, over all orders of entry. Σ_j = R².
 */
export function shapleyR2(corr: Float64Array, m: number): Float64Array {
  const p = m - 1;
  const size = 1 << p;
  const r2 = new Float64Array(size);
  for (let mask = 1; mask < size; mask++) {
    const subset: number[] = [];
    for (let j = 0; j < p; j++) if (mask & (1 << j)) subset.push(j);
    r2[mask] = subsetR2(corr, m, subset);
  }
  // Weight of a subset of size s not containing j: s!(p − s − 1)!/p!.
  const fact = [1];
  for (let i = 1; i <= p; i++) fact.push(fact[i - 1]! * i);
  const out = new Float64Array(p);
  for (let mask = 0; mask < size; mask++) {
    let s = 0;
    for (let j = 0; j < p; j++) if (mask & (1 << j)) s++;
    const w = (fact[s]! * fact[p - s - 1]!) / fact[p]!;
    for (let j = 0; j < p; j++) {
      if (mask & (1 << j)) continue;
      out[j] = out[j]! + w * (r2[mask | (1 << j)]! - r2[mask]!);
    }
  }
  return out;
}

/** Everything the bootstrap needs besides the point result: the complete rows and their moments. */
export interface FittedDrivers {
  result: DriverResult;
  complete: CompleteColumns;
  moments: Moments;
}

/**
 * The point estimate with its checks: errors (bad_input, naming the field) for too few complete rows,
 * a constant driver or target, and perfectly collinear drivers.
 */
export function fitRelativeWeights(data: DriverData): FittedDrivers {
  const targetName = data.targetName ?? 'target';
  const complete = completeColumns(data);
  const p = data.drivers.length;
  const { n, dropped } = complete;
  const warnings: string[] = [];
  if (dropped > 0)
    warnings.push(
      `${dropped.toLocaleString('en')} of ${(n + dropped).toLocaleString('en')} rows left out because a driver or the target is missing (listwise deletion)`,
    );
  if (n < p + 2)
    throw inputError(
      `${n} complete row${n === 1 ? '' : 's'} (every driver and the target present); ${p} driver${p === 1 ? '' : 's'} need at least ${p + 2}`,
      { field: targetName },
    );
  const mo = moments(complete.columns);
  for (let j = 0; j < p; j++)
    if (isConstant(mo.sds[j]!, mo.means[j]!))
      throw inputError(
        `the driver "${data.names[j]}" is constant (${mo.means[j]}) over the ${n} complete rows: it cannot explain anything; leave it out`,
        { field: data.names[j] },
      );
  if (isConstant(mo.sds[p]!, mo.means[p]!))
    throw inputError(
      `the target "${targetName}" is constant (${mo.means[p]}) over the ${n} complete rows: there is nothing to explain`,
      { field: targetName },
    );
  const w = relativeWeightsFromCorrelation(mo.corr, p + 1);
  if (!w) throw collinearError(mo.corr, p, data.names);
  const shapley = p <= SHAPLEY_MAX_DRIVERS ? shapleyR2(mo.corr, p + 1) : null;
  const highVif = data.names.filter((_, j) => w.vif[j]! > VIF_WARNING);
  if (highVif.length)
    warnings.push(
      `strongly collinear drivers (VIF > ${VIF_WARNING}): ${highVif.join(', ')}; their weights are sound but their coefficients (what-ifs) are unstable`,
    );
  if (n < 10 * p) warnings.push(`only ${n} complete rows for ${p} drivers; intervals will be wide`);
  const weights: DriverWeight[] = data.names.map((name, j) => ({
    name,
    raw: w.raw[j]!,
    share: w.r2 > 0 ? w.raw[j]! / w.r2 : 0,
    sign: w.beta[j]! < 0 ? -1 : 1,
    correlation: mo.corr[j * (p + 1) + p]!,
    ...(shapley ? { shapley: shapley[j]! } : {}),
    // b_j = β_j · s_y / s_j: the standardised OLS coefficient back in the variables' own units.
    coefficient: (w.beta[j]! * mo.sds[p]!) / mo.sds[j]!,
    mean: mo.means[j]!,
    sd: mo.sds[j]!,
  }));
  const result: DriverResult = {
    n,
    r2: w.r2,
    weights,
    vif: Array.from(w.vif),
    resamples: 0,
    warnings,
    dropped,
    targetName,
  };
  return { result, complete, moments: mo };
}

/** Relative weights of the drivers on the target, without intervals (see `driverAnalysis` for those). */
export function relativeWeights(data: DriverData): DriverResult {
  return fitRelativeWeights(data).result;
}

/**
 * Names the drivers involved in the exact linear dependence: those with a sizeable loading on the
 * eigenvector of the (near-)zero eigenvalue.
 */
function collinearError(corr: Float64Array, p: number, names: readonly string[]) {
  const m = p + 1;
  const rxx = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) rxx[i * p + j] = corr[i * m + j]!;
  const { vectors } = symmetricEigen(rxx, p);
  const involved = names.filter((_, i) => Math.abs(vectors[i * p + p - 1]!) > 0.05);
  return inputError(
    `the drivers ${involved.map((d) => `"${d}"`).join(', ')} are perfectly collinear (one is a linear combination of the others); leave one out`,
    { field: involved.join(',') },
  );
}
