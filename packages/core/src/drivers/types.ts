/**
 * Shapes of key-driver analysis (issue 6, DESIGN.md §4): relative weights (Johnson 2000) of drivers on
 * a target, with bootstrap intervals. Implemented in `relative-weights.ts` / `bootstrap.ts`.
 */

/** Observations as columns: `drivers[j][i]` is driver j of observation i; NaN = missing. */
export interface DriverData {
  names: string[];
  drivers: Float64Array[];
  target: Float64Array;
  /** Name of the target, for messages (default `target`). */
  targetName?: string;
}

export interface DriverWeight {
  name: string;
  /** Raw relative weight ε_j; Σ raw = R². */
  raw: number;
  /** ε_j / R², 0..1; Σ share = 1. */
  share: number;
  /** Sign of the driver's coefficient in the full OLS model (+1 / −1). */
  sign: 1 | -1;
  /** Pearson correlation of driver and target. */
  correlation: number;
  /** Bootstrap 95 % percentile interval of `raw` (present when resamples were asked for). */
  ci?: { low: number; high: number };
  /**
   * True when the weight is not distinguishable from none. Raw weights are never negative, so their own
   * interval cannot cover 0: we follow Tonidandel, LeBreton & Johnson (2009) and flag the driver when the
   * bootstrap 95 % interval of ε_j − ε_random (a random normal variable added to the drivers) covers 0.
   */
  notSignificant?: boolean;
  /** Bootstrap 95 % percentile interval of `share` (each resample's ε_j / R²; rwa warns it is for display, not inference). */
  shareCi?: { low: number; high: number };
  /** Bootstrap 95 % interval of ε_j − ε_random, the test behind `notSignificant`. */
  vsRandomCi?: { low: number; high: number };
  /** Shapley value / general dominance of the driver on R² (exact, computed when p ≤ 12); Σ = R². */
  shapley?: number;
  /** Unstandardised OLS coefficient b_j: target units per unit of the driver (the what-if slope). */
  coefficient?: number;
  /** Bootstrap 95 % percentile interval of `coefficient`. */
  coefficientCi?: { low: number; high: number };
  /** Mean and sample standard deviation of the driver over the complete rows (performance). */
  mean?: number;
  sd?: number;
}

export interface DriverResult {
  n: number;
  r2: number;
  weights: DriverWeight[];
  /** Variance inflation factor per driver, same order as weights. */
  vif: number[];
  resamples: number;
  warnings: string[];
  /** Rows left out because a driver or the target was missing (listwise deletion). */
  dropped?: number;
  /** Resamples whose correlation matrix was singular (left out of the intervals). */
  failedResamples?: number;
  seed?: number;
  targetName?: string;
}
