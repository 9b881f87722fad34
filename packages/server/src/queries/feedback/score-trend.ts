import {
  compareAggregates,
  type DataScope,
  type Metric,
  type ScoreCell,
  scoreCell,
  type Trend,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import type { Period } from '../scope-sql.ts';
import { groupAggregates, withHolm } from './score-breakdown.ts';

export interface ScoreTrend {
  overall: ScoreCell;
  buckets: Trend['buckets'];
}

/**
 * The score per month or week (UTC) with its 95 % interval, and for each bucket the test of the
 * change against the bucket before (NPS z, two-proportion z or Welch t). A trend marker answers
 * "did it move since last month?", one question per bucket, so `significant` uses the unadjusted
 * p (as period-over-period markers in survey tools do); the Holm-adjusted p is given alongside.
 * Buckets without answers are absent; a change is then tested against the last bucket with answers.
 */
export async function scoreTrend(
  wh: WarehouseSession,
  metric: Metric,
  grain: 'month' | 'week',
  scope: DataScope,
  period: Period,
): Promise<ScoreTrend> {
  const { groups, total } = await groupAggregates(wh, metric, grain, scope, period);
  const tests = groups.map((g, i) => (i > 0 ? compareAggregates(metric, g.agg, groups[i - 1]!.agg) : null));
  const sig = withHolm(tests, 'previous', 'raw');
  return {
    overall: scoreCell(metric, total),
    buckets: groups.map((g, i) => ({
      bucket: g.group ?? '',
      ...scoreCell(metric, g.agg),
      significance: sig[i] ?? null,
    })),
  };
}
