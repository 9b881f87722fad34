import { text } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;

const DELIVERY = [
  'delivery was late, the parcel arrived after two weeks',
  'late delivery and the parcel was damaged',
  'parcel delivery delayed again',
  'my parcel never arrived, delivery is a mess',
  'slow delivery, the parcel came late',
  'the delivery driver lost my parcel',
];
const SIZE = [
  'runs small, order a size up',
  'size too small and tight',
  'tight fit, runs small, size up',
  'runs small in the waist, size up',
  'the size runs small and tight',
  'tight and small, wrong size',
];

beforeAll(async () => {
  stores = await openStores('memory');
  // Previous period (January): mostly size comments; current (February): delivery problems emerge.
  const rows: unknown[][] = [];
  let id = 0;
  const add = (day: string, comment: string) =>
    rows.push([`r${++id}`, `c${id}`, new Date(`${day}T10:00:00Z`), comment, 'test']);
  for (let i = 0; i < 30; i++)
    add(`2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, SIZE[i % SIZE.length]!);
  for (let i = 0; i < 2; i++) add('2024-01-15', DELIVERY[i]!);
  for (let i = 0; i < 24; i++)
    add(`2024-02-${String(1 + (i % 28)).padStart(2, '0')}`, DELIVERY[i % DELIVERY.length]!);
  for (let i = 0; i < 12; i++)
    add(`2024-02-${String(1 + (i % 28)).padStart(2, '0')}`, SIZE[i % SIZE.length]!);
  add('2024-02-10', '!!! 123');
  add('2024-02-11', '   ');
  await stores.warehouse.append(
    'feedback',
    ['response_id', 'customer_id', 'ts', 'comment', 'source_system'],
    rows,
  );
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2024-05-01T00:00:00Z') },
    config: { maxBodyBytes: 1024 * 1024 },
  });
});
afterAll(() => stores.close());

/** Polls a model until its background training is over (the worker thread takes a few seconds). */
async function untilTrained(modelId: string) {
  for (let i = 0; i < 600; i++) {
    const r = await call('GET', `/api/text/models/${modelId}`);
    if (r.body.status !== 'training') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`model ${modelId} still training after 60 s`);
}

async function call(method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
  };
}

describe('taxonomy API', () => {
  it('serves the default as version 1, stores an edit as version 2, and keeps version 1 readable', async () => {
    const v1 = await call('GET', '/api/text/taxonomy');
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ version: 1, stored: false });
    expect((v1.body.themes as unknown[]).length).toBe(text.DEFAULT_TAXONOMY.themes.length);

    const put = await call('PUT', '/api/text/taxonomy', {
      themes: [
        { id: 'delivery', label: 'Delivery', keywords: ['delivery', 'parcel'] },
        { id: 'fit', label: 'Fit', keywords: ['size', 'tight'] },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      version: 2,
      stored: true,
      createdBy: 'api',
      createdAt: '2024-05-01T00:00:00.000Z',
    });
    expect((await call('GET', '/api/text/taxonomy')).body.version).toBe(2);
    expect((await call('GET', '/api/text/taxonomy?version=1')).body.version).toBe(1);
    expect((await call('GET', '/api/text/taxonomy/versions')).body).toMatchObject([
      { version: 1 },
      { version: 2 },
    ]);
  });

  it('refuses an invalid taxonomy with 400 naming the field and keeps the current version', async () => {
    const r = await call('PUT', '/api/text/taxonomy', {
      themes: [{ id: 'x', label: 'X', keywords: [] }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'bad_input', details: { field: 'themes.0.keywords' } });
    expect((await call('PUT', '/api/text/taxonomy', '{not json')).status).toBe(400);
    expect((await call('GET', '/api/text/taxonomy')).body.version).toBe(2);
    expect((await call('GET', '/api/text/taxonomy?version=9')).status).toBe(404);
  });
});

describe('labels, training and classification API', () => {
  it('labels comments, trains with cross-validation, and classifies new comments', async () => {
    const items = [
      ...DELIVERY.map((t) => ({ text: t, label: 'delivery' })),
      ...SIZE.map((t) => ({ text: t, label: 'fit' })),
      ...DELIVERY.map((t) => ({ text: `${t}!`, label: 'delivery' })),
      ...SIZE.map((t) => ({ text: `${t}!`, label: 'fit' })),
    ];
    const l = await call('POST', '/api/text/labels', { task: 'topic', items, source: 'cockpit' });
    expect(l.body).toEqual({ task: 'topic', added: 24, replaced: 0, total: 24 });
    expect((await call('GET', '/api/text/labels?task=topic')).body).toEqual([
      { task: 'topic', label: 'delivery', n: 12 },
      { task: 'topic', label: 'fit', n: 12 },
    ]);

    const started = await call('POST', '/api/text/models', { task: 'topic', k: 3, C: 10 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ task: 'topic', status: 'training' });
    const m = await untilTrained(started.body.modelId as string);
    expect(m.body).toMatchObject({
      task: 'topic',
      status: 'ready',
      error: null,
      active: null,
      nExamples: 24,
      labels: ['delivery', 'fit'],
      metrics: { k: 3 },
    });
    const metrics = m.body.metrics as { accuracy: number; macroF1: number; foldAccuracy: number[] };
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect(metrics.macroF1).toBeGreaterThan(0.9);
    expect(metrics.foldAccuracy).toHaveLength(3);

    const c = await call('POST', '/api/text/classify', {
      task: 'topic',
      texts: ['the parcel is late', 'too tight, size up'],
    });
    expect(c.status).toBe(200);
    const results = c.body.results as { label: string; confidence: number }[];
    expect(results.map((r) => r.label)).toEqual(['delivery', 'fit']);
    expect(results[0]!.confidence).toBeGreaterThan(0.5);
    expect(c.body.modelId).toBe(m.body.modelId);
    expect((await call('GET', '/api/text/models?task=topic')).body).toMatchObject([
      { modelId: m.body.modelId },
    ]);
  });

  it('refuses bad requests with clear messages and stores nothing', async () => {
    const bad = await call('POST', '/api/text/labels', { task: 'topic', items: [{ text: 'x', label: '' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/^items\.0\.label/);
    expect((await call('POST', '/api/text/models', { task: 'nothing-here' })).body.error!.message).toBe(
      'field task: no labelled comments for task "nothing-here"',
    );
    await call('POST', '/api/text/labels', { task: 'one', items: [{ text: 'a', label: 'x' }] });
    expect((await call('POST', '/api/text/models', { task: 'one' })).body.error!.message).toMatch(
      /at least two different labels/,
    );
    expect((await call('POST', '/api/text/classify', { texts: ['x'] })).status).toBe(400);
    expect((await call('POST', '/api/text/classify', { texts: ['x'], task: 'unknown' })).status).toBe(404);
    expect((await call('GET', '/api/text/labels?task=topic')).body).toHaveLength(2);
  });
});

describe('GET /api/text/themes/clusters', () => {
  it('clusters the comments of the period with labels, sizes and example response ids', async () => {
    const r = await call('GET', '/api/text/themes/clusters?from=2024-02-01&to=2024-02-29&k=2');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ comments: 37, k: 2, unclustered: 1, truncated: false });
    const clusters = r.body.clusters as {
      label: string;
      size: number;
      examples: { responseId: string }[];
      trend: { emerging: boolean; changePoints: number } | null;
    }[];
    expect(clusters.map((c) => c.size)).toEqual([24, 12]);
    expect(clusters[0]!.label).toMatch(/delivery|parcel/);
    expect(clusters[1]!.label).toMatch(/size|small|tight/);
    expect(clusters[0]!.examples[0]!.responseId).toMatch(/^r\d+$/);
    // Delivery rose from 2 of 32 comments in January to 24 of 36: emerging. Size fell.
    expect(clusters[0]!.trend).toMatchObject({ emerging: true });
    expect(clusters[1]!.trend).toMatchObject({ emerging: false });
    expect(clusters[1]!.trend!.changePoints).toBeLessThan(0);
  });

  it('has no trend for an open period, and refuses a reversed period', async () => {
    const r = await call('GET', '/api/text/themes/clusters?k=2');
    expect(r.body.comments).toBe(69);
    expect((r.body.clusters as { trend: unknown }[])[0]!.trend).toBeNull();
    const bad = await call('GET', '/api/text/themes/clusters?from=2024-03-01&to=2024-02-01');
    expect(bad.status).toBe(400);
  });

  it('is documented in /api/openapi.json', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/text/taxonomy']!)).toEqual(['get', 'put']);
    for (const p of [
      '/api/text/labels',
      '/api/text/models',
      '/api/text/classify',
      '/api/text/themes/clusters',
    ])
      expect(doc.paths[p]).toBeDefined();
  });
});
