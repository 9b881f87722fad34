import { inputError } from '../errors.ts';
import type { DriverResult } from './types.ts';

/**
 * Importance–performance analysis (Martilla & James 1977, J. Marketing 41(1)): each driver is placed by
 * its importance (here the relative-weight share) and its performance (how well it is done, 0..1), with
 * the cross-hairs at the mean importance and the mean performance of the drivers shown — the
 * data-centred variant, so the quadrants always split the drivers at hand:
 *   important and done well    → keep_up            (keep up the good work)
 *   important and done poorly  → concentrate_here
 *   unimportant and done poorly → low_priority
 *   unimportant and done well  → possible_overkill
 */
export type IpaQuadrant = 'keep_up' | 'concentrate_here' | 'low_priority' | 'possible_overkill';

export interface IpaInput {
  name: string;
  /** Importance, e.g. the share of R² (0..1). */
  importance: number;
  /** Performance normalised to 0..1 (see `normalisePerformance`). */
  performance: number;
}

export interface IpaPoint extends IpaInput {
  quadrant: IpaQuadrant;
}

export interface IpaResult {
  points: IpaPoint[];
  /** The cross-hairs: mean importance and mean performance. */
  importanceThreshold: number;
  performanceThreshold: number;
}

/**
 * Performance on a 0..1 scale from a mean on the answer scale: (mean − min) / (max − min). For a
 * top-box share (already 0..1) pass `{ min: 0, max: 1 }`.
 */
export function normalisePerformance(value: number, scale: { min: number; max: number }): number {
  if (!(scale.max > scale.min))
    throw inputError(`the scale ${scale.min}–${scale.max} is empty; max must exceed min`, { field: 'scale' });
  return (value - scale.min) / (scale.max - scale.min);
}

/** Quadrant of one point against the thresholds; a value on a threshold counts as high. */
export function ipaQuadrant(
  importance: number,
  performance: number,
  importanceThreshold: number,
  performanceThreshold: number,
): IpaQuadrant {
  const important = importance >= importanceThreshold;
  const good = performance >= performanceThreshold;
  if (important) return good ? 'keep_up' : 'concentrate_here';
  return good ? 'possible_overkill' : 'low_priority';
}

export function importancePerformance(items: readonly IpaInput[]): IpaResult {
  if (items.length === 0)
    return { points: [], importanceThreshold: Number.NaN, performanceThreshold: Number.NaN };
  for (const it of items)
    if (!Number.isFinite(it.importance) || !Number.isFinite(it.performance))
      throw inputError('importance and performance must be numbers', { field: it.name });
  const importanceThreshold = items.reduce((s, it) => s + it.importance, 0) / items.length;
  const performanceThreshold = items.reduce((s, it) => s + it.performance, 0) / items.length;
  return {
    points: items.map((it) => ({
      ...it,
      quadrant: ipaQuadrant(it.importance, it.performance, importanceThreshold, performanceThreshold),
    })),
    importanceThreshold,
    performanceThreshold,
  };
}

/**
 * The quadrant chart of a driver analysis: importance = share of R², performance = each driver's mean
 * normalised with the answer scale (all drivers on the same scale, e.g. 1–5 elements).
 */
export function driverQuadrants(result: DriverResult, scale: { min: number; max: number }): IpaResult {
  return importancePerformance(
    result.weights.map((w) => {
      if (w.mean === undefined) throw inputError('the driver result has no means', { field: w.name });
      return { name: w.name, importance: w.share, performance: normalisePerformance(w.mean, scale) };
    }),
  );
}

export interface WhatIf {
  driver: string;
  /** Improvement of the driver, in its own units. */
  change: number;
  /** Expected change of the target, in its units. */
  effect: number;
  /** Bootstrap 95 % interval of the effect, when the analysis ran resamples. */
  ci?: { low: number; high: number };
}

/**
 * Expected change of the target when driver j improves by x units, all other drivers held fixed:
 * Δŷ = b_j · x, with b_j the unstandardised coefficient of the full OLS model (the partial slope; it is
 * not the relative weight, which apportions R² and has no units). The interval is the bootstrap interval
 * of b_j times x (its ends swap when x < 0). It is a linear, ceteris-paribus extrapolation — trustworthy
 * within the observed range of the driver and when its VIF is modest.
 */
export function whatIf(result: DriverResult, driver: string, change: number): WhatIf {
  const w = result.weights.find((x) => x.name === driver);
  if (!w)
    throw inputError(
      `unknown driver "${driver}"; the drivers are ${result.weights.map((x) => x.name).join(', ')}`,
      { field: 'driver' },
    );
  if (w.coefficient === undefined)
    throw inputError('the driver result has no coefficients', { field: driver });
  if (!Number.isFinite(change)) throw inputError('the change must be a number', { field: 'change' });
  const out: WhatIf = { driver, change, effect: w.coefficient * change };
  if (w.coefficientCi) {
    const a = w.coefficientCi.low * change;
    const b = w.coefficientCi.high * change;
    out.ci = { low: Math.min(a, b), high: Math.max(a, b) };
  }
  return out;
}
