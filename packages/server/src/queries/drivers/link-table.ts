import type { NodeMeasure } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { measureSql, type ResponseSlice, responseCtes } from './response-slice.ts';

/**
 * The response-level table of one link of the metrics tree: one row per survey response in the
 * parent's slice, with the parent's measure and each child's measure (NaN where missing). The
 * driver statistics then run on these columns (relative weights, bootstrap, OLS).
 */
export interface LinkTable {
  n: number;
  target: Float64Array;
  drivers: Float64Array[];
}

export async function linkTable(
  wh: WarehouseSession,
  slice: ResponseSlice,
  target: NodeMeasure,
  drivers: NodeMeasure[],
): Promise<LinkTable> {
  const ctes = responseCtes(slice, [target, ...drivers]);
  // One list per column keeps the result to a handful of values instead of one object per response.
  const cols = [measureSql(target, 'target'), ...drivers.map((d) => measureSql(d, 'driver'))];
  const rows = await wh.all<Record<string, number[] | null>>(
    `${ctes.sql}
    select ${cols.map((c, i) => `list(coalesce((${c})::double, 'NaN'::double) order by r.response_id) as c${i}`).join(', ')}
    from r${ctes.joins}`,
    ctes.params,
  );
  const row = rows[0] ?? {};
  const col = (i: number) => Float64Array.from(row[`c${i}`] ?? []);
  const t = col(0);
  return { n: t.length, target: t, drivers: drivers.map((_, j) => col(j + 1)) };
}
