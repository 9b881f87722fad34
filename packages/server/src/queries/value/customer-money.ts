import type { DataScope } from '@cx/core';
import { and, type Period, periodSql, type SqlFragment, scopeSql } from '../scope-sql.ts';

/**
 * One row per customer in scope with outcomes in the period: the customer's NPS group and money.
 * Shared by the money-link queries as a CTE named `cm`, so every figure is computed in the warehouse.
 *
 * - NPS group: from the mean of the customer's NPS answers in the period (≥ 9 promoter, ≥ 7 passive,
 *   else detractor). The mean uses every answer (the last one alone would make a customer's group
 *   depend on which journey they happened to rate last); customers without an answer form the
 *   group `no_answer`, reported separately and never mixed into the three NPS groups.
 * - churned: an outcome row of the period says churned. months: outcome rows in the period, the
 *   customer-months at risk, from which the monthly churn probability of a group is estimated.
 * - revenue, cost, margin: mean per month in the period. products: held in the last month of the
 *   period; products_change: last − first month. Share of wallet = products / 6 available products.
 * - active_at_end: the customer has a row in the last month of the period and has not churned.
 */
export const PRODUCTS_AVAILABLE = 6;

export function customerMoneyCte(scope: DataScope, period: Period): SqlFragment {
  const f = and(scopeSql(scope, 'f', 'feedback'), periodSql(period, 'f', 'ts'));
  const o = and(scopeSql(scope, 'o', 'outcomes'), periodSql(period, 'o', 'period'));
  return {
    sql: `
fa as (
  select f.customer_id, avg(f.nps) as mean_nps, count(*) as answers
  from feedback f
  where f.nps is not null and f.customer_id is not null and ${f.sql}
  group by 1),
oa as (
  select o.customer_id, bool_or(coalesce(o.churned, false)) as churned, count(*) as months,
         avg(o.revenue) as revenue, avg(o.cost_to_serve) as cost,
         avg(o.revenue - o.cost_to_serve) as margin,
         arg_max(o.products, o.period) as products,
         arg_max(o.products, o.period) - arg_min(o.products, o.period) as products_change,
         max(o.period) as last_period
  from outcomes o
  where ${o.sql}
  group by 1),
cm as (
  select oa.*, c.segment, c.region, fa.mean_nps, coalesce(fa.answers, 0) as answers,
         case when fa.mean_nps is null then 'no_answer' when fa.mean_nps >= 9 then 'promoter'
              when fa.mean_nps >= 7 then 'passive' else 'detractor' end as grp,
         (not oa.churned and oa.last_period = (select max(last_period) from oa)) as active_at_end
  from oa left join customers c on c.customer_id = oa.customer_id
  left join fa on fa.customer_id = oa.customer_id)`,
    params: [...f.params, ...o.params],
  };
}
