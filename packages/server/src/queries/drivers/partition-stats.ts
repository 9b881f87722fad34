import type { MetricsNodeFilter, NodeMeasure } from '@cx/core';
import type { SqlValue, WarehouseSession } from '../../warehouse/port.ts';
import { measureSql, nodeFilterSql, type ResponseSlice, responseCtes } from './response-slice.ts';

/**
 * Aggregates for an "impact" link, where the children partition the parent's responses (journeys,
 * touchpoints: each response belongs to one): for the whole slice and for each child, n, Σy and Σy²
 * of the parent measure y, the simple regression of y on the child's own measure x within the child
 * (for what-if), and the child's performance on x. One scan; the rest of the slice is all − child.
 */
export interface PartitionAll {
  n: number;
  sy: number;
  syy: number;
}
export interface PartitionChildStats extends PartitionAll {
  /** Pairs with both y and x present, and the regression sums of y on x. */
  nxy: number;
  slope: number | null;
  sxx: number | null;
  syyXy: number | null;
  sxy: number | null;
  nx: number;
  meanX: number | null;
  xs: number[];
}

export async function partitionStats(
  wh: WarehouseSession,
  slice: ResponseSlice,
  target: NodeMeasure,
  children: { filter: MetricsNodeFilter | undefined; measure: NodeMeasure }[],
): Promise<{ all: PartitionAll; children: PartitionChildStats[] }> {
  const ctes = responseCtes(slice, [target, ...children.map((c) => c.measure)]);
  const params: SqlValue[] = [...ctes.params];
  const y = measureSql(target, 'target');
  const parts = children.map((c, k) => {
    const member = nodeFilterSql(c.filter, 't');
    params.push(...member.params);
    const x = measureSql(c.measure, 'driver');
    // The child's own values travel as a list for its performance figures (mean, top box, target).
    return `select ${k} as k, count(y) as n, coalesce(sum(y), 0) as sy, coalesce(sum(y * y), 0) as syy,
        regr_count(y, x) as nxy, regr_slope(y, x) as slope, regr_sxx(y, x) as sxx,
        regr_syy(y, x) as "syyXy", regr_sxy(y, x) as sxy, count(x) as nx, avg(x) as "meanX",
        list(x) filter (where x is not null) as xs
      from (select ${y} as y, ${x} as x, r.* from r${ctes.joins}) t
      where ${member.sql}`;
  });
  const sql = `${ctes.sql},
  t_all as (select ${y} as y from r${ctes.joins})
  select -1 as k, count(y) as n, coalesce(sum(y), 0) as sy, coalesce(sum(y * y), 0) as syy,
    0 as nxy, null as slope, null as sxx, null as "syyXy", null as sxy, 0 as nx, null as "meanX", [] as xs
  from t_all
  ${parts.map((p) => `union all ${p}`).join('\n')}`;
  const rows = await wh.all<PartitionChildStats & { k: number }>(sql, params);
  const byK = new Map(rows.map((r) => [Number(r.k), r]));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const norm = (r: (PartitionChildStats & { k: number }) | undefined): PartitionChildStats => ({
    n: Number(r?.n ?? 0),
    sy: Number(r?.sy ?? 0),
    syy: Number(r?.syy ?? 0),
    nxy: Number(r?.nxy ?? 0),
    slope: num(r?.slope),
    sxx: num(r?.sxx),
    syyXy: num(r?.syyXy),
    sxy: num(r?.sxy),
    nx: Number(r?.nx ?? 0),
    meanX: num(r?.meanX),
    xs: (r?.xs ?? []).map(Number),
  });
  const all = norm(byK.get(-1));
  return { all: { n: all.n, sy: all.sy, syy: all.syy }, children: children.map((_, k) => norm(byK.get(k))) };
}
