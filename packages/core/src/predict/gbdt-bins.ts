import type { Matrix } from './types.ts';

/**
 * Quantile binning for the histogram GBDT: every feature is cut once into at most `maxBins` bins
 * (≤ 255) and stored as one byte per value, column-major, so a histogram pass reads one compact
 * column per feature instead of doubles. NaN (missing) always lands in bin MISSING_BIN; the trees
 * learn per split which side missing values take.
 */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

export interface Binned {
  /** Column-major bins: bin of row i, feature j at `bins[j * n + i]`. */
  bins: Uint8Array;
  n: number;
  p: number;
  /**
   * Per feature, the upper edges in raw units: a value x falls in bin b when cuts[b-1] < x ≤ cuts[b].
   * A feature with k cuts has k + 1 non-missing bins.
   */
  cuts: Float64Array[];
}

/** Small seeded PRNG (mulberry32): fast, 32-bit state, enough for sampling rows and columns. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Cut points of one feature from a sorted sample of its non-missing values. With few distinct
 * values every value gets its own bin (cuts at midpoints, so unseen values in between split
 * sensibly). Otherwise bins are filled greedily to equal mass, re-targeting after each cut so one
 * very frequent value (e.g. 0 for most customers) takes one bin and the rest still get the others.
 */
export function cutsFromSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const d = distinct.length;
  const cuts: number[] = [];
  if (d <= maxBins) {
    for (let k = 0; k + 1 < d; k++) cuts.push(midpoint(distinct[k]!, distinct[k + 1]!));
    return Float64Array.from(cuts);
  }
  let remaining = m;
  let binsLeft = maxBins;
  let acc = 0;
  for (let k = 0; k + 1 < d && binsLeft > 1; k++) {
    acc += counts[k]!;
    if (acc >= remaining / binsLeft) {
      cuts.push(midpoint(distinct[k]!, distinct[k + 1]!));
      remaining -= acc;
      acc = 0;
      binsLeft--;
    }
  }
  return Float64Array.from(cuts);
}

function midpoint(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  // Infinite neighbours (or rounding) must not produce a cut outside [a, b).
  return Number.isFinite(mid) && mid >= a && mid < b ? mid : a;
}

/** Bin of one value: the number of cuts strictly below it (binary search). */
export function binOf(cuts: Float64Array, x: number): number {
  if (Number.isNaN(x)) return MISSING_BIN;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins a row-major matrix. Cut points come from a seeded sample of at most `sampleRows` rows (the
 * same rows for every feature); binning then maps every value.
 */
export function binMatrix(m: Matrix, maxBins: number, seed: number, sampleRows = 200_000): Binned {
  const { n, p, x } = m;
  const bins = new Uint8Array(n * p);
  const cuts: Float64Array[] = [];
  let sample: Uint32Array;
  if (n <= sampleRows) {
    sample = new Uint32Array(n);
    for (let i = 0; i < n; i++) sample[i] = i;
  } else {
    // Bernoulli sample, then ascending order for cache-friendly strided reads.
    const rng = makeRng(seed ^ 0x5bd1e995);
    const rate = sampleRows / n;
    const picked: number[] = [];
    for (let i = 0; i < n; i++) if (rng() < rate) picked.push(i);
    sample = Uint32Array.from(picked);
  }
  // The sample transposed to columns in one pass over its rows (not one strided pass per feature).
  const ns = sample.length;
  const sampleCols = new Float64Array(ns * p);
  for (let s = 0; s < ns; s++) {
    const off = sample[s]! * p;
    for (let j = 0; j < p; j++) sampleCols[j * ns + s] = x[off + j]!;
  }
  const values = new Float64Array(ns);
  // Cuts padded to 255 entries with +∞, so the bin search below is a fixed 8-step descent.
  const padded = new Float64Array(p * 256);
  for (let j = 0; j < p; j++) {
    let k = 0;
    for (let s = 0, at = j * ns; s < ns; s++, at++) {
      const v = sampleCols[at]!;
      if (!Number.isNaN(v)) values[k++] = v;
    }
    const sorted = values.subarray(0, k).sort();
    const c = cutsFromSorted(sorted, maxBins);
    cuts.push(c);
    padded.fill(Number.POSITIVE_INFINITY, j * 256, (j + 1) * 256);
    padded.set(c, j * 256);
  }
  // Row blocks: the block's rows (≈ 1.6 MB at 50 features) stay in cache while every feature is
  // binned, so the row-major matrix is read from memory once rather than once per feature.
  const BLOCK = 4096;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j = 0; j < p; j++) {
      const cb = j * 256;
      const out = j * n;
      for (let i = i0; i < i1; i++) {
        const v = x[i * p + j]!;
        if (Number.isNaN(v)) {
          bins[out + i] = MISSING_BIN;
          continue;
        }
        // bin = number of cuts < v, by a branch-free binary descent over the padded cuts.
        let b = padded[cb + 127]! < v ? 128 : 0;
        b += padded[cb + b + 63]! < v ? 64 : 0;
        b += padded[cb + b + 31]! < v ? 32 : 0;
        b += padded[cb + b + 15]! < v ? 16 : 0;
        b += padded[cb + b + 7]! < v ? 8 : 0;
        b += padded[cb + b + 3]! < v ? 4 : 0;
        b += padded[cb + b + 1]! < v ? 2 : 0;
        b += padded[cb + b]! < v ? 1 : 0;
        bins[out + i] = b;
      }
    }
  }
  return { bins, n, p, cuts };
}
