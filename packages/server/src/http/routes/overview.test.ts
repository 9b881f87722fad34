import { type Overview, OverviewSchema } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { insertOverviewFixture } from '../../queries/overview-fixture.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  await insertOverviewFixture(stores.warehouse);
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2024-05-01T00:00:00Z') },
    config: { maxBodyBytes: 1024 },
  });
});
afterAll(() => stores.close());

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await app.request(path);
  return { status: res.status, body: await res.json() };
}

describe('GET /api/overview', () => {
  it('answers with volumes, scores with intervals, the monthly trend and top journeys', async () => {
    const { status, body } = await get('/api/overview');
    expect(status).toBe(200);
    const o = OverviewSchema.parse(body) as Overview;
    expect(o).toMatchObject({ customers: 11, events: 33, cases: 12, period: { from: null, to: null } });
    expect(o.nps).toMatchObject({ n: 21, promoters: 9, passives: 4, detractors: 8 });
    expect(o.nps.ci95![0]).toBeLessThan(o.nps.nps!);
    expect(o.csat).toMatchObject({ n: 15, share: 0.6 });
    expect(o.ces.n).toBe(20);
    expect(o.monthly).toHaveLength(3);
    expect(o.topJourneys.map((j) => j.journey)).toEqual(['billing', 'onboarding']);
  });

  it('applies a restricted data scope in the database: the numbers change', async () => {
    const all = (await get('/api/overview')).body as Overview;
    const north = (await get('/api/overview?regions=north')).body as Overview;
    expect(north).toMatchObject({ customers: 6, events: 17, cases: 6 });
    expect(north.nps).toMatchObject({ n: 10, nps: 40 });
    expect(north.nps.nps).not.toBe(all.nps.nps);
    const south = (await get('/api/overview?regions=south&channels=call_centre')).body as Overview;
    expect(south.nps).toMatchObject({ n: 10, nps: -40 });
    expect(south.topJourneys).toEqual([
      { journey: 'billing', cases: 5, customers: 5, events: 15, npsN: 10, nps: -40 },
    ]);
    const nobody = (await get('/api/overview?regions=nowhere')).body as Overview;
    expect(nobody).toMatchObject({ customers: 0, events: 0, nps: { n: 0, nps: null, ci95: null } });
  });

  it('limits to a period given as inclusive days', async () => {
    const o = (await get('/api/overview?from=2024-01-01&to=2024-01-31')).body as Overview;
    expect(o).toMatchObject({ events: 15, period: { from: '2024-01-01', to: '2024-01-31' } });
    expect(o.nps).toMatchObject({ n: 10, nps: 40 });
  });

  it('filters by feedback themes: scores of themed responses, volumes of the customers who gave one', async () => {
    const all = (await get('/api/overview')).body as Overview;
    const slow = (await get('/api/overview?themes=slow')).body as Overview;
    expect(slow).toMatchObject({ customers: 5, activeCustomers: 5, events: 17, cases: 6 });
    expect(slow.nps).toMatchObject({ n: 5, nps: 40 });
    const both = (await get('/api/overview?themes=slow,%20billing_error&regions=south')).body as Overview;
    expect(both).toMatchObject({ customers: 5, events: 15, nps: { n: 5, nps: -80 } });
    // Odd or unknown values are no error: empty items are ignored, an unknown theme matches nothing.
    expect((await get('/api/overview?themes=,,')).body).toEqual(all);
    expect((await get('/api/overview?themes=')).body).toEqual(all);
    for (const t of ['no_such_theme', encodeURIComponent("x'] or true or ['")]) {
      const r = await get(`/api/overview?themes=${t}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ customers: 0, events: 0, cases: 0, nps: { n: 0, nps: null } });
    }
  });

  it('refuses a malformed date naming the field', async () => {
    const { status, body } = await get('/api/overview?from=yesterday');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'bad_input', details: { field: 'from' } } });
    expect((body as { error: { message: string } }).error.message).toMatch(
      /^from: expected a date YYYY-MM-DD/,
    );
  });

  it('refuses from after to, and unknown parameters', async () => {
    expect((await get('/api/overview?from=2024-02-01&to=2024-01-01')).body).toMatchObject({
      error: { code: 'bad_input', details: { field: 'from' } },
    });
    expect((await get('/api/overview?region=north')).status).toBe(400);
  });

  it('is listed in /api/openapi.json with its query parameters and response schema', async () => {
    const doc = (await get('/api/openapi.json')).body as {
      paths: Record<string, { get?: { parameters: { name: string }[]; responses: Record<string, unknown> } }>;
    };
    const op = doc.paths['/api/overview']?.get;
    expect(op?.parameters.map((p) => p.name)).toEqual([
      'from',
      'to',
      'regions',
      'segments',
      'journeys',
      'channels',
      'themes',
    ]);
    expect(op?.responses['200']).toMatchObject({
      content: {
        'application/json': {
          schema: { type: 'object', required: expect.arrayContaining(['nps', 'monthly']) },
        },
      },
    });
  });
});
