import type { CustomerResponse, DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';
import { parseObject } from './customer-row.ts';

/** Every survey response of the customer, oldest first, with its enrichment (sentiment, themes). */
export async function customerResponses(
  wh: WarehouseSession,
  customerId: string,
  scope: DataScope,
): Promise<CustomerResponse[]> {
  const s = scopeSql(scope, 'f', 'feedback');
  const rows = await wh.all<{
    response_id: string;
    case_id: string | null;
    ts: string | null;
    survey_id: string | null;
    journey: string | null;
    touchpoint: string | null;
    channel: string | null;
    nps: number | null;
    csat: number | null;
    ces: number | null;
    elements: string | null;
    comment: string | null;
    language: string | null;
    sentiment: string | null;
    sentiment_score: number | null;
    themes: string[] | null;
  }>(
    `select response_id, case_id, ts, survey_id, journey, touchpoint, channel, nps, csat, ces, elements,
            comment, language, sentiment, sentiment_score, themes
     from feedback f where f.customer_id = ? and ${s.sql}
     order by f.ts nulls first, f.response_id`,
    [customerId, ...s.params],
  );
  return rows.map((r) => {
    const el = parseObject(r.elements);
    const elements = el
      ? Object.fromEntries(Object.entries(el).filter((e): e is [string, number] => typeof e[1] === 'number'))
      : null;
    return {
      responseId: r.response_id,
      caseId: r.case_id,
      ts: r.ts,
      surveyId: r.survey_id,
      journey: r.journey,
      touchpoint: r.touchpoint,
      channel: r.channel,
      nps: r.nps,
      csat: r.csat,
      ces: r.ces,
      elements,
      comment: r.comment,
      language: r.language,
      sentiment: r.sentiment,
      sentimentScore: r.sentiment_score,
      themes: r.themes ?? [],
    };
  });
}
