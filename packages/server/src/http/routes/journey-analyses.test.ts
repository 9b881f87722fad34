import type { ConformanceResult, FunnelDropOff, FunnelResult, PathsResult } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';
import { appendFixtureEvents, postTo } from './journey-fixture.ts';

/** The fixture's four cases are drawn in journey-fixture.ts. */
let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  await appendFixtureEvents(stores.warehouse);
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2024-05-01T00:00:00Z') },
    config: { maxBodyBytes: 1024 * 1024 },
  });
});
afterAll(() => stores.close());

const post = <T>(path: string, body: unknown) => postTo<T>(app, path, body);

const FUNNEL = { steps: ['a', 'b', 'c'], windowSeconds: 3600, mode: 'ordered' };

describe('POST /api/journeys/funnel', () => {
  it('returns cases per step, drop-off and times', async () => {
    const r = await post<FunnelResult>('/api/journeys/funnel', FUNNEL);
    expect(r.status).toBe(200);
    expect(r.body.totalCases).toBe(4);
    expect(r.body.steps.map((s) => [s.cases, s.customers, s.dropOff])).toEqual([
      [4, 2, 1],
      [3, 2, 0],
      [3, 2, 0],
    ]);
    // a→b: 60, 120, 10; b→c: 120, 120, 40 (k4 from its first b); a→c: 180, 240, 50.
    expect(r.body.steps[1]!.medianSecondsFromPrevious).toBe(60);
    expect(r.body.steps[2]!.medianSecondsFromPrevious).toBe(120);
    expect(r.body.medianSecondsToConvert).toBe(180);
  });

  it('applies scope, filter and breakdown', async () => {
    const scoped = await post<FunnelResult>('/api/journeys/funnel', {
      ...FUNNEL,
      scope: { channels: ['call_centre'] },
    });
    expect(scoped.body.steps.map((s) => s.cases)).toEqual([2, 1, 1]);
    const filtered = await post<FunnelResult>('/api/journeys/funnel', {
      ...FUNNEL,
      filter: { attributes: [{ field: 'channel', values: ['web'] }] },
    });
    expect(filtered.body.steps.map((s) => s.cases)).toEqual([2, 2, 2]);
    const bd = await post<FunnelResult>('/api/journeys/funnel', { ...FUNNEL, breakdownBy: 'channel' });
    expect(bd.body.breakdown?.map((b) => [b.value, b.steps.map((s) => s.cases)])).toEqual([
      ['call_centre', [2, 1, 1]],
      ['web', [2, 2, 2]],
    ]);
  });

  it('rejects bad specs with 400 naming the field', async () => {
    const one = await post<{ error: { code: string; message: string } }>('/api/journeys/funnel', {
      steps: ['a'],
    });
    expect(one.status).toBe(400);
    expect(one.body.error.message).toContain('steps');
    const mode = await post<{ error: { message: string } }>('/api/journeys/funnel', {
      ...FUNNEL,
      mode: 'sometimes',
    });
    expect(mode.status).toBe(400);
    expect(mode.body.error.message).toContain('mode');
    const extra = await post<{ error: { message: string } }>('/api/journeys/funnel', {
      ...FUNNEL,
      window: 3,
    });
    expect(extra.status).toBe(400);
    const json = await post<{ error: { message: string } }>('/api/journeys/funnel', '{"steps": [');
    expect(json.status).toBe(400);
    expect(json.body.error.message).toContain('JSON');
  });
});

describe('POST /api/journeys/funnel/drop-off', () => {
  it('lists the cases that reached a step but not the next', async () => {
    const r = await post<FunnelDropOff>('/api/journeys/funnel/drop-off', { ...FUNNEL, stepIndex: 0 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      stepIndex: 0,
      total: 1,
      cases: [{ caseId: 'k3', customerId: 'B', reachedAt: '2024-01-01T00:00:00.000Z' }],
    });
    const last = await post<{ error: { message: string } }>('/api/journeys/funnel/drop-off', {
      ...FUNNEL,
      stepIndex: 2,
    });
    expect(last.status).toBe(400);
    expect(last.body.error.message).toContain('stepIndex');
  });
});

describe('POST /api/journeys/paths', () => {
  it('returns the top paths after an anchor with % of customers and a Sankey', async () => {
    const r = await post<PathsResult>('/api/journeys/paths', { anchor: 'b', direction: 'after', depth: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cases: 3, customers: 2, distinctPaths: 2 });
    expect(r.body.paths).toEqual([
      { activities: ['b', 'c'], cases: 2, customers: 1, shareOfCases: 2 / 3, shareOfCustomers: 1 / 2 },
      { activities: ['b', 'b', 'c'], cases: 1, customers: 1, shareOfCases: 1 / 3, shareOfCustomers: 1 / 2 },
    ]);
    expect(r.body.sankey.links).toEqual([
      { source: '0 b', target: '+1 c', value: 2 },
      { source: '0 b', target: '+1 b', value: 1 },
      { source: '+1 b', target: '+2 c', value: 1 },
    ]);
  });

  it('rejects a depth beyond 5', async () => {
    const r = await post<{ error: { message: string } }>('/api/journeys/paths', { anchor: 'b', depth: 6 });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('depth');
  });
});

describe('POST /api/journeys/conformance', () => {
  const MODEL = {
    startActivities: ['a'],
    endActivities: ['c'],
    transitions: [
      { from: 'a', to: 'b', maxSeconds: 100 },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
    ],
  };

  it('returns the share of conforming cases and the deviations', async () => {
    const r = await post<ConformanceResult>('/api/journeys/conformance', MODEL);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cases: 4, conformingCases: 2, share: 0.5 });
    expect(r.body.deviations).toEqual([
      {
        kind: 'disallowed-transition',
        from: 'b',
        to: 'b',
        cases: 1,
        occurrences: 1,
        extraSeconds: 10,
        meanCaseSeconds: 50,
      },
      {
        kind: 'too-slow',
        from: 'a',
        to: 'b',
        cases: 1,
        occurrences: 1,
        extraSeconds: 20,
        meanCaseSeconds: 240,
      },
    ]);
  });

  it('rejects a model that repeats a transition, naming it', async () => {
    const r = await post<{ error: { message: string } }>('/api/journeys/conformance', {
      ...MODEL,
      transitions: [...MODEL.transitions, { from: 'b', to: 'c' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('transitions[3]');
  });
});

describe('OpenAPI', () => {
  it('documents the four routes with their bodies', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { post?: { requestBody?: unknown } }>;
    };
    for (const p of [
      '/api/journeys/funnel',
      '/api/journeys/funnel/drop-off',
      '/api/journeys/paths',
      '/api/journeys/conformance',
    ])
      expect(doc.paths[p]?.post?.requestBody).toBeDefined();
  });
});
