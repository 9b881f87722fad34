import {
  byCountThenEdge,
  byCountThenName,
  type DataScope,
  type DfgEdge,
  type JourneyMap,
  type NameCount,
} from '@cx/core';
import { journeySource } from './journey-index.ts';
import { type Db, type JourneyOptions, secondsBetween } from './options.ts';

/**
 * Everything the process-map page needs, in one round trip over the journey source (the stored
 * journey index when it can answer, else the windowed events — journey-index.ts): counts, variants,
 * activities, start and end activities, the DFG with edge times and case durations. Numbers equal
 * those of the single queries in discover.ts.
 *
 * With `maxActivities`, the map is drawn on the k most frequent activities (Disco's activity slider):
 * the other activities' steps are removed before successors are found, so the kept activities
 * connect through the hidden ones instead of floating unconnected. Counts, variants, the activity
 * list and durations stay those of all steps.
 */
export async function journeyMap(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
  view: { maxActivities?: number | undefined } = {},
): Promise<JourneyMap> {
  const src = await journeySource(db, scope, opts);
  const project = view.maxActivities !== undefined;
  // The map on the top activities: a kept step's successor is its stored successor when that is
  // kept too (most steps); otherwise the first kept step after it in the case, found by a hash join
  // on the case and the smallest later position — no window sort over every kept step.
  const shown = project
    ? `, top as (select activity from acts order by n desc, activity limit ?::bigint),
       kept as materialized (
         select ck, activity, ts, rn, nxt, d, coalesce(nxt in (select activity from top), false) as nxt_kept
         from steps where activity in (select activity from top)
       ),
       skip as (
         select k.ck, k.rn, arg_min(s.activity, s.rn) as nxt, arg_min(s.ts, s.rn) as nxt_ts
         from kept k join kept s on s.ck = k.ck and s.rn > k.rn
         where k.nxt is not null and not k.nxt_kept group by k.ck, k.rn
       ),
       shown as materialized (
         select k.activity, if(k.nxt_kept, k.nxt, sk.nxt) as nxt,
                if(k.nxt_kept, k.d, ${secondsBetween('k.ts', 'sk.nxt_ts')}) as d
         from kept k left join skip sk on sk.ck = k.ck and sk.rn = k.rn
       ),
       shown_starts as (select arg_min(activity, rn) as activity from kept group by ck)`
    : '';
  const mapOf = project ? 'shown' : 'steps';
  const startsOf = project ? 'shown_starts' : 'steps where rn = 1';
  const [r] = await db.all<{
    events: number;
    cases: number;
    variants: number;
    activities: NameCount[] | null;
    starts: NameCount[] | null;
    ends: NameCount[] | null;
    dfg: {
      from: string;
      to: string;
      count: number;
      mean: number;
      median: number;
      min: number;
      max: number;
      sum: number;
      stdev: number | null;
    }[];
    durations: JourneyMap['caseDurations'];
  }>(
    `with ${src.ctes},
       acts as (select activity, count(*)::int as n from steps group by activity)${shown}
     select
       (select coalesce(sum(events), 0) from cases)::bigint as events,
       (select count(*) from cases)::bigint as cases,
       (select count(distinct fp) from cases)::bigint as variants,
       (select list({'name': activity, 'count': n}) from
          (select activity, n from acts)) as activities,
       (select list({'name': activity, 'count': n}) from
          (select activity, count(*)::int as n from ${startsOf} group by activity)) as starts,
       (select list({'name': activity, 'count': n}) from
          (select activity, count(*)::int as n from ${mapOf} where nxt is null group by activity)) as ends,
       (select list({'from': a, 'to': b, 'count': n, 'mean': mean, 'median': med, 'min': mn, 'max': mx,
                     'sum': total, 'stdev': sd}) from
          (select activity as a, nxt as b, count(*)::int as n, avg(d) as mean, median(d) as med, min(d) as mn,
                  max(d) as mx, sum(d) as total, stddev_samp(d) as sd
           from ${mapOf} where nxt is not null group by activity, nxt)) as dfg,
       (select {'mean': avg(dur), 'median': median(dur), 'min': min(dur), 'max': max(dur)} from cases) as durations`,
    project ? [...src.params, String(view.maxActivities)] : src.params,
  );
  const row = r!;
  const counts = (list: NameCount[] | null) =>
    (list ?? []).map((x) => ({ name: x.name, count: Number(x.count) })).sort(byCountThenName);
  const dfg: DfgEdge[] = (row.dfg ?? [])
    .map((e) => ({
      from: e.from,
      to: e.to,
      count: Number(e.count),
      meanSeconds: e.mean,
      medianSeconds: e.median,
      minSeconds: e.min,
      maxSeconds: e.max,
      sumSeconds: e.sum,
      stdevSeconds: Number(e.count) > 1 ? e.stdev : null,
    }))
    .sort(byCountThenEdge);
  return {
    events: Number(row.events),
    cases: Number(row.cases),
    variants: Number(row.variants),
    activities: counts(row.activities),
    startActivities: counts(row.starts),
    endActivities: counts(row.ends),
    dfg,
    caseDurations: row.durations,
  };
}
