import { inputError } from '@cx/core';

/**
 * Labels of the two store models, looking `horizonMonths` after a cutoff (issue 6 §3).
 *
 * - churn: a `churned = true` outcome row for a month that ENDS within (cutoff, cutoff + horizon] —
 *   a monthly row's churn happens by the end of its month, so with cutoff 2026-01-01 and horizon 3
 *   the label covers churn in January, February and March 2026. Features use only months that end on
 *   or before the cutoff, so no month is on both sides.
 * - cross_sell: the number of products held rises within the horizon: the most products of any
 *   month ending in the window exceeds the products of the last month before the cutoff (or, for a
 *   customer too new to have one, of the window's first month). Outcomes are the canonical record of
 *   products held in any store, unlike demo-specific activity names such as an upgrade "Order placed".
 *
 * The statement uses `$1` (the cutoff, shared with the feature statement it is joined to); the
 * horizon is a validated integer written into the SQL.
 */
export type StoreTarget = 'churn' | 'cross_sell';
export const STORE_TARGETS: readonly StoreTarget[] = ['churn', 'cross_sell'];

export function assertHorizon(horizonMonths: number): void {
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1 || horizonMonths > 24) {
    throw inputError(`must be a whole number of months from 1 to 24, got ${horizonMonths}`, {
      field: 'horizonMonths',
    });
  }
}

export function labelSql(target: StoreTarget, horizonMonths: number): string {
  assertHorizon(horizonMonths);
  const h = horizonMonths;
  const window = `o.period + interval 1 month > cast($1 as date)
                  and o.period + interval 1 month <= cast($1 as date) + interval ${h} month`;
  if (target === 'churn') {
    return `select o.customer_id, max(o.churned::integer) as label
            from outcomes o where ${window} group by o.customer_id`;
  }
  return `select o.customer_id,
                 (max(o.products) > coalesce(any_value(b.products), arg_min(o.products, o.period)))::integer as label
          from outcomes o
          left join (select customer_id, arg_max(products, period) as products from outcomes
                     where period + interval 1 month <= cast($1 as date) group by customer_id) b
            using (customer_id)
          where ${window} group by o.customer_id`;
}

/** Features with their label: customers without an outcome row in the window are negatives. */
export function withLabelSql(featureSql: string, target: StoreTarget, horizonMonths: number): string {
  return `select f.*, coalesce(l.label, 0)::integer as label
          from (${featureSql}) f left join (${labelSql(target, horizonMonths)}) l using (customer_id)
          order by f.customer_id`;
}
