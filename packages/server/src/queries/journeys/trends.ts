import { type DataScope, type TrendsOptions, TrendsOptionsSchema, type TrendsResult } from '@cx/core';
import { marks } from '../sql-marks.ts';
import { parseWith } from './filter-sql.ts';
import { type Db, eventsCte, int, type JourneyOptions, pick, secondsBetween } from './options.ts';

export type TrendsQueryOptions = JourneyOptions & TrendsOptions;

const GRAIN = { week: 'week', month: 'month' } as const;

/**
 * Trends of the discovery metrics per ISO week or calendar month (UTC) of case start (issue 4 §1), in
 * one SQL query: cases started, their events, median case duration (last − first event), rework share
 * (cases repeating an activity), self-service share (cases without an assisted-channel event) and
 * channel switches — each with the definitions of rework.ts, self-service.ts and channel-mix.ts. A
 * case belongs wholly to the period it started in.
 */
export async function trends(db: Db, scope: DataScope, opts: TrendsQueryOptions = {}): Promise<TrendsResult> {
  const o = parseWith(TrendsOptionsSchema, pick(opts, ['grain', 'assistedChannels']));
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{
    period: string;
    cases: unknown;
    events: unknown;
    med: number | null;
    rework: number | null;
    self: number | null;
    switches: unknown;
    cws: unknown;
  }>(
    `with ev as (${ev.sql}),
     cs as (
       select case_id, min(ts) as t0, ${secondsBetween('min(ts)', 'max(ts)')} as dur, count(*) as n,
              coalesce(bool_or(channel in (${marks(o.assistedChannels.length)})), false) as assisted
       from ev group by case_id
     ),
     rep as (
       select case_id, max(k) > 1 as rework from (select case_id, count(*) as k from ev group by case_id, activity)
       group by case_id
     ),
     sw as (
       select case_id, count(*) filter (where b is not null and a <> b) as k
       from (select case_id, channel as a, lead(channel) over (partition by case_id order by ts, ord) as b
             from ev where channel is not null)
       group by case_id
     )
     select strftime(date_trunc('${GRAIN[o.grain]}', cs.t0 at time zone 'UTC'), '%Y-%m-%d') as period,
            count(*) as cases, sum(cs.n) as events, median(cs.dur) as med,
            avg(case when rep.rework then 1.0 else 0.0 end) as rework,
            avg(case when cs.assisted then 0.0 else 1.0 end) as self,
            sum(coalesce(sw.k, 0)) as switches, count(*) filter (where sw.k > 0) as cws
     from cs join rep using (case_id) left join sw using (case_id)
     group by period order by period`,
    [...ev.params, ...o.assistedChannels],
  );
  return {
    grain: o.grain,
    assistedChannels: o.assistedChannels,
    periods: rows.map((r) => ({
      period: r.period,
      cases: int(r.cases),
      events: int(r.events),
      medianCaseSeconds: r.med,
      reworkShare: r.rework,
      selfServiceShare: r.self,
      switches: int(r.switches),
      casesWithSwitch: int(r.cws),
    })),
  };
}
