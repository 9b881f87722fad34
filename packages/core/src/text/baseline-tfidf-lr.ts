import { type Csr, csrFromRows, fitSoftmax, softmaxPrediction } from './classifier.ts';

/**
 * The reference the trainable classifier is measured against (issue 5 acceptance), because
 * scikit-learn is not available here. It reproduces the textbook pipeline with scikit-learn's
 * default settings:
 *
 *   TfidfVectorizer()          lower-case; tokens = runs of ≥ 2 word characters (`(?u)\b\w\w+\b`);
 *                              vocabulary of every training token (min_df = 1, no stop words,
 *                              unigrams only); raw term counts × smoothed IDF ln((1+n)/(1+df)) + 1;
 *                              each row L2-normalised.
 *   LogisticRegression()       multinomial, L2 penalty with C = 1.0 (intercept not penalised),
 *                              solver L-BFGS, tol = 1e-4, max_iter = 100.
 *
 * Only the optimiser's line search differs (backtracking Armijo instead of scipy's Moré–Thuente), so
 * the fitted model agrees with scikit-learn up to the optimiser's tolerance.
 */

export interface BaselineModel {
  labels: string[];
  vocabulary: Map<string, number>;
  idf: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  iterations: number;
}

const TOKEN = /[\p{L}\p{M}\p{N}_]{2,}/gu;

export function baselineTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

function termCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of baselineTokens(text)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export function trainBaseline(
  texts: readonly string[],
  labels: readonly string[],
  opts: { C?: number; maxIter?: number; tol?: number } = {},
): BaselineModel {
  const classes = [...new Set(labels)].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const docs = texts.map(termCounts);
  const vocabulary = new Map<string, number>();
  const df: number[] = [];
  for (const d of docs)
    for (const t of d.keys()) {
      let j = vocabulary.get(t);
      if (j === undefined) {
        j = vocabulary.size;
        vocabulary.set(t, j);
        df.push(0);
      }
      df[j]!++;
    }
  const n = texts.length;
  const idf = Float64Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1);
  const x: Csr = csrFromRows(
    docs.map((d) => {
      const r = new Map<number, number>();
      for (const [t, c] of d) {
        const j = vocabulary.get(t)!;
        r.set(j, c * idf[j]!);
      }
      return r;
    }),
    vocabulary.size,
  );
  const y = Int32Array.from(labels, (l) => classIndex.get(l)!);
  const fit = fitSoftmax(x, y, classes.length, {
    C: opts.C ?? 1,
    maxIter: opts.maxIter ?? 100,
    tol: opts.tol ?? 1e-4,
  });
  return {
    labels: classes,
    vocabulary,
    idf,
    weights: fit.weights,
    bias: fit.bias,
    iterations: fit.iterations,
  };
}

export function classifyBaseline(model: BaselineModel, text: string): { label: string; confidence: number } {
  const k = model.labels.length;
  const feats: [number, number][] = [];
  let norm = 0;
  for (const [t, c] of termCounts(text)) {
    const j = model.vocabulary.get(t);
    if (j === undefined) continue;
    const v = c * model.idf[j]!;
    feats.push([j, v]);
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const scores = Array.from(model.bias);
  for (const [j, v] of feats) for (let q = 0; q < k; q++) scores[q]! += v * inv * model.weights[j * k + q]!;
  const { label, confidence } = softmaxPrediction(model.labels, scores);
  return { label, confidence };
}
