import type { Comments, Scores, Themes, Trend } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { insertFeedbackAnalyticsFixture } from '../../queries/feedback/analytics-fixture.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  await insertFeedbackAnalyticsFixture(stores.warehouse);
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2024-03-01T00:00:00Z') },
    config: { maxBodyBytes: 1024 },
  });
});
afterAll(() => stores.close());

async function get<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}

const badField = async (path: string, field: string) => {
  const { status, body } = await get<{
    error: { code: string; message: string; details: { field: string } };
  }>(path);
  expect(status, path).toBe(400);
  expect(body.error.code).toBe('bad_input');
  expect(body.error.details.field).toBe(field);
  expect(body.error.message).toContain(field);
};

describe('GET /api/feedback/scores', () => {
  it('breaks NPS down by journey with n, interval, flags, significance, method and reference lines', async () => {
    const { status, body } = await get<Scores>('/api/feedback/scores?metric=nps&by=journey');
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'nps', by: 'journey', overall: { n: 123 } });
    expect(body.groups.map((g) => [g.group, g.n, g.score, g.flag])).toEqual([
      ['onboarding', 40, 75, null],
      ['billing', 80, 0, null],
      ['moving', 3, null, 'hidden'],
    ]);
    expect(body.groups[1]!.significance).toMatchObject({
      method: 'nps-z',
      against: 'rest',
      significant: true,
    });
    expect(body.method).toMatch(/1\.96/);
    expect(body.target).toBeNull();
    expect(body.benchmark!.label).toMatch(/illustrative/);
  });

  it('takes the target from the KPI table, or from ?target=', async () => {
    await stores.appStore.db
      .insertInto('kpis')
      .values({ kpi_id: 'nps', name: 'NPS', definition_json: '{}', target: 30, updated_at: '2024-01-01' })
      .execute();
    try {
      expect((await get<Scores>('/api/feedback/scores')).body.target).toMatchObject({
        value: 30,
        source: 'kpi nps',
      });
      expect((await get<Scores>('/api/feedback/scores?target=40')).body.target).toMatchObject({ value: 40 });
    } finally {
      await stores.appStore.db.deleteFrom('kpis').execute();
    }
  });

  it('restricts to the scope and period given', async () => {
    const { body } = await get<Scores>(
      '/api/feedback/scores?by=region&regions=south&from=2024-02-01&to=2024-02-29',
    );
    expect(body.overall).toMatchObject({ n: 40, score: 25 });
    expect(body.groups.map((g) => g.group)).toEqual(['south']);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    await badField('/api/feedback/scores?metric=happiness', 'metric');
    await badField('/api/feedback/scores?by=colour', 'by');
    await badField('/api/feedback/scores?from=yesterday', 'from');
    await badField('/api/feedback/scores?from=2024-02-01&to=2024-01-01', 'from');
    await badField('/api/feedback/scores?compare=previous', 'compare');
    await badField('/api/feedback/scores?target=lots', 'target');
    await badField('/api/feedback/scores?metric=csat&target=80', 'target');
    await badField('/api/feedback/scores?metric=ces&target=9', 'target');
    await badField('/api/feedback/trend?metric=nps&target=150', 'target');
    expect((await get('/api/feedback/scores?region=north')).status).toBe(400);
  });
});

describe('GET /api/feedback/trend', () => {
  it('answers buckets with intervals and change tests', async () => {
    const { status, body } = await get<Trend>('/api/feedback/trend?metric=csat&grain=month');
    expect(status).toBe(200);
    expect(body.buckets.map((b) => [b.bucket, b.n, b.score])).toEqual([
      ['2024-01', 80, 55 / 80],
      ['2024-02', 40, 0.75],
    ]);
    expect(body.buckets[1]!.significance!.method).toBe('two-proportion-z');
    await badField('/api/feedback/trend?grain=day', 'grain');
  });
});

describe('GET /api/feedback/comments', () => {
  it('searches and filters, returning text exactly as stored with highlight spans', async () => {
    const { body } = await get<Comments>('/api/feedback/comments?q=script&sentiment=negative');
    expect(body.total).toBe(1);
    expect(body.comments[0]).toMatchObject({
      comment: '<script>alert(1)</script> bad shop',
      matches: [
        [1, 7],
        [18, 24],
      ],
    });
    const res = await app.request('/api/feedback/comments?q=script');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(
      (await get<Comments>('/api/feedback/comments?category=detractor&theme=waiting_time')).body.total,
    ).toBe(30);
  });

  it('refuses bad parameters naming the field', async () => {
    await badField('/api/feedback/comments?npsMin=11', 'npsMin');
    await badField('/api/feedback/comments?npsMin=8&npsMax=2', 'npsMin');
    await badField('/api/feedback/comments?limit=0', 'limit');
    await badField('/api/feedback/comments?sentiment=angry', 'sentiment');
    await badField('/api/feedback/comments?category=fan', 'category');
  });
});

describe('GET /api/feedback/themes', () => {
  it('answers themes with impact and emerging flags', async () => {
    const { status, body } = await get<Themes>('/api/feedback/themes');
    expect(status).toBe(200);
    expect(body.themes.map((t) => [t.theme, t.volume, t.emerging.emerging])).toEqual([
      ['courtesy', 30, true],
      ['waiting_time', 30, false],
      ['billing_error', 10, true],
    ]);
    await badField('/api/feedback/themes?to=soon', 'to');
  });
});

describe('OpenAPI', () => {
  it('documents the four routes with their parameters', async () => {
    const doc = (
      await get<{ paths: Record<string, { get: { parameters: { name: string }[] } }> }>('/api/openapi.json')
    ).body;
    for (const p of ['scores', 'trend', 'comments', 'themes'])
      expect(doc.paths[`/api/feedback/${p}`]).toBeDefined();
    expect(doc.paths['/api/feedback/scores']!.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['metric', 'by', 'compare', 'target', 'from', 'to', 'regions']),
    );
  });
});
