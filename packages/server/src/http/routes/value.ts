import {
  RevenueAtRiskQuerySchema,
  RevenueAtRiskSchema,
  ValueGroupsQuerySchema,
  ValueGroupsSchema,
} from '@cx/core';
import { npsGroupMoney } from '../../queries/value/nps-groups.ts';
import { revenueAtRisk } from '../../queries/value/revenue-at-risk.ts';
import type { RouteRegistrar } from '../app.ts';
import { scopeAndPeriod } from './scope-query.ts';

/** The money view (issue 6 §2): NPS group → churn, revenue, cost, CLV; revenue at risk. */
export const registerValueRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/value/groups',
    summary:
      'Per NPS group (by the customer’s mean answer; no answer separate): customers, churn rate with Wilson 95 % interval, monthly revenue, cost to serve, margin, products and share of wallet, CLV (Gupta & Lehmann) with interval; promoter − detractor differences; value of moving one detractor to passive / promoter',
    tags: ['value'],
    query: ValueGroupsQuerySchema,
    response: ValueGroupsSchema,
  });
  app.get('/api/value/groups', async (c) => {
    const q = ValueGroupsQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    const r = await npsGroupMoney(deps.warehouse, scope, period, {
      ...(q.discount === undefined ? {} : { annualDiscount: q.discount }),
    });
    return c.json(ValueGroupsSchema.parse(r));
  });

  api.add({
    method: 'get',
    path: '/api/value/revenue-at-risk',
    summary:
      'Revenue at risk = Σ P(churn) × value over customers active at the end of the period, total, by segment and by NPS group, and the customers carrying most of it; P(churn) from the churn model’s scores, else the NPS group’s churn rate (the response names the source)',
    tags: ['value'],
    query: RevenueAtRiskQuerySchema,
    response: RevenueAtRiskSchema,
  });
  app.get('/api/value/revenue-at-risk', async (c) => {
    const q = RevenueAtRiskQuerySchema.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    const r = await revenueAtRisk(deps.warehouse, scope, period, {
      ...(q.discount === undefined ? {} : { annualDiscount: q.discount }),
      ...(q.value === undefined ? {} : { value: q.value }),
      ...(q.top === undefined ? {} : { top: q.top }),
    });
    return c.json(RevenueAtRiskSchema.parse(r));
  });
};
