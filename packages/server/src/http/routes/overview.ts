import { type DataScope, inputError, OverviewQuerySchema, OverviewSchema } from '@cx/core';
import { overviewReport } from '../../queries/overview-report.ts';
import type { RouteRegistrar } from '../app.ts';

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const registerOverviewRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/overview',
    summary: 'Overview: volumes, NPS / CSAT / CES with 95 % intervals, monthly trend, top journeys',
    tags: ['analytics'],
    query: OverviewQuerySchema,
    response: OverviewSchema,
  });
  app.get('/api/overview', async (c) => {
    const q = OverviewQuerySchema.parse(c.req.query());
    if (q.from && q.to && q.from > q.to) throw inputError('from must not be after to', { field: 'from' });
    // The request's filters are the scope for now; when users and roles arrive, the role's
    // restrictions are intersected here, before any query runs.
    const scope: DataScope = {};
    for (const k of ['regions', 'segments', 'journeys', 'channels'] as const) {
      const values = list(q[k]);
      if (values?.length) scope[k] = values;
    }
    // A theme is a filter, not a restriction: an unknown theme simply matches no response.
    const themes = list(q.themes) ?? [];
    const report = await overviewReport(deps.warehouse, scope, { from: q.from, to: q.to }, themes);
    return c.json(OverviewSchema.parse(report));
  });
};
