import { RevenueAtRiskSchema, ValueGroupsSchema } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { tableCounts } from '../../queries/table-counts.ts';
import { npsGroupMoney } from '../../queries/value/nps-groups.ts';
import { type Body, useDemoApp } from './demo-app-fixture.ts';

const demo = useDemoApp({ customers: 600, seed: 5 });
const get = demo.get;

describe('GET /api/value/groups', () => {
  it('answers the money links per NPS group, equal to the query, in the documented shape', async () => {
    const { status, body } = await get('/api/value/groups?from=2025-01-01&to=2026-06-30&discount=0.05');
    expect(status).toBe(200);
    const r = ValueGroupsSchema.parse(body);
    expect(r.annualDiscount).toBe(0.05);
    const direct = await npsGroupMoney(
      demo.stores.warehouse,
      {},
      { from: '2025-01-01', to: '2026-06-30' },
      { annualDiscount: 0.05 },
    );
    expect(r.groups).toEqual(direct.groups);
    expect(r.groups.map((g) => g.group)).toContain('no_answer');
    expect(r.moveDetractor.toPromoter).not.toBeNull();
  });

  it('slices by segment and journey', async () => {
    const all = (await get('/api/value/groups')).body;
    const biz = (await get('/api/value/groups?segments=business')).body;
    const sum = (x: Body) => ValueGroupsSchema.parse(x).groups.reduce((a, g) => a + g.customers, 0);
    expect(sum(biz)).toBeLessThan(sum(all));
    const j = (await get('/api/value/groups?journeys=complaint')).body;
    expect(sum(j)).toBeLessThan(sum(all));
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const before = await tableCounts(demo.stores.warehouse);
    const a = await get('/api/value/groups?from=2026-01-01&to=2025-01-01');
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/from/);
    const b = await get('/api/value/groups?discount=2');
    expect(b.status).toBe(400);
    expect(b.body.error.message).toMatch(/discount/);
    const c = await get('/api/value/revenue-at-risk?value=gold');
    expect(c.status).toBe(400);
    expect(c.body.error.message).toMatch(/value/);
    expect(await tableCounts(demo.stores.warehouse)).toEqual(before);
  });
});

describe('GET /api/value/revenue-at-risk', () => {
  it('names the probability source and lists customers; CLV as value changes the figure', async () => {
    const { status, body } = await get('/api/value/revenue-at-risk?top=3');
    expect(status).toBe(200);
    const r = RevenueAtRiskSchema.parse(body);
    expect(r.probabilitySource).toBe('nps_group_rate');
    expect(r.customers).toHaveLength(3);
    expect(r.total.revenueAtRisk).toBeGreaterThan(0);
    const clv = RevenueAtRiskSchema.parse((await get('/api/value/revenue-at-risk?value=clv')).body);
    expect(clv.value).toBe('clv');
    expect(clv.total.revenueAtRisk).not.toBeCloseTo(r.total.revenueAtRisk, 0);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/value/groups',
        '/api/value/revenue-at-risk',
        '/api/campaigns',
        '/api/campaigns/{id}/did',
      ]),
    );
  });
});
