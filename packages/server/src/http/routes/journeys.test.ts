import { JourneyAttributesSchema, type JourneyMap, JourneyMapSchema, type VariantsPage } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { silentLogger } from '../../logger.ts';
import { discover } from '../../queries/journeys/discover.ts';
import { journeySource, rebuildJourneyIndex } from '../../queries/journeys/journey-index.ts';
import { journeyMap } from '../../queries/journeys/journey-map.ts';
import { variantStats } from '../../queries/journeys/variant-stats.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';
import { appendFixtureEvents, FIXTURE_T0, postTo } from './journey-fixture.ts';

/**
 * The four cases of journey-fixture.ts, all in journey j1, customers with segment and region:
 *   k1 (A, north, web):          a@0  b@60  c@180        duration 180
 *   k2 (A, north, web):          a@0  b@120 c@240        duration 240
 *   k3 (B, south, call_centre):  a@0  c@30               duration 30
 *   k4 (B, south, call_centre):  a@0  b@10  b@20 c@50    duration 50
 * DFG: a→b ×3 (60, 120, 10: median 60), b→c ×3 (120, 120, 30: median 120), a→c ×1 (30), b→b ×1 (10).
 * Variants: abc ×2, abbc ×1, ac ×1. Case durations: mean 125, median (50 + 180) / 2 = 115.
 */
const T0 = FIXTURE_T0;

let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  const wh = stores.warehouse;
  await wh.append(
    'customers',
    ['customer_id', 'created_at', 'segment', 'region', 'source_system'],
    [
      ['A', T0, 'consumer', 'north', 'fixture'],
      ['B', T0, 'business', 'south', 'fixture'],
    ],
  );
  await appendFixtureEvents(wh, 'j1');
  // Themes for the attribute picker and the feedbackThemes filter: k1 (customer A) is about billing.
  await wh.append(
    'feedback',
    ['response_id', 'customer_id', 'case_id', 'ts', 'themes'],
    [
      ['r1', 'A', 'k1', T0, ['billing', 'slow']],
      ['r2', 'B', null, T0 + 86_400_000, ['billing']],
    ],
  );
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2024-05-01T00:00:00Z') },
    config: { maxBodyBytes: 1024 },
  });
});
afterAll(() => stores.close());

const post = (path: string, body: unknown) => postTo(app, path, body);

describe('POST /api/journeys/map', () => {
  it('answers with counts, start/end activities, the DFG with edge times and case durations', async () => {
    const { status, body } = await post('/api/journeys/map', {});
    expect(status).toBe(200);
    const m = JourneyMapSchema.parse(body) as JourneyMap;
    expect(m).toMatchObject({ events: 12, cases: 4, variants: 3 });
    expect(m.activities).toEqual([
      { name: 'a', count: 4 },
      { name: 'b', count: 4 },
      { name: 'c', count: 4 },
    ]);
    expect(m.startActivities).toEqual([{ name: 'a', count: 4 }]);
    expect(m.endActivities).toEqual([{ name: 'c', count: 4 }]);
    expect(m.dfg.map((e) => [e.from, e.to, e.count, e.medianSeconds])).toEqual([
      ['a', 'b', 3, 60],
      ['b', 'c', 3, 120],
      ['a', 'c', 1, 30],
      ['b', 'b', 1, 10],
    ]);
    expect(m.dfg[0]).toMatchObject({ minSeconds: 10, maxSeconds: 120, sumSeconds: 190 });
    expect(m.dfg[0]!.meanSeconds).toBeCloseTo(190 / 3, 9);
    expect(m.dfg[2]!.stdevSeconds).toBeNull();
    expect(m.caseDurations).toEqual({ mean: 125, median: 115, min: 30, max: 240 });
  });

  it('applies the journey filter: a node click (withActivities) and an edge click (directlyFollows)', async () => {
    const withB = (await post('/api/journeys/map', { filter: { withActivities: ['b'] } })).body as JourneyMap;
    expect(withB).toMatchObject({ cases: 3, events: 10, variants: 2 });
    const loop = (await post('/api/journeys/map', { filter: { directlyFollows: [{ from: 'b', to: 'b' }] } }))
      .body as JourneyMap;
    expect(loop).toMatchObject({ cases: 1, events: 4, caseDurations: { median: 50 } });
    const variant = (await post('/api/journeys/map', { filter: { variants: { include: [['a', 'c']] } } }))
      .body as JourneyMap;
    expect(variant).toMatchObject({ cases: 1, events: 2, dfg: [{ from: 'a', to: 'c', count: 1 }] });
  });

  it('draws the map on the k most frequent activities, connecting them through the hidden ones', async () => {
    // All three activities occur 4 times; ties go by name, so a and b stay. Without c:
    // k1 a b, k2 a b, k3 a, k4 a b b.
    const m = (await post('/api/journeys/map', { maxActivities: 2 })).body as JourneyMap;
    expect(m).toMatchObject({ events: 12, cases: 4, variants: 3 });
    expect(m.activities).toHaveLength(3);
    expect(m.startActivities).toEqual([{ name: 'a', count: 4 }]);
    expect(m.endActivities).toEqual([
      { name: 'b', count: 3 },
      { name: 'a', count: 1 },
    ]);
    expect(m.dfg.map((e) => [e.from, e.to, e.count, e.medianSeconds])).toEqual([
      ['a', 'b', 3, 60],
      ['b', 'b', 1, 10],
    ]);
    const withFilter = (
      await post('/api/journeys/map', { maxActivities: 1, filter: { withActivities: ['c'] } })
    ).body as JourneyMap;
    expect(withFilter).toMatchObject({ cases: 4, dfg: [], endActivities: [{ name: 'a', count: 4 }] });
    expect((await post('/api/journeys/map', { maxActivities: 0 })).status).toBe(400);
  });

  it('applies the data scope in the database', async () => {
    const north = (await post('/api/journeys/map', { scope: { regions: ['north'] } })).body as JourneyMap;
    expect(north).toMatchObject({ cases: 2, events: 6, variants: 1, caseDurations: { median: 210 } });
    const none = (await post('/api/journeys/map', { scope: { channels: ['shop'] } })).body as JourneyMap;
    expect(none).toMatchObject({
      cases: 0,
      events: 0,
      variants: 0,
      activities: [],
      dfg: [],
      caseDurations: { median: null },
    });
  });

  it('rejects bad input with the field named, and an empty body means everything', async () => {
    const bad = await post('/api/journeys/map', { filter: { withActivitiez: ['b'] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'bad_input', details: { field: 'filter' } } });
    expect(JSON.stringify(bad.body)).toContain('withActivitiez');
    const wrongType = await post('/api/journeys/map', { filter: { withActivities: 'b' } });
    expect(wrongType.body).toMatchObject({ error: { details: { field: 'filter.withActivities' } } });
    const notJson = await post('/api/journeys/map', '{"filter":');
    expect(notJson).toMatchObject({ status: 400, body: { error: { details: { field: 'body' } } } });
    const empty = await post('/api/journeys/map', '');
    expect(empty).toMatchObject({ status: 200, body: { cases: 4 } });
  });
});

describe('POST /api/journeys/variants', () => {
  it('ranks variants with share, cumulative share and duration', async () => {
    const { status, body } = await post('/api/journeys/variants', {});
    expect(status).toBe(200);
    expect(body).toEqual({
      cases: 4,
      total: 3,
      offset: 0,
      variants: [
        {
          rank: 1,
          activities: ['a', 'b', 'c'],
          count: 2,
          share: 0.5,
          cumulativeShare: 0.5,
          meanSeconds: 210,
          medianSeconds: 210,
        },
        {
          rank: 2,
          activities: ['a', 'b', 'b', 'c'],
          count: 1,
          share: 0.25,
          cumulativeShare: 0.75,
          meanSeconds: 50,
          medianSeconds: 50,
        },
        {
          rank: 3,
          activities: ['a', 'c'],
          count: 1,
          share: 0.25,
          cumulativeShare: 1,
          meanSeconds: 30,
          medianSeconds: 30,
        },
      ],
    } satisfies VariantsPage);
  });

  it('pages, filters, and rejects a bad limit', async () => {
    const page = (await post('/api/journeys/variants', { limit: 1, offset: 1 })).body as VariantsPage;
    expect(page).toMatchObject({ total: 3, offset: 1, variants: [{ rank: 2, cumulativeShare: 0.75 }] });
    const past = (await post('/api/journeys/variants', { offset: 10 })).body as VariantsPage;
    expect(past).toMatchObject({ cases: 4, total: 3, variants: [] });
    const south = (await post('/api/journeys/variants', { scope: { regions: ['south'] } }))
      .body as VariantsPage;
    expect(south.variants.map((v) => [v.activities.join(''), v.share])).toEqual([
      ['abbc', 0.5],
      ['ac', 0.5],
    ]);
    const bad = await post('/api/journeys/variants', { limit: 0 });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_input', details: { field: 'limit' } } },
    });
  });
});

describe('feedbackThemes filter over HTTP', () => {
  it('keeps the cases with such a response; an unknown theme gives an empty map, not an error', async () => {
    const slow = await post('/api/journeys/map', { filter: { feedbackThemes: { themes: ['slow'] } } });
    expect(slow).toMatchObject({ status: 200, body: { cases: 1, events: 3 } });
    const none = await post('/api/journeys/map', { filter: { feedbackThemes: { themes: ['nope'] } } });
    expect(none).toMatchObject({ status: 200, body: { cases: 0, events: 0 } });
    const bad = await post('/api/journeys/map', { filter: { feedbackThemes: { themes: 'slow' } } });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_input', details: { field: 'filter.feedbackThemes.themes' } } },
    });
  });
});

describe('GET /api/journeys/attributes', () => {
  it('lists channels, journeys, segments and regions with counts, within the scope', async () => {
    const res = await app.request('/api/journeys/attributes');
    const a = JourneyAttributesSchema.parse(await res.json());
    expect(a).toEqual({
      channels: [
        { name: 'call_centre', count: 6 },
        { name: 'web', count: 6 },
      ],
      journeys: [{ name: 'j1', count: 12 }],
      segments: [
        { name: 'business', count: 1 },
        { name: 'consumer', count: 1 },
      ],
      regions: [
        { name: 'north', count: 1 },
        { name: 'south', count: 1 },
      ],
      themes: [
        { name: 'billing', count: 2 },
        { name: 'slow', count: 1 },
      ],
    });
    const north = JourneyAttributesSchema.parse(
      await (await app.request('/api/journeys/attributes?regions=north')).json(),
    );
    expect(north.channels).toEqual([{ name: 'web', count: 6 }]);
    expect(north.regions).toEqual([{ name: 'north', count: 1 }]);
    expect(north.themes).toEqual([
      { name: 'billing', count: 1 },
      { name: 'slow', count: 1 },
    ]);
    expect((await app.request('/api/journeys/attributes?region=north')).status).toBe(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/journeys/map', '/api/journeys/variants', '/api/journeys/attributes'])
      expect(doc.paths[p]).toBeDefined();
  });
});

/** Non-integers of `v` as `expect.closeTo` matchers (to 1e-4). */
const approx = (v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v)
    ? expect.closeTo(v, 4)
    : Array.isArray(v)
      ? v.map(approx)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, approx(x)]))
        : v;

describe('answers from memory', () => {
  it('until the next write: then the numbers follow the data', async () => {
    const before = (await post('/api/journeys/map', {})).body as JourneyMap;
    expect((await post('/api/journeys/map', {})).body).toEqual(before);
    await stores.warehouse.append(
      'events',
      ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'load_id'],
      [['k5-0', 'A', 'k5', T0, 'z', 'j1', 'web', 'fixture']],
    );
    const after = (await post('/api/journeys/map', {})).body as JourneyMap;
    expect(after).toMatchObject({ cases: before.cases + 1, events: before.events + 1, variants: 4 });
    const variants = (await post('/api/journeys/variants', {})).body as VariantsPage;
    expect(variants.total).toBe(4);
  });
});

describe('journeyMap on the demo company', () => {
  it('equals the single discovery queries (with a filter applied)', async () => {
    const s = await openStores('memory');
    try {
      await seedDemo(s.warehouse, { customers: 300, seed: 3 });
      for (const filter of [undefined, { attributes: [{ field: 'channel' as const, values: ['web'] }] }]) {
        const opts = { filter };
        const [m, d] = await Promise.all([
          journeyMap(s.warehouse, {}, opts),
          discover(s.warehouse, {}, opts),
        ]);
        expect(m.cases).toBeGreaterThan(filter ? 10 : 500);
        const { variants, ...rest } = d;
        // Float sums may differ in the last bits with the order DuckDB's threads add them up.
        expect({ ...m, variants: undefined }).toEqual(approx({ ...rest, variants: undefined }));
        expect(m.variants).toBe(variants.length);
      }
      // The same answers from the stored journey index as from the live window queries.
      const live = await journeyMap(s.warehouse, {}, {}, { maxActivities: 12 });
      const liveVariants = await variantStats(s.warehouse, {}, { limit: 20, offset: 3 });
      await rebuildJourneyIndex(s.warehouse);
      expect((await journeySource(s.warehouse, {})).indexed).toBe(true);
      expect(await journeyMap(s.warehouse, {}, {}, { maxActivities: 12 })).toEqual(approx(live));
      expect(await variantStats(s.warehouse, {}, { limit: 20, offset: 3 })).toEqual(approx(liveVariants));
    } finally {
      await s.close();
    }
  });
});
