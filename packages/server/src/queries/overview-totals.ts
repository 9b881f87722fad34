import type { DataScope } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';
import { type Themes, themedCustomersSql } from './overview-themes.ts';
import { and, type Period, periodSql, scopeSql } from './scope-sql.ts';

export interface OverviewTotals {
  customers: number;
  activeCustomers: number;
  events: number;
  cases: number;
}

/**
 * Volumes for the Overview. `customers` counts everyone known at the end of the period — rows of the
 * customers table plus ids seen only in events (an XES import has no customers table) — while
 * `activeCustomers` counts those with an event in the period. With `themes`, only the customers who
 * gave a response with one of them (in scope and period) count, and only their events and cases.
 */
export async function overviewTotals(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  themes: Themes = [],
): Promise<OverviewTotals> {
  const ev = and(
    scopeSql(scope, 'e', 'events'),
    periodSql(period, 'e'),
    themedCustomersSql(scope, period, themes, 'e'),
  );
  const cu = and(scopeSql(scope, 'c', 'customers'), themedCustomersSql(scope, period, themes, 'c'));
  const created = period.to
    ? {
        sql: 'c.created_at is null or c.created_at < (cast(? as date) + 1)::timestamptz',
        params: [period.to],
      }
    : { sql: 'true', params: [] };
  const [row] = await wh.all<{ events: number; cases: number; active_customers: number; customers: number }>(
    `with ev as (select e.customer_id, e.case_id from events e where ${ev.sql})
     select (select count(*) from ev) as events,
            (select count(distinct case_id) from ev) as cases,
            (select count(distinct customer_id) from ev) as active_customers,
            (select count(*) from (
               select c.customer_id from customers c where (${cu.sql}) and (${created.sql})
               union
               select customer_id from ev where customer_id is not null)) as customers`,
    [...ev.params, ...cu.params, ...created.params],
  );
  return {
    customers: Number(row!.customers),
    activeCustomers: Number(row!.active_customers),
    events: Number(row!.events),
    cases: Number(row!.cases),
  };
}
