import type { CustomerFile, DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/** The customer's own row, or null when there is none or it is outside the caller's data scope. */
export async function customerRow(
  wh: WarehouseSession,
  customerId: string,
  scope: DataScope,
): Promise<CustomerFile['customer'] | null> {
  const s = scopeSql(scope, 'c', 'customers');
  const [r] = await wh.all<{
    customer_id: string;
    segment: string | null;
    region: string | null;
    created_at: string | null;
    attributes: string | null;
  }>(
    `select customer_id, segment, region, created_at, attributes
     from customers c where c.customer_id = ? and ${s.sql} limit 1`,
    [customerId, ...s.params],
  );
  if (!r) return null;
  return {
    customerId: r.customer_id,
    segment: r.segment,
    region: r.region,
    createdAt: r.created_at,
    attributes: parseObject(r.attributes),
  };
}

export function parseObject(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
