import type { CustomerHit, CustomerSearch, DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { and, type SqlFragment, scopeSql } from '../scope-sql.ts';

/**
 * Customer search: by the customer id or any external id (identities: CRM, billing, web cookie …),
 * exact or as a prefix, case-blind; and/or by segment and region. Exact matches come first, then by
 * customer id. The latest month's products and revenue are looked up for the returned page only.
 * The prefix test is ILIKE 'q%' where q has no wildcards: measured ~10× faster than
 * starts_with(lower(x), lower(?)) on the 20k demo's 97k identities (and faster than ILIKE … ESCAPE).
 */
export interface CustomerSearchOptions {
  q?: string | undefined;
  segment?: string | undefined;
  region?: string | undefined;
  limit: number;
  offset: number;
}

interface HitRow {
  customer_id: string;
  segment: string | null;
  region: string | null;
  created_at: string | null;
  matched_by: string | null;
  products: number | null;
  revenue: number | null;
  churned: boolean | null;
  total: number;
}

export async function searchCustomers(
  wh: WarehouseSession,
  o: CustomerSearchOptions,
  scope: DataScope,
): Promise<CustomerSearch> {
  const q = o.q?.trim() ?? '';
  // Case-blind prefix test. ILIKE 'abc%' is DuckDB's fast path; a query with LIKE wildcards of its
  // own (% _ \) takes starts_with(lower()), which matches them literally.
  const literal = /[\\%_]/.test(q);
  const prefixOf = (col: string) => (literal ? `starts_with(lower(${col}), lower(?))` : `${col} ilike ?`);
  const prefix = literal ? q : `${q}%`;
  const filters: SqlFragment[] = [scopeSql(scope, 'c', 'customers')];
  if (o.segment) filters.push({ sql: 'c.segment = ?', params: [o.segment] });
  if (o.region) filters.push({ sql: 'c.region = ?', params: [o.region] });
  const where = and(...filters);
  // rank 0: the customer id itself, 1: an external id; exact before prefix.
  const matches = q
    ? {
        sql: `m as materialized (
          select customer_id, arg_min(matched_by, rank) as matched_by, min(rank) as rank from (
            select customer_id, null::varchar as matched_by,
                   case when lower(customer_id) = lower(?) then 0 else 2 end as rank
            from customers where ${prefixOf('customer_id')}
            union all
            select customer_id, source || ': ' || external_id,
                   case when lower(external_id) = lower(?) then 1 else 3 end
            from identities where ${prefixOf('external_id')}
          ) group by customer_id),`,
        params: [q, prefix, q, prefix],
      }
    : { sql: '', params: [] };
  const rows = await wh.all<HitRow>(
    `with ${matches.sql} page as materialized (
       select c.customer_id, c.segment, c.region, c.created_at, ${q ? 'm.matched_by' : 'null::varchar as matched_by'},
              count(*) over () as total, ${q ? 'm.rank' : '0 as rank'}
       from customers c ${q ? 'join m on m.customer_id = c.customer_id' : ''}
       where ${where.sql}
       order by rank, c.customer_id
       limit ? offset ?
     ),
     latest as (
       select customer_id, arg_max(products, period) as products, arg_max(revenue, period) as revenue,
              bool_or(churned) as churned
       from outcomes where customer_id in (select customer_id from page) group by customer_id
     )
     select page.*, latest.products, latest.revenue, latest.churned
     from page left join latest using (customer_id)
     order by rank, customer_id`,
    [...matches.params, ...where.params, o.limit, o.offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && o.offset > 0) {
    // Past the last page: the window count is not available, count separately.
    const [n] = await wh.all<{ n: number }>(
      `${q ? `with ${matches.sql.replace(/,$/, '')} ` : ''}select count(*) as n from customers c ${q ? 'join m on m.customer_id = c.customer_id' : ''} where ${where.sql}`,
      [...matches.params, ...where.params],
    );
    total = Number(n?.n ?? 0);
  }
  return {
    total: Number(total),
    limit: o.limit,
    offset: o.offset,
    customers: rows.map(
      (r): CustomerHit => ({
        customerId: r.customer_id,
        segment: r.segment,
        region: r.region,
        createdAt: r.created_at,
        matchedBy: r.matched_by,
        products: r.products === null ? null : Number(r.products),
        revenue: r.revenue === null ? null : Math.round(Number(r.revenue) * 100) / 100,
        churned: r.churned === true,
      }),
    ),
  };
}
