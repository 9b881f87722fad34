import { text } from '@cx/core';
import { applyTextModels, type TextModels } from '../ingestion/enrich-feedback.ts';
import type { CommentEnricher } from './responses.ts';

/**
 * The comment enrichment for hosted-survey responses: core text analytics (clean, PII redaction,
 * language, sentiment, themes of the given — the data directory's current — taxonomy), so a response
 * lands with them at once, themed like every other comment — and the active trained models applied
 * exactly as at feedback ingest (`applyTextModels`). The
 * stored comment is the redacted text; an undetermined language is stored as null.
 */
export const surveyCommentEnricher =
  (
    analysis: { taxonomy: text.Taxonomy; models?: TextModels | undefined } = {
      taxonomy: text.DEFAULT_TAXONOMY,
    },
  ): CommentEnricher =>
  (comment) => {
    const e = applyTextModels(text.enrichComment(comment, { taxonomy: analysis.taxonomy }), analysis.models);
    return {
      text: e.comment ?? comment,
      language: e.language === 'und' ? null : e.language,
      sentiment: e.sentiment,
      sentimentScore: e.sentimentScore,
      themes: e.themes,
    };
  };

/** PII redaction for each free-text answer kept in `properties.answers` (the comment column is redacted by enrichment). */
export const surveyTextRedactor = (answer: string): string => text.redactPii(answer).text;
