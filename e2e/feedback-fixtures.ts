import { text } from '@cx/core';
import { enrichFeedbackLoad } from '../packages/server/src/ingestion/enrich-feedback.ts';
import type { Warehouse } from '../packages/server/src/warehouse/port.ts';

/**
 * Enriches (language, sentiment, themes) the demo feedback loads that are not enriched yet, with
 * the ingest path's own step, so browser tests and screenshots see real enrichment.
 */
export async function enrichDemoFeedback(wh: Warehouse): Promise<number> {
  const loads = await wh.all<{ load_id: string }>(
    'select distinct load_id from feedback where comment is not null and sentiment is null and load_id is not null',
  );
  let n = 0;
  for (const { load_id } of loads) {
    n += (await wh.transaction((tx) => enrichFeedbackLoad(tx, load_id, { taxonomy: text.DEFAULT_TAXONOMY })))
      .enriched;
  }
  return n;
}

/** One feedback row with the given comment, as an import or the HTTP batch API would store it. */
export async function insertFeedbackRow(
  wh: Warehouse,
  row: { responseId: string; comment: string; nps: number; journey?: string; ts?: Date },
): Promise<void> {
  const e = text.enrichComment(row.comment, { taxonomy: text.DEFAULT_TAXONOMY });
  await wh.append(
    'feedback',
    [
      'response_id',
      'ts',
      'survey_id',
      'journey',
      'channel',
      'nps',
      'comment',
      'language',
      'sentiment',
      'sentiment_score',
      'themes',
      'source_system',
      'load_id',
    ],
    [
      [
        row.responseId,
        row.ts ?? new Date(),
        'e2e',
        row.journey ?? 'billing',
        'web',
        row.nps,
        e.comment,
        e.language,
        e.sentiment,
        e.sentimentScore,
        e.themes,
        'e2e',
        'e2e',
      ],
    ],
  );
}
