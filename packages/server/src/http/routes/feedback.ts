import {
  CommentsQuerySchema,
  CommentsSchema,
  ILLUSTRATIVE_BENCHMARKS,
  inputError,
  METRIC_METHOD,
  type Metric,
  PRIVACY_MIN_N,
  RELIABLE_MIN_N,
  ScoresQuerySchema,
  ScoresSchema,
  ThemesQuerySchema,
  ThemesSchema,
  TrendQuerySchema,
  TrendSchema,
} from '@cx/core';
import type { AppStore } from '../../app-store/port.ts';
import { searchComments } from '../../queries/feedback/comments.ts';
import { scoreBreakdown } from '../../queries/feedback/score-breakdown.ts';
import { scoreTrend } from '../../queries/feedback/score-trend.ts';
import { themesSummary } from '../../queries/feedback/themes-summary.ts';
import type { RouteRegistrar } from '../app.ts';
import { scopeAndPeriod } from './scope-query.ts';

/**
 * Feedback analytics: score breakdowns and trends with intervals and significance, the comment
 * explorer and the theme view (issue 5 §2, §4). Every query takes the request's data scope.
 */
/**
 * The target line: `?target=` when given, else a KPI in the app store whose id or name is the
 * metric (or whose definition says `"metric": "<metric>"`) and that has a target.
 */
async function targetFor(appStore: AppStore, metric: Metric, given: number | undefined) {
  if (given !== undefined) return { value: given, label: `Target ${fmt(metric, given)}`, source: 'request' };
  const kpis = await appStore.db
    .selectFrom('kpis')
    .select(['kpi_id', 'name', 'definition_json', 'target'])
    .where('target', 'is not', null)
    .execute();
  const kpi = kpis.find((k) => {
    if (k.kpi_id.toLowerCase() === metric || k.name.toLowerCase() === metric) return true;
    try {
      return (JSON.parse(k.definition_json) as { metric?: unknown }).metric === metric;
    } catch {
      return false;
    }
  });
  return kpi && kpi.target !== null
    ? {
        value: Number(kpi.target),
        label: `Target ${fmt(metric, Number(kpi.target))}`,
        source: `kpi ${kpi.kpi_id}`,
      }
    : null;
}

const fmt = (metric: Metric, v: number) =>
  metric === 'nps'
    ? `${v > 0 ? '+' : ''}${Math.round(v)}`
    : metric === 'csat'
      ? `${Math.round(v * 100)} %`
      : v.toFixed(1);

/** Targets live on the metric's own scale: NPS points, CSAT share, CES mean. */
const TARGET_RANGE: Record<Metric, [number, number]> = { nps: [-100, 100], csat: [0, 1], ces: [1, 7] };

async function metricInfo(appStore: AppStore, metric: Metric, target: number | undefined) {
  const range = TARGET_RANGE[metric];
  if (target !== undefined && (target < range[0] || target > range[1])) {
    throw inputError(
      `target for ${metric.toUpperCase()} must be between ${range[0]} and ${range[1]}${metric === 'csat' ? ' (a share)' : ''}`,
      { field: 'target' },
    );
  }
  return {
    metric,
    method: METRIC_METHOD[metric],
    target: await targetFor(appStore, metric, target),
    benchmark: ILLUSTRATIVE_BENCHMARKS[metric],
    minN: { privacy: PRIVACY_MIN_N, reliable: RELIABLE_MIN_N },
  };
}

export const registerFeedbackRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/feedback/scores',
    summary:
      'NPS / CSAT / CES broken down by journey, touchpoint, channel, segment, region, survey, theme, month or week: n, share, 95 % interval, minimum-sample flag, significance against the rest or the previous period (Holm-adjusted), target and benchmark',
    tags: ['feedback'],
    query: ScoresQuerySchema,
    response: ScoresSchema,
  });
  app.get('/api/feedback/scores', async (c) => {
    const q = ScoresQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    if (q.compare === 'previous' && q.by !== 'month' && q.by !== 'week' && !(q.from && q.to)) {
      throw inputError('compare=previous needs a period: give from and to', { field: 'compare' });
    }
    const [info, result] = await Promise.all([
      metricInfo(deps.appStore, q.metric, q.target),
      scoreBreakdown(deps.warehouse, { metric: q.metric, by: q.by, compare: q.compare }, scope, period),
    ]);
    return c.json(
      ScoresSchema.parse({
        ...info,
        by: q.by,
        period: { from: q.from ?? null, to: q.to ?? null },
        ...result,
      }),
    );
  });

  api.add({
    method: 'get',
    path: '/api/feedback/trend',
    summary:
      'NPS / CSAT / CES per month or week with 95 % intervals and the significance of each change against the bucket before; target and benchmark',
    tags: ['feedback'],
    query: TrendQuerySchema,
    response: TrendSchema,
  });
  app.get('/api/feedback/trend', async (c) => {
    const q = TrendQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    const [info, result] = await Promise.all([
      metricInfo(deps.appStore, q.metric, q.target),
      scoreTrend(deps.warehouse, q.metric, q.grain, scope, period),
    ]);
    return c.json(TrendSchema.parse({ ...info, grain: q.grain, ...result }));
  });

  api.add({
    method: 'get',
    path: '/api/feedback/comments',
    summary:
      'Comment explorer: search (all words, case-insensitive) and filter by NPS range or category, theme, sentiment, journey and period; newest first; spans of each hit for highlighting',
    tags: ['feedback'],
    query: CommentsQuerySchema,
    response: CommentsSchema,
  });
  app.get('/api/feedback/comments', async (c) => {
    const q = CommentsQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    if (q.npsMin !== undefined && q.npsMax !== undefined && q.npsMin > q.npsMax) {
      throw inputError('npsMin must not be above npsMax', { field: 'npsMin' });
    }
    return c.json(CommentsSchema.parse(await searchComments(deps.warehouse, q, scope, period)));
  });

  api.add({
    method: 'get',
    path: '/api/feedback/themes',
    summary:
      'Themes: volume, share, sentiment, NPS with the theme, impact on NPS (NPS(all) − NPS(without the theme)), monthly trend, emerging this month',
    tags: ['feedback'],
    query: ThemesQuerySchema,
    response: ThemesSchema,
  });
  app.get('/api/feedback/themes', async (c) => {
    const q = ThemesQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    return c.json(ThemesSchema.parse(await themesSummary(deps.warehouse, scope, period)));
  });
};
