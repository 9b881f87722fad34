import type { CustomerScores, PredictionReason, StorePredictionTarget } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * One customer's current scores with reasons and rank (for the Customer 360 page): rank 1 is the
 * highest probability among the scored customers of that target.
 */
export async function customerScores(wh: WarehouseSession, customerId: string): Promise<CustomerScores> {
  const rows = await wh.all<{
    target: StorePredictionTarget;
    model_id: string;
    probability: number;
    as_of: string;
    scored_at: string;
    reasons: string | null;
    rank: number;
    of: number;
  }>(
    `select s.target, s.model_id, s.probability, s.as_of::varchar as as_of, s.scored_at, s.reasons,
            (select count(*) from customer_scores o where o.target = s.target and o.probability > s.probability) + 1 as rank,
            (select count(*) from customer_scores o where o.target = s.target) as of
     from customer_scores s where s.customer_id = $1 order by s.target`,
    [customerId],
  );
  return {
    customerId,
    scores: rows.map((r) => ({
      target: r.target,
      modelId: r.model_id,
      probability: r.probability,
      asOf: r.as_of,
      scoredAt: r.scored_at,
      rank: Number(r.rank),
      of: Number(r.of),
      reasons: r.reasons ? (JSON.parse(r.reasons) as PredictionReason[]) : [],
    })),
  };
}
