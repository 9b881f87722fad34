import type { AtRisk, CustomerScores, PredictModels, Rollup } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  await seedDemo(stores.warehouse, { customers: 2000, seed: 42 });
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2026-07-01T00:00:00Z') },
    config: { maxBodyBytes: 4096 },
  });
}, 120_000);
afterAll(() => stores.close());

async function get<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}
const post = async <T = unknown>(path: string, body: unknown) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
};
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

describe('prediction API', () => {
  it('has no models and no scores before training', async () => {
    expect((await get<PredictModels>('/api/predict/models')).body.models).toEqual([]);
    const r = await get<Rollup>('/api/predict/rollup?target=churn&by=segment');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ asOf: null, modelId: null, rows: [], total: { customers: 0 } });
    expect((await get<AtRisk>('/api/predict/at-risk')).body.rows).toEqual([]);
  });

  it('refuses bad input naming the field, and too few churners with the counts', async () => {
    const bad = await post<ErrorBody>('/api/predict/train', { target: 'upsell' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('target');
    const few = await post<ErrorBody>('/api/predict/train', { target: 'churn' });
    expect(few.status).toBe(400);
    expect(few.body.error.message).toMatch(/\d+ of \d+ customers .* at least 500 positives/);
    expect(few.body.error.details).toMatchObject({ field: 'target', minimum: 500 });
    const by = await get<ErrorBody>('/api/predict/rollup?by=agent');
    expect(by.status).toBe(400);
    expect(by.body.error.details.field).toBe('by');
    const limit = await get<ErrorBody>('/api/predict/at-risk?limit=0');
    expect(limit.body.error.details.field).toBe('limit');
    expect((await get<ErrorBody>('/api/predict/customers/NOPE')).status).toBe(404);
  });

  it('trains and scores churn, then serves cards, roll-ups, the at-risk list and one customer', async () => {
    const t = await post<{ card: { auc: number; modelId: string }; scored: number; asOf: string }>(
      '/api/predict/train',
      { target: 'churn', minPositives: 20, horizonMonths: 6, cutoff: '2025-10-01' },
    );
    expect(t.status).toBe(200);
    expect(t.body.asOf).toBe('2026-07-01');
    expect(t.body.scored).toBeGreaterThan(1000);
    expect(t.body.card.auc).toBeGreaterThan(0.5);

    const models = (await get<PredictModels>('/api/predict/models')).body.models;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      modelId: t.body.card.modelId,
      target: 'churn',
      cutoff: '2025-10-01',
      horizonMonths: 6,
      scoredAsOf: '2026-07-01',
      scored: t.body.scored,
    });

    const r = (await get<Rollup>('/api/predict/rollup?target=churn&by=region')).body;
    expect(r.total.customers).toBe(t.body.scored);
    expect(r.rows).toHaveLength(5);
    const scoped = (await get<Rollup>('/api/predict/rollup?target=churn&by=region&regions=north')).body;
    expect(scoped.rows.map((x) => x.group)).toEqual(['north']);
    expect(scoped.total.customers).toBe(r.rows.find((x) => x.group === 'north')!.customers);

    // By owner: the default metrics tree names journey owners (upgrade and onboarding share one), so
    // the groups are the owners of the customers' most recent journeys, and they add up to the total.
    const owners = (await get<Rollup>('/api/predict/rollup?target=churn&by=owner')).body;
    expect(owners.rows.map((x) => x.group)).toContain('Head of Billing');
    expect(owners.rows.map((x) => x.group)).toContain('Head of Sales');
    expect(owners.rows.reduce((s, x) => s + x.customers, 0)).toBe(owners.total.customers);
    const journeys = (await get<Rollup>('/api/predict/rollup?target=churn&by=journey')).body;
    const count = (rows: Rollup['rows'], ...groups: string[]) =>
      rows.filter((x) => groups.includes(x.group)).reduce((s, x) => s + x.customers, 0);
    expect(count(owners.rows, 'Head of Sales')).toBe(count(journeys.rows, 'upgrade', 'onboarding'));
    expect(count(owners.rows, 'Head of Billing')).toBe(count(journeys.rows, 'billing_question'));
    expect(count(owners.rows, '(none)')).toBe(count(journeys.rows, 'cancellation', '(none)'));

    const list = (await get<AtRisk>('/api/predict/at-risk?limit=5')).body;
    expect(list.rows).toHaveLength(5);
    expect(list.rows[0]!.reasons[0]!.text).toMatch(/(raises?|lowers?) the risk$/);

    const one = await get<CustomerScores>(`/api/predict/customers/${list.rows[0]!.customerId}`);
    expect(one.status).toBe(200);
    expect(one.body.scores).toHaveLength(1);
    expect(one.body.scores[0]).toMatchObject({ target: 'churn', probability: list.rows[0]!.probability });
    expect(one.body.scores[0]!.rank).toBeLessThanOrEqual(5 * 50);
  }, 120_000);

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await get<{ paths: Record<string, unknown> }>('/api/openapi.json')).body;
    for (const p of [
      '/api/predict/models',
      '/api/predict/train',
      '/api/predict/rollup',
      '/api/predict/at-risk',
      '/api/predict/customers/{id}',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
