import { text } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * Text enrichment of the feedback rows of one load (issue 5 §3): for every row with a comment,
 * redact PII, detect the language, score sentiment and match themes. The analysis is JS (it cannot
 * be SQL), but the data path stays bulk: comments are read page by page, the results are appended
 * to a temporary table, and ONE `update … from` writes them back. Runs in the caller's transaction,
 * so the load and its enrichment are stored together or not at all.
 */
export interface EnrichFeedbackOptions {
  /** Themes are matched (and overwritten) only when a taxonomy is given. */
  taxonomy?: text.Taxonomy;
  /** Replace language/sentiment the source already supplied. Default false: source values win. */
  overwrite?: boolean;
  /** Rows read per page (bounds memory on very large loads). */
  pageSize?: number;
  /** The active trained models (see `applyTextModels`); the lexicon / taxonomy alone when absent. */
  models?: TextModels | undefined;
}

export interface TextModels {
  sentiment?: text.ClassifierModel | undefined;
  theme?: text.ClassifierModel | undefined;
}

/**
 * Below these probabilities a trained model's prediction is not used (docs/text-analytics.md,
 * "Trained models at ingest"): an unsure model must not override the lexicon, whose score is
 * calibrated on its own. With three sentiment classes 0.6 means the label is clearly ahead.
 */
export const SENTIMENT_MODEL_MIN_CONFIDENCE = 0.6;
export const THEME_MODEL_MIN_CONFIDENCE = 0.6;
/** A theme model's label meaning "no theme". */
export const NO_THEME = 'none';

type Analysed = {
  comment: string | null;
  sentiment: text.SentimentLabel | null;
  sentimentScore: number | null;
  themes: string[];
};

/**
 * Applies the active models to one enriched comment (the redacted text, as the models were trained
 * on stored comments). A confident sentiment model replaces the label, and the score becomes
 * P(positive) − P(negative) so the two agree; a confident theme model adds its theme.
 */
export function applyTextModels<T extends Analysed>(e: T, models: TextModels | undefined): T {
  if (!models || !e.comment) return e;
  const out = { ...e };
  if (models.sentiment) {
    const p = text.classify(models.sentiment, e.comment);
    if (p.confidence >= SENTIMENT_MODEL_MIN_CONFIDENCE) {
      out.sentiment = p.label as text.SentimentLabel;
      const pr = p.probabilities;
      out.sentimentScore = Number(((pr.positive ?? 0) - (pr.negative ?? 0)).toFixed(4));
    }
  }
  if (models.theme) {
    const p = text.classify(models.theme, e.comment);
    if (p.confidence >= THEME_MODEL_MIN_CONFIDENCE && p.label !== NO_THEME && !e.themes.includes(p.label))
      out.themes = [...e.themes, p.label];
  }
  return out;
}

export interface EnrichFeedbackResult {
  /** Rows whose comment was analysed. */
  enriched: number;
  sentiment: Record<text.SentimentLabel, number>;
  redactions: Record<text.PiiKind, number>;
}

const TMP = 'cx_enrich_feedback';
const KNOWN = new Set(['en', 'de', 'fr']);

/** Enriches the comments of one load, or of several (the batches of an HTTP group commit). */
export async function enrichFeedbackLoad(
  tx: WarehouseSession,
  loadIds: string | readonly string[],
  opts: EnrichFeedbackOptions = {},
): Promise<EnrichFeedbackResult> {
  const loads = typeof loadIds === 'string' ? [loadIds] : [...loadIds];
  const pageSize = opts.pageSize ?? 20_000;
  const writeThemes = Boolean(opts.taxonomy || opts.models?.theme);
  const result: EnrichFeedbackResult = {
    enriched: 0,
    sentiment: { negative: 0, neutral: 0, positive: 0 },
    redactions: { email: 0, phone: 0, iban: 0, card: 0, name: 0 },
  };
  await tx.run(`drop table if exists ${TMP}`);
  await tx.run(
    `create temp table ${TMP} (rid varchar, comment varchar, language varchar, sentiment varchar,
       sentiment_score double, themes varchar[])`,
  );
  try {
    // Keyset paging on the response id, which is unique in the table. (Not on rowid: rows appended
    // in this still-open transaction do not have their final rowids, so an UPDATE joined on them
    // can hit the wrong rows.)
    let after = '';
    for (;;) {
      const page = await tx.all<{ rid: string; comment: string; language: string | null }>(
        `select response_id as rid, comment, language from feedback
         where load_id in (select unnest(?::varchar[])) and comment is not null and response_id > ?
         order by response_id limit ?`,
        [loads, after, pageSize],
      );
      if (page.length === 0) break;
      after = page[page.length - 1]!.rid;
      const rows: unknown[][] = [];
      for (const r of page) {
        const given = r.language?.trim().toLowerCase().slice(0, 2);
        const e = applyTextModels(
          text.enrichComment(r.comment, {
            ...(opts.taxonomy ? { taxonomy: opts.taxonomy } : {}),
            ...(given && KNOWN.has(given) && !opts.overwrite ? { language: given as text.Lang } : {}),
          }),
          opts.models,
        );
        for (const k of text.PII_KINDS) result.redactions[k] += e.redactions[k];
        if (e.sentiment) result.sentiment[e.sentiment]++;
        result.enriched++;
        rows.push([
          r.rid,
          e.comment,
          e.language === 'und' ? null : e.language,
          e.sentiment,
          e.sentimentScore,
          writeThemes ? e.themes : null,
        ]);
      }
      await tx.append(TMP, ['rid', 'comment', 'language', 'sentiment', 'sentiment_score', 'themes'], rows);
      if (page.length < pageSize) break;
    }
    if (result.enriched === 0) return result;
    // The comment is always replaced by its redacted form: unredacted text must not stay stored.
    const keep = (col: string) =>
      opts.overwrite ? `coalesce(t.${col}, f.${col})` : `coalesce(f.${col}, t.${col})`;
    await tx.run(
      `update feedback f set
         comment = t.comment,
         language = ${keep('language')},
         sentiment = ${opts.overwrite ? 't.sentiment' : 'coalesce(f.sentiment, t.sentiment)'},
         sentiment_score = ${opts.overwrite ? 't.sentiment_score' : 'coalesce(f.sentiment_score, t.sentiment_score)'},
         themes = ${writeThemes ? 't.themes' : 'f.themes'}
       from ${TMP} t where f.response_id = t.rid and f.load_id in (select unnest(?::varchar[]))`,
      [loads],
    );
    return result;
  } finally {
    await tx.run(`drop table if exists ${TMP}`);
  }
}
