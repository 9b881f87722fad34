import type { AtRisk, DataScope, PredictionReason } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/**
 * The customers to call today (issue 6 §3): the top N of the current churn scores by revenue at risk
 * (P(churn) × last monthly revenue × 12), within the caller's data scope, with their reasons, segment
 * and last assisted contact. Sorting and the limit run in the database; the last contact is looked
 * up for those N customers only.
 */
export async function atRiskCustomers(
  wh: WarehouseSession,
  limit: number,
  scope: DataScope,
): Promise<AtRisk> {
  const where = scopeSql(scope, 'c', 'customers');
  const n = Math.max(1, Math.min(1000, Math.trunc(limit)));
  const rows = await wh.all<{
    customer_id: string;
    segment: string | null;
    region: string | null;
    probability: number;
    value: number;
    at_risk: number;
    last_contact: string | null;
    reasons: string | null;
    as_of: string;
    model_id: string;
  }>(
    `with top as (
       select s.customer_id, c.segment, c.region, s.probability, s.reasons, s.as_of, s.model_id,
              coalesce(v.value, 0) as value, s.probability * coalesce(v.value, 0) as at_risk
       from customer_scores s
       join customers c using (customer_id)
       left join (select customer_id, arg_max(revenue, period) * 12 as value from outcomes group by customer_id) v
         using (customer_id)
       where s.target = 'churn' and ${where.sql}
       order by at_risk desc, s.customer_id limit ${n})
     select top.* exclude (as_of), top.as_of::varchar as as_of,
            (select max(e.ts) from events e where e.customer_id = top.customer_id
               and (e.properties->>'wait_seconds') is not null and e.ts < top.as_of) as last_contact
     from top order by at_risk desc, customer_id`,
    where.params,
  );
  return {
    asOf: rows[0]?.as_of ?? null,
    modelId: rows[0]?.model_id ?? null,
    rows: rows.map((r) => ({
      customerId: r.customer_id,
      segment: r.segment,
      region: r.region,
      probability: r.probability,
      value: r.value,
      revenueAtRisk: r.at_risk,
      lastContact: r.last_contact,
      reasons: r.reasons ? (JSON.parse(r.reasons) as PredictionReason[]) : [],
    })),
  };
}
