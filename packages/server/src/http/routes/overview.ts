import { OverviewQuerySchema, OverviewSchema } from '@cx/core';
import { overviewReport } from '../../queries/overview-report.ts';
import type { RouteRegistrar } from '../app.ts';
import { list, scopeAndPeriod } from './scope-query.ts';

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
    const { scope, period } = scopeAndPeriod(q);
    // A theme is a filter, not a restriction: an unknown theme simply matches no response.
    const themes = list(q.themes) ?? [];
    const report = await overviewReport(deps.warehouse, scope, period, themes);
    return c.json(OverviewSchema.parse(report));
  });
};
