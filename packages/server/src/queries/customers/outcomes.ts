import type { CustomerOutcome, DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/** Revenue, cost to serve, products and churn per month, oldest first. */
export async function customerOutcomes(
  wh: WarehouseSession,
  customerId: string,
  scope: DataScope,
): Promise<CustomerOutcome[]> {
  const s = scopeSql(scope, 'o', 'outcomes');
  const rows = await wh.all<{
    period: string;
    revenue: number | null;
    cost_to_serve: number | null;
    products: number | null;
    churned: boolean | null;
  }>(
    `select period::varchar as period, revenue, cost_to_serve, products, churned
     from outcomes o where o.customer_id = ? and ${s.sql} order by period`,
    [customerId, ...s.params],
  );
  const round = (x: number | null) => (x === null ? null : Math.round(Number(x) * 100) / 100);
  return rows.map((r) => ({
    period: r.period,
    revenue: round(r.revenue),
    costToServe: round(r.cost_to_serve),
    products: r.products === null ? null : Number(r.products),
    churned: r.churned === true,
  }));
}
