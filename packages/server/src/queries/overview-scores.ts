import {
  csatFromCounts,
  type DataScope,
  type MeanResult,
  meanInterval,
  type NpsResult,
  npsFromCounts,
  type ShareResult,
} from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';
import { type Themes, themedResponsesSql } from './overview-themes.ts';
import { and, type Period, periodSql, scopeSql } from './scope-sql.ts';

export interface ScoreSummary {
  nps: NpsResult;
  csat: ShareResult;
  ces: MeanResult;
}

/** Aggregates of one group of feedback rows, as computed in SQL by the score queries. */
export interface ScoreAggregates {
  promoters: number;
  passives: number;
  detractors: number;
  csat_n: number;
  csat_top2: number;
  ces_n: number;
  ces_mean: number | null;
  ces_sd: number | null;
}

/**
 * SQL select list that aggregates feedback (alias f) into promoters/passives/detractors, CSAT
 * top-two-box counts and CES mean and sample SD. Each score counts only rows where it is answered.
 */
export const SCORE_AGGREGATES_SQL = `
  count(*) filter (where f.nps >= 9) as promoters,
  count(*) filter (where f.nps between 7 and 8) as passives,
  count(*) filter (where f.nps <= 6) as detractors,
  count(f.csat) as csat_n,
  count(*) filter (where f.csat >= 4) as csat_top2,
  count(f.ces) as ces_n,
  avg(f.ces) as ces_mean,
  stddev_samp(f.ces) as ces_sd`;

export function summariseScores(a: ScoreAggregates): ScoreSummary {
  return {
    nps: npsFromCounts({
      promoters: Number(a.promoters),
      passives: Number(a.passives),
      detractors: Number(a.detractors),
    }),
    csat: csatFromCounts(Number(a.csat_top2), Number(a.csat_n)),
    ces: meanInterval(Number(a.ces_n), a.ces_mean, a.ces_sd),
  };
}

/**
 * NPS (from feedback.nps), CSAT (feedback.csat) and CES (feedback.ces) over the scope and period,
 * and over the responses with one of `themes` when given.
 */
export async function overviewScores(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  themes: Themes = [],
): Promise<ScoreSummary> {
  const where = and(
    scopeSql(scope, 'f', 'feedback'),
    periodSql(period, 'f'),
    themedResponsesSql(themes, 'f'),
  );
  const [row] = await wh.all<ScoreAggregates>(
    `select ${SCORE_AGGREGATES_SQL} from feedback f where ${where.sql}`,
    where.params,
  );
  return summariseScores(row!);
}
