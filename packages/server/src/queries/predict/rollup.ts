import {
  type DataScope,
  inputError,
  type Rollup,
  type RollupDimension,
  STORE_PREDICTION_TARGETS,
  type StorePredictionTarget,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/**
 * Management roll-up of the current scores of one target (issue 6 §3), by segment, region or journey
 * (the customer's most recent non-campaign journey), in one SQL statement over customer_scores,
 * customers and outcomes:
 *
 * - expected = Σ p (expected churners, or buyers, within the model's horizon); rate = expected ÷ n;
 * - value of a customer = last known monthly revenue × 12 (annual revenue; a CLV from the value
 *   queries can replace it once it exists — documented in docs/decisions.md);
 * - churn: revenue at risk = Σ P(churn) × value (DESIGN.md §4);
 * - cross_sell: potential = Σ P(buy) × the average monthly revenue a further product adds × 12, where
 *   that average is measured in the store: the mean revenue change of the customer's segment in the
 *   months whose product count rose by exactly one.
 *
 * By owner: the owner of the customer's most recent journey, from the journey → owner pairs the
 * caller passes (the metrics tree names journey owners); journeys without an owner group as "(none)".
 */
export const ROLLUP_METHOD =
  'expected = Σ p; value = last monthly revenue × 12; churn: revenue at risk = Σ p × value; cross_sell: potential = Σ p × 12 × mean revenue added by one more product in the segment';

const GROUP: Record<RollupDimension, string> = {
  segment: 'c.segment',
  region: 'c.region',
  journey: 'lj.journey',
  owner: 'jo.owner',
};

export async function predictionRollup(
  wh: WarehouseSession,
  target: StorePredictionTarget,
  by: RollupDimension,
  scope: DataScope,
  owners: readonly { journey: string; owner: string }[] = [],
): Promise<Rollup> {
  // target and by are written into the SQL: only values from the closed sets pass.
  if (!STORE_PREDICTION_TARGETS.includes(target))
    throw inputError(`unknown target "${target}"`, { field: 'target' });
  if (!(by in GROUP)) throw inputError(`unknown dimension "${by}"`, { field: 'by' });
  const where = scopeSql(scope, 'c', 'customers');
  // Scope parameters use `?`; everything else is a literal chosen from closed sets above.
  const needJourney = by === 'journey' || by === 'owner';
  // The owner pairs are a VALUES list of parameters placed before the scope's (SQL text order).
  const ownerRows = by === 'owner' && owners.length > 0 ? owners.map(() => '(?, ?)').join(', ') : null;
  const ownerParams = ownerRows ? owners.flatMap((o) => [o.journey, o.owner]) : [];
  const rows = await wh.all<{
    grp: string | null;
    customers: number;
    expected: number;
    value: number;
    at_risk: number;
    as_of: string | null;
    model_id: string | null;
  }>(
    `with s as (select customer_id, probability, as_of, model_id from customer_scores where target = '${target}'),
     v as (select customer_id, arg_max(revenue, period) * 12 as value from outcomes
           where customer_id in (select customer_id from s) group by customer_id),
     ${
       target === 'cross_sell'
         ? `up as (select c2.segment, avg(d_rev) as uplift from (
                     select customer_id, revenue - lag(revenue) over w as d_rev, products - lag(products) over w as d_prod
                     from outcomes window w as (partition by customer_id order by period)) x
                   join customers c2 using (customer_id) where d_prod = 1 group by c2.segment),`
         : ''
     }
     ${
       needJourney
         ? `lj as (select customer_id, arg_max(journey, ts) as journey from events
                   where journey is not null and (properties->>'campaign_id') is null
                     and customer_id in (select customer_id from s) group by customer_id),`
         : ''
     }
     ${
       by === 'owner'
         ? `jo as (${ownerRows ? `select * from (values ${ownerRows}) t(journey, owner)` : 'select null::varchar as journey, null::varchar as owner where false'}),`
         : ''
     }
     j as (
       select ${GROUP[by]} as grp, s.probability as p, coalesce(v.value, 0) as value,
              ${target === 'cross_sell' ? 's.probability * 12 * greatest(coalesce(up.uplift, 0), 0)' : 's.probability * coalesce(v.value, 0)'} as risk,
              s.as_of, s.model_id
       from s join customers c using (customer_id)
       left join v using (customer_id)
       ${target === 'cross_sell' ? 'left join up on up.segment = c.segment' : ''}
       ${needJourney ? 'left join lj using (customer_id)' : ''}
       ${by === 'owner' ? 'left join jo on jo.journey = lj.journey' : ''}
       where ${where.sql}
     )
     select grp, count(*) as customers, sum(p) as expected, sum(value) as value, sum(risk) as at_risk,
            max(as_of)::varchar as as_of, max(model_id) as model_id
     from j group by grouping sets ((grp), ()) order by grouping(grp) desc, at_risk desc nulls last, grp`,
    [...ownerParams, ...where.params],
  );
  const toRow = (r: (typeof rows)[number]) => ({
    group: r.grp ?? '(none)',
    customers: Number(r.customers),
    expected: r.expected ?? 0,
    rate: Number(r.customers) ? (r.expected ?? 0) / Number(r.customers) : 0,
    value: r.value ?? 0,
    atRisk: r.at_risk ?? 0,
  });
  const [total, ...groups] = rows;
  const model = total?.model_id
    ? (
        await wh.all<{ horizon_months: number }>(
          'select horizon_months from prediction_models where model_id = $1',
          [total.model_id],
        )
      )[0]
    : undefined;
  return {
    target,
    by,
    asOf: total?.as_of ?? null,
    horizonMonths: model?.horizon_months ?? null,
    modelId: total?.model_id ?? null,
    total: total
      ? { ...toRow(total), group: 'All' }
      : { group: 'All', customers: 0, expected: 0, rate: 0, value: 0, atRisk: 0 },
    rows: groups.map(toRow),
    method: ROLLUP_METHOD,
  };
}
