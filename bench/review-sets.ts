import { openDuckDbWarehouse } from '../packages/server/src/warehouse/duckdb.ts';

/**
 * The three labelled review sets of ../shared/data used to evaluate sentiment, and the ONE
 * rating → label mapping (docs/text-analytics.md). Ratings on 1–10 are mapped as if halved onto
 * 1–5 (ceil(r / 2)), so every set uses the same rule: 1–2 of 5 negative, 3 neutral, 4–5 positive.
 */
export type Label = 'negative' | 'neutral' | 'positive';
export const LABELS: readonly Label[] = ['negative', 'neutral', 'positive'];

export function ratingToLabel(rating: number, scaleMax: 5 | 10): Label {
  const r5 = scaleMax === 10 ? Math.ceil(rating / 2) : rating;
  return r5 <= 2 ? 'negative' : r5 === 3 ? 'neutral' : 'positive';
}

export interface Review {
  id: number;
  text: string;
  label: Label;
}

export interface ReviewSet {
  name: string;
  reviews: Review[];
}

const DATA = new URL('../../shared/data/', import.meta.url).pathname;

const SETS = [
  {
    name: 'clothing',
    sql: `select "column00" as id, "Review Text" as text, "Rating" as rating
          from read_csv('${DATA}womens_clothing_reviews/Womens Clothing E-Commerce Reviews.csv', header = true, all_varchar = true)`,
    scaleMax: 5 as const,
  },
  {
    name: 'ba_airline',
    sql: `select "ReviewID" as id, "ReviewBody" as text, "OverallRating" as rating
          from read_csv('${DATA}ba_airline_reviews/BA_AirlineReviews.csv', header = true, all_varchar = true)`,
    scaleMax: 10 as const,
  },
  {
    name: 'alexa',
    sql: `select (row_number() over () - 1)::varchar as id, verified_reviews as text, rating
          from read_csv('${DATA}amazon_alexa_reviews/amazon_alexa.tsv', header = true, delim = '\t', quote = '"', all_varchar = true)`,
    scaleMax: 5 as const,
  },
];

/** Rows with a non-blank text and a rating; ids are the set's own row ids (train/test split on parity). */
export async function loadReviewSets(): Promise<ReviewSet[]> {
  const db = await openDuckDbWarehouse(':memory:');
  try {
    const out: ReviewSet[] = [];
    for (const s of SETS) {
      const rows = await db.all<{ id: string; text: string; rating: string }>(
        `select * from (${s.sql}) where trim(coalesce(text, '')) <> '' and try_cast(rating as integer) is not null`,
      );
      out.push({
        name: s.name,
        reviews: rows.map((r) => ({
          id: Number(r.id),
          text: r.text,
          label: ratingToLabel(Number(r.rating), s.scaleMax),
        })),
      });
    }
    return out;
  } finally {
    await db.close();
  }
}

export interface Metrics {
  n: number;
  accuracy: number;
  macroF1: number;
  f1: Record<Label, number>;
  /** confusion[gold][predicted] */
  confusion: Record<Label, Record<Label, number>>;
}

/** Accuracy, per-class and macro F1 (unweighted mean over the three classes), confusion matrix. */
export function evaluate(gold: readonly Label[], predicted: readonly Label[]): Metrics {
  const confusion = Object.fromEntries(
    LABELS.map((g) => [g, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
  ) as Record<Label, Record<Label, number>>;
  let ok = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    confusion[g][p]++;
    if (g === p) ok++;
  });
  const f1 = {} as Record<Label, number>;
  for (const l of LABELS) {
    const tp = confusion[l][l];
    const fp = LABELS.reduce((s, g) => s + (g === l ? 0 : confusion[g][l]), 0);
    const fn = LABELS.reduce((s, p) => s + (p === l ? 0 : confusion[l][p]), 0);
    f1[l] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: gold.length,
    accuracy: r(ok / gold.length),
    macroF1: r((f1.negative + f1.neutral + f1.positive) / 3),
    f1: { negative: r(f1.negative), neutral: r(f1.neutral), positive: r(f1.positive) },
    confusion,
  };
}
