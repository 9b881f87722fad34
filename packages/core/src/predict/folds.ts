import { Rng } from '../demo/rng.ts';
import type { Dataset } from './types.ts';

/**
 * Stratified k-fold assignment and stratified sampling with a seeded shuffle: the same seed gives the
 * same folds on every platform (the PRNG uses 32-bit integer maths only), so a reported AUC can be
 * reproduced exactly. Positives and negatives are shuffled separately and dealt round-robin, so every
 * fold holds ⌊m/k⌋ or ⌈m/k⌉ of each class.
 */
export function stratifiedFolds(y: Uint8Array, k: number, seed = 0): Uint8Array {
  if (!Number.isInteger(k) || k < 2 || k > 255) throw new RangeError(`folds must be 2..255, got ${k}`);
  const fold = new Uint8Array(y.length);
  const rng = new Rng(seed, 0x6f6c64);
  for (const cls of [0, 1]) {
    const idx = classIndexes(y, cls);
    shuffle(idx, rng);
    for (let i = 0; i < idx.length; i++) fold[idx[i]!] = i % k;
  }
  return fold;
}

/**
 * Row indexes (ascending) of a stratified random sample of `size` rows: each class keeps its share
 * (rounded), so the positive rate of the sample equals that of the data.
 */
export function stratifiedSample(y: Uint8Array, size: number, seed = 0): Uint32Array {
  if (size >= y.length) return Uint32Array.from({ length: y.length }, (_, i) => i);
  const rng = new Rng(seed, 0x73616d);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  const wantPos = Math.round((size * positives) / y.length);
  const picked: number[] = [];
  for (const [cls, want] of [
    [1, wantPos],
    [0, size - wantPos],
  ] as const) {
    const idx = classIndexes(y, cls);
    // Partial Fisher–Yates: only the first `want` places are drawn.
    for (let i = 0; i < want; i++) {
      const j = i + Math.floor(rng.next() * (idx.length - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
      picked.push(idx[i]!);
    }
  }
  return Uint32Array.from(picked).sort();
}

/**
 * The rows `rows` of a dataset as a new dataset (row-major copy); with `shared`, in SharedArrayBuffers
 * (where the platform has them) that worker threads read without a copy.
 */
export function subsetRows(data: Dataset, rows: ArrayLike<number>, shared = false): Dataset {
  const { p } = data;
  const n = rows.length;
  const x = newFloat64Array(n * p, shared);
  const y =
    shared && typeof SharedArrayBuffer === 'function'
      ? new Uint8Array(new SharedArrayBuffer(n))
      : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    x.set(data.x.subarray(r * p, r * p + p), i * p);
    y[i] = data.y[r]!;
  }
  return { x, y, n, p, features: data.features };
}

function classIndexes(y: Uint8Array, cls: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === cls) count++;
  const idx = new Uint32Array(count);
  let j = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === cls) idx[j++] = i;
  return idx;
}

function shuffle(a: Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** A zeroed Float64Array, in a SharedArrayBuffer when asked and the platform has one. */
export function newFloat64Array(length: number, shared = false): Float64Array {
  return shared && typeof SharedArrayBuffer === 'function'
    ? new Float64Array(new SharedArrayBuffer(length * 8))
    : new Float64Array(length);
}
