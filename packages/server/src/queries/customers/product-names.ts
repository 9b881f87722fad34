import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * Product names on record, in the order the customer got them: `attributes.products_at_start`,
 * then the `properties.product` of their orders. The count held comes from outcomes; the summary
 * shows these names only when both agree (products can be dropped without an event).
 */
export async function customerProductNames(
  wh: WarehouseSession,
  customerId: string,
  attributes: Record<string, unknown> | null,
): Promise<string[]> {
  const start = Array.isArray(attributes?.products_at_start)
    ? (attributes.products_at_start as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
  const rows = await wh.all<{ product: string }>(
    `select product from (
       select json_extract_string(properties, '$.product') as product, min(ts) as first
       from events where customer_id = ? and json_extract_string(properties, '$.product') is not null
       group by 1
     ) order by first, product`,
    [customerId],
  );
  return [...new Set([...start, ...rows.map((r) => r.product)])];
}
