import type { DataScope, RevenueAtRisk } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import type { Period } from '../scope-sql.ts';
import { customerMoneyCte } from './customer-money.ts';
import { npsGroupMoney } from './nps-groups.ts';

export type RiskValue = 'annual_revenue' | 'clv';

/**
 * Revenue at risk = Σ P(churn) × value over the customers still active at the end of the period
 * (DESIGN.md §4), in total, by segment and by NPS group, with the customers that carry most of it.
 *
 * P(churn) over 12 months: the customer's latest churn score in `customer_scores` when that table
 * holds churn scores — the model predicts over its horizon of H months, so its probability p is put
 * on the same 12-month footing as 1 − (1 − p)^(12/H) (a constant hazard within the year); otherwise —
 * and for customers the model did not score — the customer's NPS group's observed monthly churn
 * probability turned into a 12-month one, 1 − (1 − h)¹². The response names the source used.
 * Value: 12 × the customer's mean monthly revenue in the period (one year of revenue; the default),
 * or the customer's CLV (monthly margin × the group's Gupta–Lehmann multiple).
 */
export async function revenueAtRisk(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  options: { value?: RiskValue; annualDiscount?: number; top?: number } = {},
): Promise<RevenueAtRisk> {
  const value = options.value ?? 'annual_revenue';
  const top = options.top ?? 20;
  const groups = await npsGroupMoney(wh, scope, period, options);
  const model = await churnModel(wh);

  const rates: (string | number)[][] = groups.groups.map((g) => [
    g.group,
    g.churn12Months ?? 0,
    g.clv !== null && g.margin ? g.clv / g.margin : 0,
  ]);
  if (!rates.length) rates.push(['none', 0, 0]);
  const cte = customerMoneyCte(scope, period);
  const scored = model
    ? `ps as (select customer_id, 1 - pow(1 - arg_max(s.probability, s.scored_at), 12.0 / arg_max(m.horizon_months, s.scored_at)) as p
              from customer_scores s join prediction_models m using (model_id)
              where s.target = 'churn' group by 1)`
    : `ps as (select null::varchar as customer_id, null::double as p where false)`;
  const base = `with ${cte.sql},
    g(grp, p12, multiple) as (values ${rates.map(() => '(?, ?::double, ?::double)').join(', ')}),
    ${scored},
    r as (
      select cm.customer_id, cm.segment, cm.grp, cm.revenue, cm.margin,
             coalesce(ps.p, g.p12) as p, ps.p is not null as from_model,
             case when ? = 'clv' then cm.margin * g.multiple else 12 * cm.revenue end as value
      from cm join g on g.grp = cm.grp left join ps on ps.customer_id = cm.customer_id
      where cm.active_at_end)`;
  const params = [...cte.params, ...rates.flat(), value];
  const agg = `count(*) as customers, sum(p * value) as at_risk, sum(value) as value, avg(p) as mean_p`;
  const [totals, bySegment, byGroup, customers] = await Promise.all([
    wh.all<Agg & { scored: number }>(
      `${base} select ${agg}, count(*) filter (where from_model) as scored from r`,
      params,
    ),
    wh.all<Agg & { key: string | null }>(
      `${base} select segment as key, ${agg} from r group by 1 order by at_risk desc`,
      params,
    ),
    wh.all<Agg & { key: string }>(
      `${base} select grp as key, ${agg} from r group by 1 order by at_risk desc`,
      params,
    ),
    wh.all<{
      customer_id: string;
      segment: string | null;
      grp: string;
      p: number;
      value: number;
      from_model: boolean;
    }>(
      `${base} select customer_id, segment, grp, p, value, from_model from r
       order by p * value desc, customer_id limit ?`,
      [...params, top],
    ),
  ]);
  const t = totals[0];
  const row = (a: Agg) => ({
    customers: a.customers,
    revenueAtRisk: a.at_risk ?? 0,
    value: a.value ?? 0,
    meanProbability: a.mean_p,
  });
  return {
    period: groups.period,
    value,
    probabilitySource: model && (t?.scored ?? 0) > 0 ? 'model' : 'nps_group_rate',
    model: model && (t?.scored ?? 0) > 0 ? { ...model, customersScored: t?.scored ?? 0 } : null,
    total: row(t ?? { customers: 0, at_risk: 0, value: 0, mean_p: null }),
    bySegment: bySegment.map((s) => ({ key: s.key ?? '(none)', ...row(s) })),
    byGroup: byGroup.map((s) => ({ key: s.key, ...row(s) })),
    customers: customers.map((c) => ({
      customerId: c.customer_id,
      segment: c.segment,
      group: c.grp,
      probability: c.p,
      value: c.value,
      revenueAtRisk: c.p * c.value,
      source: c.from_model ? 'model' : 'nps_group_rate',
    })),
    method: {
      probability:
        'P(churn) within 12 months: the latest churn score p per customer from customer_scores, over the model’s horizon of H months, as 1 − (1 − p)^(12/H); without one, the NPS group’s monthly churn probability h as 1 − (1 − h)¹²',
      value:
        value === 'clv'
          ? 'CLV: monthly margin × r / (1 + i − r) with the group’s retention r (Gupta & Lehmann 2003)'
          : '12 × mean monthly revenue in the period',
      population: 'customers active at the end of the period (a row in its last month, not churned)',
    },
  };
}

interface Agg {
  customers: number;
  at_risk: number | null;
  value: number | null;
  mean_p: number | null;
}

/** The churn scores' model, when the table exists (warehouse migration v4) and holds churn scores. */
async function churnModel(wh: WarehouseSession): Promise<{ modelId: string; asOf: string | null } | null> {
  const [t] = await wh.all<{ n: number }>(
    `select count(*) as n from information_schema.tables where table_name = 'customer_scores'`,
  );
  if (!t?.n) return null;
  const [m] = await wh.all<{ model_id: string; as_of: string | null }>(
    `select model_id, max(as_of)::varchar as as_of from customer_scores where target = 'churn'
     group by 1 order by max(scored_at) desc limit 1`,
  );
  return m ? { modelId: m.model_id, asOf: m.as_of } : null;
}
