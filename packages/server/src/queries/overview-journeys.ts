import { type DataScope, type NpsResult, npsFromCounts } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';
import { type Themes, themedCustomersSql, themedResponsesSql } from './overview-themes.ts';
import { and, type Period, periodSql, scopeSql } from './scope-sql.ts';

export interface JourneyVolume {
  journey: string;
  cases: number;
  customers: number;
  events: number;
  nps: NpsResult;
}

/**
 * The journeys with the most cases (journey instances) in the scope and period, with their distinct
 * customers, events, and the NPS of feedback given about that journey; with `themes`, the cases of
 * the customers who gave a themed response and the NPS of the themed responses (overview-themes.ts).
 */
export async function overviewJourneys(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  themes: Themes = [],
  limit = 10,
): Promise<JourneyVolume[]> {
  const ev = and(
    scopeSql(scope, 'e', 'events'),
    periodSql(period, 'e'),
    themedCustomersSql(scope, period, themes, 'e'),
  );
  const fb = and(scopeSql(scope, 'f', 'feedback'), periodSql(period, 'f'), themedResponsesSql(themes, 'f'));
  const rows = await wh.all<{
    journey: string;
    cases: number;
    customers: number;
    events: number;
    promoters: number | null;
    passives: number | null;
    detractors: number | null;
  }>(
    `with ev as (
       select e.journey, count(distinct e.case_id) as cases, count(distinct e.customer_id) as customers,
              count(*) as events
       from events e where e.journey is not null and ${ev.sql}
       group by 1 order by cases desc, events desc, journey limit ?),
     fb as (
       select f.journey,
              count(*) filter (where f.nps >= 9) as promoters,
              count(*) filter (where f.nps between 7 and 8) as passives,
              count(*) filter (where f.nps <= 6) as detractors
       from feedback f where f.journey in (select journey from ev) and ${fb.sql}
       group by 1)
     select ev.*, fb.promoters, fb.passives, fb.detractors
     from ev left join fb on fb.journey = ev.journey
     order by ev.cases desc, ev.events desc, ev.journey`,
    [...ev.params, limit, ...fb.params],
  );
  return rows.map((r) => ({
    journey: r.journey,
    cases: Number(r.cases),
    customers: Number(r.customers),
    events: Number(r.events),
    nps: npsFromCounts({
      promoters: Number(r.promoters ?? 0),
      passives: Number(r.passives ?? 0),
      detractors: Number(r.detractors ?? 0),
    }),
  }));
}
