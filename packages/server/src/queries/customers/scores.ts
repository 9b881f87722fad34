import type { CustomerFile, CustomerScore } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * The customer's latest churn and cross-sell scores from `customer_scores` (written by the
 * prediction jobs: model_id, target, customer_id, probability, as_of, reasons json, scored_at).
 * That table arrives with its own migration; until it exists, or has no row for the customer,
 * the file says "not scored".
 */
export async function customerScores(
  wh: WarehouseSession,
  customerId: string,
): Promise<CustomerFile['scores']> {
  const none: CustomerFile['scores'] = { status: 'not_scored', churn: null, crossSell: null };
  const [exists] = await wh.all<{ n: number }>(
    "select count(*) as n from information_schema.tables where table_name = 'customer_scores'",
  );
  if (!exists || Number(exists.n) === 0) return none;
  const rows = await wh.all<{
    model_id: string;
    target: string;
    probability: number;
    as_of: string | null;
    scored_at: string | null;
    reasons: string | null;
  }>(
    `select model_id::varchar as model_id, target::varchar as target, probability::double as probability,
            as_of::varchar as as_of, scored_at::varchar as scored_at, reasons::varchar as reasons
     from customer_scores where customer_id = ?
     qualify row_number() over (partition by target order by scored_at desc nulls last) = 1`,
    [customerId],
  );
  const scores: CustomerFile['scores'] = { ...none };
  for (const r of rows) {
    const score: CustomerScore = {
      target: r.target,
      modelId: r.model_id,
      probability: Number(r.probability),
      asOf: r.as_of,
      scoredAt: r.scored_at,
      reasons: parseReasons(r.reasons),
    };
    if (/churn|defect|attrition/i.test(r.target)) scores.churn ??= score;
    else if (/cross|sell|resale|propens|upgrade/i.test(r.target)) scores.crossSell ??= score;
  }
  if (scores.churn || scores.crossSell) scores.status = 'scored';
  return scores;
}

function parseReasons(json: string | null): CustomerScore['reasons'] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
      .map((x) => ({
        feature: String(x.feature ?? ''),
        contribution: Number(x.contribution ?? 0) || 0,
        text: String(x.text ?? x.feature ?? ''),
      }));
  } catch {
    return [];
  }
}
