import {
  addAggregates,
  type BreakdownDimension,
  compareAggregates,
  type DataScope,
  emptyAggregates,
  holmAdjust,
  type Metric,
  type MetricAggregates,
  type ScoreCell,
  type ScoreGroup,
  type Significance,
  scoreCell,
  subtractAggregates,
  TIME_DIMENSIONS,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { and, type Period, periodSql, type SqlFragment, scopeSql } from '../scope-sql.ts';

/**
 * NPS, CSAT or CES per group of one dimension, with n, share, 95 % interval, minimum-sample flag
 * and the significance of each group against the rest (or the previous period / bucket). The
 * database computes only counts and sums per group (one scan); intervals and tests are the core
 * formulas applied to those aggregates, so the 1M-row case stays a single GROUP BY.
 */

// Identifiers come from these whitelists only; values always travel as parameters.
const METRIC_COLUMN: Record<Metric, string> = { nps: 'nps', csat: 'csat', ces: 'ces' };

const GROUP_SQL: Record<Exclude<BreakdownDimension, 'theme' | 'month' | 'week'>, string> = {
  journey: 'f.journey',
  touchpoint: 'f.touchpoint',
  channel: 'f.channel',
  survey: 'f.survey_id',
  segment: 'c.segment',
  region: 'c.region',
};

/**
 * Time buckets: rows are grouped by UTC day number first (integer arithmetic on the instant), and
 * the few hundred day groups are rolled up to months or Monday-weeks. date_trunc on a timestamptz
 * goes through the ICU calendar per row and measured ~15× slower on 1M rows (bench/feedback-breakdown).
 */
const DAY_SQL = 'epoch_ms(f.ts) // 86400000';
const ROLLUP_SQL = {
  month: "strftime(date '1970-01-01' + d::integer, '%Y-%m')",
  // Day 0 (1970-01-01) was a Thursday: (d + 3) mod 7 is the number of days since Monday.
  week: "strftime(date '1970-01-01' + (d - ((d + 3) % 7 + 7) % 7)::integer, '%Y-%m-%d')",
} as const;

/**
 * Aggregates of the metric column of feedback rows `f`: sums of 0/1 flags rather than
 * `count(*) filter (…)`, which measured ~2× slower; Σx and Σx² only for CES, the one mean.
 */
function aggregatesSql(metric: Metric, alias = 'f'): string {
  const m = `${alias}.${METRIC_COLUMN[metric]}`;
  const flag = (cond: string) => `coalesce(sum((${cond})::integer), 0)::bigint`;
  return `count(*) as n,
    ${metric === 'nps' ? flag(`${m} >= 9`) : '0'} as promoters,
    ${metric === 'nps' ? flag(`${m} between 7 and 8`) : '0'} as passives,
    ${metric === 'nps' ? flag(`${m} <= 6`) : '0'} as detractors,
    ${metric === 'csat' ? flag(`${m} >= 4`) : '0'} as top2,
    ${metric === 'ces' ? `coalesce(sum(${m})::double, 0)` : '0'} as sum,
    ${metric === 'ces' ? `coalesce(sum(${m}::double * ${m}), 0)` : '0'} as sum_sq`;
}

/** Re-aggregates pre-aggregated rows `r` (all parts are additive). */
const ROLLUP_AGGREGATES = `sum(r.n) as n, sum(r.promoters) as promoters, sum(r.passives) as passives,
  sum(r.detractors) as detractors, sum(r.top2) as top2, sum(r.sum) as sum, sum(r.sum_sq) as sum_sq`;

interface AggRow {
  grp: string | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  top2: number;
  sum: number;
  sum_sq: number;
}

const toAgg = (r: AggRow): MetricAggregates => ({
  n: Number(r.n),
  promoters: Number(r.promoters),
  passives: Number(r.passives),
  detractors: Number(r.detractors),
  top2: Number(r.top2),
  sum: Number(r.sum),
  sumSq: Number(r.sum_sq),
});

/** Rows of feedback `f` (joined to customers `c` on request) in scope and period, answered. */
function filteredSql(
  metric: Metric,
  scope: DataScope,
  period: Period,
  extra?: SqlFragment,
  joinCustomers = false,
): SqlFragment {
  const where = and(
    scopeSql(scope, 'f', 'feedback'),
    periodSql(period, 'f'),
    { sql: `f.${METRIC_COLUMN[metric]} is not null`, params: [] },
    ...(extra ? [extra] : []),
  );
  const join = joinCustomers ? 'left join customers c on c.customer_id = f.customer_id' : '';
  return { sql: `from feedback f ${join} where ${where.sql}`, params: where.params };
}

export interface GroupAggregates {
  group: string | null;
  agg: MetricAggregates;
}

export interface Grouped {
  /** Ordered by group; chronological for time dimensions, which omit answers without a time. */
  groups: GroupAggregates[];
  /** Everything in scope and period, including answers in no group (no time, no theme). */
  total: MetricAggregates;
}

/** Counts and sums of the metric per group and in total: one scan (two for themes). */
export async function groupAggregates(
  wh: WarehouseSession,
  metric: Metric,
  by: BreakdownDimension,
  scope: DataScope,
  period: Period,
  extra?: SqlFragment,
): Promise<Grouped> {
  // Segment and region are attributes of the customer; other dimensions need no join.
  const from = filteredSql(metric, scope, period, extra, by === 'segment' || by === 'region');
  const agg = aggregatesSql(metric);
  const map = (rows: AggRow[]) =>
    rows.map((r) => ({ group: r.grp === null ? null : String(r.grp), agg: toAgg(r) }));
  if (by === 'month' || by === 'week') {
    const rows = map(
      await wh.all<AggRow>(
        `select ${ROLLUP_SQL[by]} as grp, ${ROLLUP_AGGREGATES}
         from (select ${DAY_SQL} as d, ${agg} ${from.sql} group by 1) r
         group by 1 order by 1 nulls last`,
        from.params,
      ),
    );
    return {
      groups: rows.filter((g) => g.group !== null),
      total: rows.reduce((t, g) => addAggregates(t, g.agg), emptyAggregates()),
    };
  }
  if (by === 'theme') {
    // Themes are stored once per response by the enrichment, so unnest counts a response once per
    // theme; list_distinct here would cost ~5× the scan for a guarantee the ingest already gives.
    const [groups, total] = await Promise.all([
      wh.all<AggRow>(
        `select k as grp, ${aggregatesSql(metric, 'u')}
         from (select unnest(f.themes) as k, f.${METRIC_COLUMN[metric]} ${from.sql} and f.themes is not null) u
         group by 1 order by 1`,
        from.params,
      ),
      totalAggregates(wh, metric, scope, period, extra),
    ]);
    return { groups: map(groups), total };
  }
  const rows = map(
    await wh.all<AggRow>(
      `select ${GROUP_SQL[by]} as grp, ${agg} ${from.sql} group by 1 order by 1 nulls last`,
      from.params,
    ),
  );
  return { groups: rows, total: rows.reduce((t, g) => addAggregates(t, g.agg), emptyAggregates()) };
}

/** Counts and sums of the metric over everything in scope and period. */
export async function totalAggregates(
  wh: WarehouseSession,
  metric: Metric,
  scope: DataScope,
  period: Period,
  extra?: SqlFragment,
): Promise<MetricAggregates> {
  const from = filteredSql(metric, scope, period, extra);
  const [row] = await wh.all<AggRow>(`select ${aggregatesSql(metric)} ${from.sql}`, from.params);
  return row ? toAgg(row) : emptyAggregates();
}

/** The period of equal length that ends the day before `from` (both ends inclusive). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const day = 86_400_000;
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  const len = Math.round((t - f) / day) + 1;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(f - len * day), to: iso(f - day) };
}

type TestResult = ReturnType<typeof compareAggregates>;

/** Attaches Holm-adjusted p-values across the tests of one answer (many cells, ANCHORS.md §3). */
export function withHolm(
  tests: TestResult[],
  against: 'rest' | 'previous',
  significantBy: 'adjusted' | 'raw',
): Significance[] {
  const idx = tests.flatMap((t, i) => (t ? [i] : []));
  const adjusted = holmAdjust(idx.map((i) => tests[i]!.p));
  return tests.map((t, i) => {
    if (!t) return null;
    const pAdjusted = adjusted[idx.indexOf(i)]!;
    return {
      against,
      method: t.method,
      delta: t.delta,
      statistic: t.statistic,
      p: t.p,
      pAdjusted,
      significant: (significantBy === 'adjusted' ? pAdjusted : t.p) < 0.05,
    };
  });
}

export interface ScoreBreakdown {
  overall: ScoreCell;
  groups: ScoreGroup[];
}

export async function scoreBreakdown(
  wh: WarehouseSession,
  opts: { metric: Metric; by: BreakdownDimension; compare: 'rest' | 'previous' },
  scope: DataScope,
  period: Period,
): Promise<ScoreBreakdown> {
  const { metric, by } = opts;
  const timeDim = TIME_DIMENSIONS.has(by);
  const againstPrevious = timeDim || opts.compare === 'previous';
  const prev =
    !timeDim && opts.compare === 'previous' && period.from && period.to
      ? previousPeriod(period.from, period.to)
      : null;
  const [{ groups, total }, before] = await Promise.all([
    groupAggregates(wh, metric, by, scope, period),
    prev ? groupAggregates(wh, metric, by, scope, prev) : Promise.resolve(null),
  ]);
  const beforeBy = new Map((before?.groups ?? []).map((g) => [g.group, g.agg]));
  const tests = groups.map((g, i) => {
    if (timeDim) return i > 0 ? compareAggregates(metric, g.agg, groups[i - 1]!.agg) : null;
    if (before) {
      const b = beforeBy.get(g.group);
      return b ? compareAggregates(metric, g.agg, b) : null;
    }
    return compareAggregates(metric, g.agg, subtractAggregates(total, g.agg));
  });
  const sig = withHolm(tests, againstPrevious ? 'previous' : 'rest', 'adjusted');
  const out: ScoreGroup[] = groups.map((g, i) => ({
    group: g.group,
    share: total.n ? g.agg.n / total.n : 0,
    ...scoreCell(metric, g.agg),
    significance: sig[i] ?? null,
  }));
  if (!timeDim) {
    // Best first; withheld cells last, then by volume.
    out.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || b.n - a.n);
  }
  return { overall: scoreCell(metric, total), groups: out };
}
