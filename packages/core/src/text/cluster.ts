import { Rng } from '../demo/rng.ts';
import { benjaminiHochbergAdjust, twoProportionZTest } from '../stats/significance.ts';
import { lightStem } from './themes.ts';
import { isStopWord, tokenize } from './tokenize.ts';

/**
 * Automatic themes: clusters of open responses with readable labels, so new issues surface before
 * anyone writes a rule for them.
 *
 * 1. Terms: words that are not stop words (en/de/fr) or numbers, joined on their light stem
 *    ("sizes" = "size"), plus bigrams of neighbouring kept words ("customer service"). A term is kept
 *    when it occurs in ≥ minDf comments and in ≤ 70 % of them (a dominant issue must still count),
 *    the 5,000 most frequent at most.
 * 2. Vectors: sublinear TF × smoothed IDF, L2-normalised (cosine geometry).
 * 3. Spherical k-means (cosine), k-means++ seeding from a seeded generator, best of 5 restarts
 *    (2 above 5,000 comments) — same input, same clusters. k, unless given, is the k in
 *    minK..maxK (minK = max(2, round(√(n/50))), maxK = min(15, ⌊√(n/2)⌋)) with the best
 *    simplified silhouette (each comment: own-centroid vs nearest-other-centroid similarity) on a
 *    seeded sample of ≤ 1,500 comments.
 * 4. Labels: c-TF-IDF (as BERTopic): weight(t, c) = tf(t, c)/|c| · ln(1 + A / f(t)), A the mean
 *    term count per cluster, f(t) the term's count over all clusters; the label is the top 3 terms
 *    shown in their most frequent written form, a bigram replacing its own words.
 * 5. Examples: the 3 comments closest to the centroid.
 */

export interface ClusterOptions {
  /** Number of clusters; chosen automatically when absent. */
  k?: number;
  maxK?: number;
  minDf?: number;
  maxFeatures?: number;
  seed?: number;
  maxIter?: number;
  examples?: number;
}

export interface ClusterTerm {
  term: string;
  weight: number;
}

export interface TextCluster {
  id: number;
  label: string;
  size: number;
  /** size / comments that have at least one term. */
  share: number;
  terms: ClusterTerm[];
  examples: { index: number; text: string; similarity: number }[];
}

export interface ClusterModel {
  /** Term keys (stems, "stem stem" for bigrams) → column. */
  vocabulary: Map<string, number>;
  idf: Float64Array;
  /** k × V, row-major, unit length. */
  centroids: Float64Array;
  k: number;
}

export interface ClusterResult {
  k: number;
  /** Largest first. */
  clusters: TextCluster[];
  /** Cluster id of each input comment; −1 when it has no usable term. */
  assignments: Int32Array;
  unclustered: number;
  model: ClusterModel;
}

interface DocTerms {
  keys: string[];
}

const LETTER = /\p{L}/u;

/*
 * Besides stop words, clusters ignore negators and fillers: "not", "really" or "would" are in every
 * cluster and would make every label the same.
 */
const FILLERS = new Set(
  (
    'not no never nothing nicht kein keine pas rien but would really also even just bit much many still ' +
    "lot little way thing things however though although im ive dont didnt can't don't didn't " +
    'wirklich immer mal auch vraiment encore'
  ).split(' '),
);

/* Stemming is the costliest step per word and vocabularies are small: remember each word's stem. */
const stems = new Map<string, string>();
function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size > 200_000) stems.clear();
    s = lightStem(word);
    stems.set(word, s);
  }
  return s;
}

/** Kept terms of a comment, with the surface forms seen (for readable labels). */
export function clusterTerms(text: string, surfaces?: Map<string, Map<string, number>>): string[] {
  const toks = tokenize(text);
  const out: string[] = [];
  let prev: { key: string; raw: string } | null = null;
  const note = (key: string, raw: string) => {
    if (!surfaces) return;
    let m = surfaces.get(key);
    if (!m) {
      m = new Map();
      surfaces.set(key, m);
    }
    m.set(raw, (m.get(raw) ?? 0) + 1);
  };
  for (const t of toks) {
    if (
      t.kind !== 'word' ||
      t.text.length < 2 ||
      !LETTER.test(t.text) ||
      isStopWord(t.text) ||
      FILLERS.has(t.text)
    ) {
      prev = null;
      continue;
    }
    const key = stemOf(t.text);
    out.push(key);
    note(key, t.text);
    if (prev) {
      const bk = `${prev.key} ${key}`;
      out.push(bk);
      note(bk, `${prev.raw} ${t.text}`);
    }
    prev = { key, raw: t.text };
  }
  return out;
}

interface Sparse {
  idx: Int32Array;
  val: Float64Array;
}

function vectorize(docs: DocTerms[], vocabulary: Map<string, number>, idf: Float64Array): (Sparse | null)[] {
  return docs.map((d) => {
    const tf = new Map<number, number>();
    for (const k of d.keys) {
      const j = vocabulary.get(k);
      if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
    }
    if (tf.size === 0) return null;
    const idx = new Int32Array(tf.size);
    const val = new Float64Array(tf.size);
    let p = 0;
    let norm = 0;
    for (const [j, c] of tf) {
      idx[p] = j;
      val[p] = (1 + Math.log(c)) * idf[j]!;
      norm += val[p]! ** 2;
      p++;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let q = 0; q < val.length; q++) val[q]! *= inv;
    return { idx, val };
  });
}

const dotC = (x: Sparse, c: Float64Array, off: number) => {
  let s = 0;
  for (let p = 0; p < x.idx.length; p++) s += x.val[p]! * c[off + x.idx[p]!]!;
  return s;
};

interface KMeans {
  centroids: Float64Array;
  assign: Int32Array;
  sim: Float64Array;
}

/** Spherical k-means with k-means++ seeding (distance 1 − cosine). */
function sphericalKMeans(xs: Sparse[], V: number, k: number, rng: Rng, maxIter: number): KMeans {
  const n = xs.length;
  const centroids = new Float64Array(k * V);
  const setCentroid = (c: number, x: Sparse) => {
    centroids.fill(0, c * V, (c + 1) * V);
    for (let p = 0; p < x.idx.length; p++) centroids[c * V + x.idx[p]!] = x.val[p]!;
  };
  // k-means++: next seed drawn with probability ∝ (1 − best similarity to the seeds so far)².
  const best = new Float64Array(n).fill(-Infinity);
  setCentroid(0, xs[Math.floor(rng.next() * n)]!);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.max(best[i]!, dotC(xs[i]!, centroids, (c - 1) * V));
      total += (1 - best[i]!) ** 2;
    }
    let r = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= (1 - best[i]!) ** 2;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    setCentroid(c, xs[pick]!);
  }
  const assign = new Int32Array(n).fill(-1);
  const sim = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bc = 0;
      let bs = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dotC(xs[i]!, centroids, c * V);
        if (s > bs) {
          bs = s;
          bc = c;
        }
      }
      if (assign[i] !== bc) changed++;
      assign[i] = bc;
      sim[i] = bs;
    }
    if (changed === 0 && it > 0) break;
    centroids.fill(0);
    const size = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const off = assign[i]! * V;
      size[assign[i]!]!++;
      const x = xs[i]!;
      for (let p = 0; p < x.idx.length; p++) centroids[off + x.idx[p]!]! += x.val[p]!;
    }
    for (let c = 0; c < k; c++) {
      if (size[c] === 0) {
        // An empty cluster takes the comment worst served by its centroid.
        let worst = 0;
        for (let i = 1; i < n; i++) if (sim[i]! < sim[worst]!) worst = i;
        setCentroid(c, xs[worst]!);
        sim[worst] = 1;
        continue;
      }
      let norm = 0;
      for (let j = c * V; j < (c + 1) * V; j++) norm += centroids[j]! ** 2;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = c * V; j < (c + 1) * V; j++) centroids[j]! *= inv;
    }
  }
  return { centroids, assign, sim };
}

/** k-means is a local search: run it from several seedings and keep the tightest (largest Σ cosine). */
function bestOfRestarts(
  xs: Sparse[],
  V: number,
  k: number,
  seed: number,
  stage: number,
  maxIter: number,
  restarts: number,
): KMeans {
  let best: KMeans | null = null;
  let bestObj = -Infinity;
  for (let r = 0; r < restarts; r++) {
    const km = sphericalKMeans(xs, V, k, new Rng(seed, stage, k, r), maxIter);
    let obj = 0;
    for (let i = 0; i < km.sim.length; i++) obj += km.sim[i]!;
    if (obj > bestObj + 1e-9) {
      best = km;
      bestObj = obj;
    }
  }
  return best!;
}

/** Mean simplified silhouette: (b − a)/max(a, b) with a, b = 1 − similarity to own / nearest other centroid. */
function simplifiedSilhouette(xs: Sparse[], V: number, k: number, km: KMeans): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const own = km.assign[i]!;
    let other = -Infinity;
    for (let c = 0; c < k; c++) if (c !== own) other = Math.max(other, dotC(xs[i]!, km.centroids, c * V));
    const a = 1 - km.sim[i]!;
    const b = 1 - other;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / xs.length;
}

export function clusterTexts(texts: readonly string[], opts: ClusterOptions = {}): ClusterResult {
  const n = texts.length;
  const seed = opts.seed ?? 42;
  const surfaces = new Map<string, Map<string, number>>();
  const docs: DocTerms[] = texts.map((t) => ({ keys: clusterTerms(t, surfaces) }));
  const df = new Map<string, number>();
  for (const d of docs) for (const k of new Set(d.keys)) df.set(k, (df.get(k) ?? 0) + 1);
  const minDf = opts.minDf ?? Math.max(2, Math.ceil(n * 0.002));
  const kept = [...df.entries()]
    .filter(([, c]) => c >= minDf && c <= Math.max(2, 0.7 * n))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxFeatures ?? 5000);
  const vocabulary = new Map(kept.map(([t], i) => [t, i]));
  const V = vocabulary.size;
  const idf = Float64Array.from(kept, ([, c]) => Math.log((1 + n) / (1 + c)) + 1);
  const vecs = vectorize(docs, vocabulary, idf);
  const rows: number[] = [];
  vecs.forEach((v, i) => {
    if (v) rows.push(i);
  });
  const xs = rows.map((i) => vecs[i]!);
  const assignments = new Int32Array(n).fill(-1);
  const empty: ClusterResult = {
    k: 0,
    clusters: [],
    assignments,
    unclustered: n,
    model: { vocabulary, idf, centroids: new Float64Array(0), k: 0 },
  };
  if (xs.length < 2) return empty;

  let k = opts.k;
  if (k === undefined) {
    const maxK = Math.min(opts.maxK ?? 15, Math.floor(Math.sqrt(xs.length / 2)), xs.length);
    // Silhouettes of text clusters favour very few, broad clusters; an analyst needs more than two
    // themes in a thousand comments, so the search starts at √(n/50).
    const minK = Math.max(2, Math.min(maxK, Math.round(Math.sqrt(xs.length / 50))));
    k = Math.max(1, Math.min(minK, xs.length));
    if (maxK > minK) {
      const rng = new Rng(seed, 1);
      const sample = xs.length <= 1500 ? xs : seededSample(xs, 1500, rng);
      let bestScore = -Infinity;
      for (let c = minK; c <= maxK; c++) {
        const km = bestOfRestarts(sample, V, c, seed, 2, opts.maxIter ?? 25, 2);
        const s = simplifiedSilhouette(sample, V, c, km);
        if (s > bestScore + 1e-9) {
          bestScore = s;
          k = c;
        }
      }
    }
  }
  k = Math.max(1, Math.min(k, xs.length));
  const km = bestOfRestarts(xs, V, k, seed, 3, opts.maxIter ?? 25, xs.length <= 5000 ? 5 : 2);
  rows.forEach((row, i) => {
    assignments[row] = km.assign[i]!;
  });

  // c-TF-IDF over term occurrences per cluster.
  const tf = new Float64Array(k * V);
  const termsPerCluster = new Float64Array(k);
  const f = new Float64Array(V);
  rows.forEach((row) => {
    const c = assignments[row]!;
    for (const key of docs[row]!.keys) {
      const j = vocabulary.get(key);
      if (j === undefined) continue;
      tf[c * V + j]!++;
      termsPerCluster[c]!++;
      f[j]!++;
    }
  });
  const A = termsPerCluster.reduce((a, b) => a + b, 0) / k;
  const keys = kept.map(([t]) => t);
  const display = (key: string) => {
    const m = surfaces.get(key);
    if (!m) return key;
    let best = key;
    let bc = -1;
    for (const [s, c] of m) if (c > bc || (c === bc && s < best)) [best, bc] = [s, c];
    return best;
  };
  const sizes = new Int32Array(k);
  for (const row of rows) sizes[assignments[row]!]!++;

  const clusters: TextCluster[] = [];
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    const scored: { j: number; w: number }[] = [];
    for (let j = 0; j < V; j++) {
      const t = tf[c * V + j]!;
      if (t > 0) scored.push({ j, w: (t / termsPerCluster[c]!) * Math.log(1 + A / f[j]!) });
    }
    scored.sort((a, b) => b.w - a.w || a.j - b.j);
    const top = scored
      .slice(0, 10)
      .map(({ j, w }) => ({ key: keys[j]!, term: display(keys[j]!), weight: w }));
    clusters.push({
      id: c,
      label: labelFrom(top),
      size: sizes[c]!,
      share: sizes[c]! / xs.length,
      terms: top.map(({ term, weight }) => ({ term, weight })),
      examples: rows
        .map((row, i) => ({ row, s: km.sim[i]!, c: km.assign[i]! }))
        .filter((e) => e.c === c)
        .sort((a, b) => b.s - a.s || a.row - b.row)
        .slice(0, opts.examples ?? 3)
        .map((e) => ({ index: e.row, text: texts[e.row]!, similarity: e.s })),
    });
  }
  clusters.sort((a, b) => b.size - a.size || a.id - b.id);
  return {
    k,
    clusters,
    assignments,
    unclustered: n - xs.length,
    model: { vocabulary, idf, centroids: km.centroids, k },
  };
}

/** Top 3 terms; a bigram absorbs its own words, other terms sharing a word are skipped. */
function labelFrom(top: { key: string; term: string }[]): string {
  let chosen: { key: string; term: string }[] = [];
  for (const t of top) {
    const parts = t.key.split(' ');
    if (parts.length === 2) chosen = chosen.filter((c) => !parts.includes(c.key));
    if (!chosen.some((c) => c.key.split(' ').some((p) => parts.includes(p)))) chosen.push(t);
    if (chosen.length === 3) break;
  }
  return chosen.map((c) => c.term).join(', ');
}

function seededSample<T>(items: readonly T[], size: number, rng: Rng): T[] {
  const idx = items.map((_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng.next() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** Assigns new comments (e.g. of the previous period) to the clusters of a model; −1 = no term. */
export function assignToClusters(model: ClusterModel, texts: readonly string[]): Int32Array {
  const V = model.vocabulary.size;
  const vecs = vectorize(
    texts.map((t) => ({ keys: clusterTerms(t) })),
    model.vocabulary,
    model.idf,
  );
  return Int32Array.from(vecs, (x) => {
    if (!x) return -1;
    let bc = -1;
    let bs = -Infinity;
    for (let c = 0; c < model.k; c++) {
      const s = dotC(x, model.centroids, c * V);
      if (s > bs) {
        bs = s;
        bc = c;
      }
    }
    return bc;
  });
}

/** How many comments of a period mention each key (a theme, a cluster, a term), out of `total`. */
export interface ShareCounts {
  total: number;
  counts: Readonly<Record<string, number>>;
}

export interface EmergingTheme {
  key: string;
  current: { count: number; share: number };
  previous: { count: number; share: number };
  /** Share now − share before, in percentage points. */
  changePoints: number;
  z: number;
  p: number;
  /** Benjamini–Hochberg adjusted over every key tested. */
  pAdjusted: number;
  emerging: boolean;
}

/**
 * Keys whose share of comments rose significantly from the previous period to the current one:
 * two-proportion z-test per key (pooled), Benjamini–Hochberg across keys because many are tested
 * at once, and at least `minCount` mentions now, so a jump from 0 to 2 is not called a trend.
 * Sorted by z, largest rise first; falls are listed too (emerging = false).
 */
export function emergingThemes(
  current: ShareCounts,
  previous: ShareCounts,
  opts: { alpha?: number; minCount?: number } = {},
): EmergingTheme[] {
  const alpha = opts.alpha ?? 0.05;
  const minCount = opts.minCount ?? 5;
  const keys = [...new Set([...Object.keys(current.counts), ...Object.keys(previous.counts)])].sort();
  const tested: Omit<EmergingTheme, 'pAdjusted' | 'emerging'>[] = [];
  for (const key of keys) {
    const x1 = current.counts[key] ?? 0;
    const x2 = previous.counts[key] ?? 0;
    const t = twoProportionZTest(x1, current.total, x2, previous.total, alpha);
    if (!t) continue;
    tested.push({
      key,
      current: { count: x1, share: x1 / current.total },
      previous: { count: x2, share: x2 / previous.total },
      changePoints: 100 * (x1 / current.total - x2 / previous.total),
      z: t.statistic,
      p: t.p,
    });
  }
  const adjusted = benjaminiHochbergAdjust(tested.map((t) => t.p));
  return tested
    .map((t, i) => ({
      ...t,
      pAdjusted: adjusted[i]!,
      emerging: t.z > 0 && adjusted[i]! < alpha && t.current.count >= minCount,
    }))
    .sort((a, b) => b.z - a.z || (a.key < b.key ? -1 : 1));
}

/** Document counts of every term (stems and bigrams, shown in their most frequent form) in texts. */
export function termShares(texts: readonly string[], minCount = 2): ShareCounts {
  const surfaces = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  for (const t of texts) for (const k of new Set(clusterTerms(t, surfaces))) df.set(k, (df.get(k) ?? 0) + 1);
  const counts: Record<string, number> = {};
  for (const [k, c] of df) {
    if (c < minCount) continue;
    let best = k;
    let bc = -1;
    for (const [s, sc] of surfaces.get(k) ?? []) if (sc > bc) [best, bc] = [s, sc];
    counts[best] = (counts[best] ?? 0) + c;
  }
  return { total: texts.length, counts };
}
