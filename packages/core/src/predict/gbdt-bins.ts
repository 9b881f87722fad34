import type { Matrix } from './types.ts';

/**
 * Quantile binning for the histogram GBDT: every feature is cut once into at most `maxBins` bins
 * (≤ 255) and stored as one byte per value, so a histogram pass reads compact bytes instead of
 * doubles. The bytes of four features of a row are packed into one 32-bit word, column-major by
 * groups of four features: a histogram pass that handles four features at a time then reads one word
 * per row instead of four bytes from four columns (one cache line per row instead of four — rows of a
 * deep node are scattered). NaN (missing) always lands in bin MISSING_BIN; the trees learn per split
 * which side missing values take.
 */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

export interface Binned {
  /**
   * Bins packed by groups of four features: the bin of row i, feature j is byte j & 3 of word
   * `bins[(j >> 2) * n + i]`, i.e. `(bins[(j >> 2) * n + i] >>> ((j & 3) * 8)) & 255` (binAt).
   */
  bins: Uint32Array;
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
  // Per feature a bucket table over its cut range, so a value's bin is found in about one step
  // instead of an 8-step binary search: B equal-width buckets between the first and last cut, and
  // for each bucket the number of cuts in earlier buckets. The bucket of a value is monotone in the
  // value, so every cut in an earlier bucket is below it; the bin is then that count plus a short
  // forward scan over the cuts in its own bucket — exactly binOf's answer.
  const B = LOOKUP_BUCKETS;
  const start = new Int32Array(p * (B + 1));
  const lo = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let k = 0;
    for (let s = 0, at = j * ns; s < ns; s++, at++) {
      const v = sampleCols[at]!;
      if (!Number.isNaN(v)) values[k++] = v;
    }
    const sorted = values.subarray(0, k).sort();
    const c = cutsFromSorted(sorted, maxBins);
    cuts.push(c);
    const nc = c.length;
    const sb = j * (B + 1);
    if (nc === 0) continue; // every value in bin 0: scale 0 and an empty table
    const sc = nc > 1 ? B / (c[nc - 1]! - c[0]!) : 0;
    // A degenerate range (overflow) falls back to one bucket: still exact, just a longer scan.
    lo[j] = c[0]!;
    scale[j] = Number.isFinite(sc) ? sc : 0;
    for (let t = 0; t < nc; t++) {
      const u = bucketOf(c[t]!, lo[j]!, scale[j]!, B);
      // start[u] counts the cuts in buckets before u: a cut counts from bucket u + 1 on.
      if (u < B) start[sb + u + 1]!++;
    }
    for (let t = 1; t <= B; t++) start[sb + t] = start[sb + t]! + start[sb + t - 1]!;
  }
  // Row blocks: the block's rows stay in cache while every group of features is binned, so the
  // row-major matrix is read from memory once rather than once per group.
  const groups = (p + 3) >> 2;
  const bins = new Uint32Array(groups * n);
  const BLOCK = 2048;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let g = 0; g < groups; g++) {
      const j0 = g * 4;
      const j1 = Math.min(p, j0 + 4);
      const out = g * n;
      for (let i = i0; i < i1; i++) {
        let word = 0;
        for (let j = j0; j < j1; j++) {
          const v = x[i * p + j]!;
          let b = MISSING_BIN;
          if (!Number.isNaN(v)) {
            const c = cuts[j]!;
            b = start[j * (B + 1) + bucketOf(v, lo[j]!, scale[j]!, B)]!;
            while (b < c.length && c[b]! < v) b++;
          }
          word |= b << ((j - j0) * 8);
        }
        bins[out + i] = word >>> 0;
      }
    }
  }
  return { bins, n, p, cuts };
}

/** Buckets of the lookup table of binMatrix (B + 1 counts per feature). */
const LOOKUP_BUCKETS = 1024;

/** Bucket 0…B of v in a table starting at lo with `scale` buckets per unit; monotone in v. */
function bucketOf(v: number, lo: number, scale: number, B: number): number {
  const t = (v - lo) * scale;
  return t > 0 ? (t < B ? t | 0 : B) : 0;
}

/** The bin of row i, feature j of a packed bin matrix. */
export function binAt(b: Binned, i: number, j: number): number {
  return (b.bins[(j >> 2) * b.n + i]! >>> ((j & 3) * 8)) & 255;
}
