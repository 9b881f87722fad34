import { byCountThenEdge, type DataScope, type DfgEdge } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions, secondsBetween } from './options.ts';

/**
 * The directly-follows graph with frequency and performance per edge. Successors are found with
 * `lead()` at query time; DESIGN.md §2's precomputed successor columns (filled at load time) will
 * replace the window here for 10M-event speed.
 */
export async function directlyFollows(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<DfgEdge[]> {
  const ev = eventsCte(scope, opts);
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
    `with ev as (${ev.sql}),
     pairs as (
       select activity as a, lead(activity) over w as b, ${secondsBetween('ts', 'lead(ts) over w')} as d
       from ev window w as (partition by case_id order by ts, ord)
     )
     select a as "from", b as "to", count(*)::int as count, avg(d) as mean, median(d) as median,
            min(d) as min, max(d) as max, sum(d) as sum, stddev_samp(d) as stdev
     from pairs where b is not null group by a, b`,
    ev.params,
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
