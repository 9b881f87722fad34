import { byCountThenEdge, type DataScope, type DfgEdge } from '@cx/core';
import { journeySource } from './journey-index.ts';
import type { Db, JourneyOptions } from './options.ts';

/**
 * The directly-follows graph with frequency and performance per edge: a GROUP BY over the steps
 * and their successors, stored in the journey index or computed with `lead()` (journey-index.ts).
 */
export async function directlyFollows(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<DfgEdge[]> {
  const src = await journeySource(db, scope, opts);
  const rows = await db.all<{
    from: string;
    to: string;
    count: number;
    mean: number;
    median: number;
    min: number;
    max: number;
    sum: number;
    stdev: number | null;
  }>(
    `with ${src.ctes}
     select activity as "from", nxt as "to", count(*)::int as count, avg(d) as mean, median(d) as median,
            min(d) as min, max(d) as max, sum(d) as sum, stddev_samp(d) as stdev
     from steps where nxt is not null group by activity, nxt`,
    src.params,
  );
  return rows
    .map((r) => ({
      from: r.from,
      to: r.to,
      count: Number(r.count),
      meanSeconds: r.mean,
      medianSeconds: r.median,
      minSeconds: r.min,
      maxSeconds: r.max,
      sumSeconds: r.sum,
      stdevSeconds: Number(r.count) > 1 ? r.stdev : null,
    }))
    .sort(byCountThenEdge);
}
