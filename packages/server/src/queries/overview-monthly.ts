import type { DataScope } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';
import {
  SCORE_AGGREGATES_SQL,
  type ScoreAggregates,
  type ScoreSummary,
  summariseScores,
} from './overview-scores.ts';
import { type Themes, themedCustomersSql, themedResponsesSql } from './overview-themes.ts';
import { and, type Period, periodSql, scopeSql } from './scope-sql.ts';

export interface MonthlyScores extends ScoreSummary {
  month: string;
  events: number;
}

/**
 * NPS, CSAT, CES and event volume per calendar month (UTC), for the trend chart; with `themes`, the
 * scores of the themed responses and the events of the customers who gave one (overview-themes.ts).
 */
export async function overviewMonthly(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  themes: Themes = [],
): Promise<MonthlyScores[]> {
  const fb = and(scopeSql(scope, 'f', 'feedback'), periodSql(period, 'f'), themedResponsesSql(themes, 'f'));
  const ev = and(
    scopeSql(scope, 'e', 'events'),
    periodSql(period, 'e'),
    themedCustomersSql(scope, period, themes, 'e'),
  );
  // Group by date_trunc on the raw instant (months are UTC because the warehouse session's TimeZone
  // is UTC) and format only the few group keys: formatting every row first costs ~4× more.
  const rows = await wh.all<ScoreAggregates & { month: string; events: number | null }>(
    `with fb as (
       select date_trunc('month', f.ts) as m, ${SCORE_AGGREGATES_SQL}
       from feedback f where f.ts is not null and ${fb.sql} group by 1),
     ev as (
       select date_trunc('month', e.ts) as m, count(*) as events
       from events e where ${ev.sql} group by 1)
     select strftime(coalesce(fb.m, ev.m) at time zone 'UTC', '%Y-%m') as month, coalesce(ev.events, 0) as events,
            coalesce(fb.promoters, 0) as promoters, coalesce(fb.passives, 0) as passives,
            coalesce(fb.detractors, 0) as detractors, coalesce(fb.csat_n, 0) as csat_n,
            coalesce(fb.csat_top2, 0) as csat_top2, coalesce(fb.ces_n, 0) as ces_n,
            fb.ces_mean, fb.ces_sd
     from fb full outer join ev on fb.m = ev.m
     order by 1`,
    [...fb.params, ...ev.params],
  );
  return rows.map((r) => ({ month: r.month, events: Number(r.events), ...summariseScores(r) }));
}
