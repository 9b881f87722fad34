import type { DriverLinkChild, MetricsNode, MetricsTree } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { defaultMetricsTree } from '../../drivers/default-tree.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stores = await openStores('memory');
  await seedDemo(stores.warehouse, { customers: 2000, seed: 7 });
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2026-07-01T08:00:00Z') },
    config: { maxBodyBytes: 1024 * 1024 },
  });
}, 120_000);
afterAll(() => stores.close());

// biome-ignore lint/suspicious/noExplicitAny: test helper over JSON of several shapes
type Json = any;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, json: await res.json() };
}

describe('metrics tree routes', () => {
  it('serves the built-in default as version 0 until a tree is saved', async () => {
    const r = await call('GET', '/api/drivers/tree');
    expect(r.status).toBe(200);
    expect(r.json.version).toBe(0);
    expect(r.json.tree.root).toBe('nps');
    expect(
      r.json.tree.nodes.find((n: { id: string }) => n.id === 'billing_question/hotline/speed/wait_minutes'),
    ).toMatchObject({ kind: 'kpi', measure: 'kpi:wait_minutes', direction: 'lower_is_better' });
    expect((await call('GET', '/api/drivers/tree/versions')).json).toEqual([]);
  });

  it.each([
    [
      'an unknown child id',
      (t: MetricsTree) => {
        t.nodes[1]!.children.push('nowhere');
      },
      /node "billing_question": unknown child id "nowhere"/,
      /^tree\.nodes\.1\.children\.\d+$/,
    ],
    [
      'a cycle',
      (t: MetricsTree) => {
        const byId = (id: string) => t.nodes.find((n: MetricsNode) => n.id === id)!;
        byId('complaint/written/ease').children.push('complaint');
        byId('nps').children = byId('nps').children.filter((c) => c !== 'complaint');
      },
      /complaint.*cycle|cycle.*complaint/,
      /^tree\.nodes\.\d+/,
    ],
    [
      'an unknown measure',
      (t: MetricsTree) => {
        t.nodes[2]!.measure = 'kpi:coffee';
      },
      /node "billing_question\/hotline": unknown measure/,
      /^tree\.nodes\.2\.measure$/,
    ],
  ])('refuses %s with 400 naming node and field, and stores nothing', async (_, edit, message, field) => {
    const tree = structuredClone(defaultMetricsTree());
    edit(tree);
    const r = await call('PUT', '/api/drivers/tree', { tree });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('bad_input');
    expect(r.json.error.message).toMatch(message);
    expect(r.json.error.details.field).toMatch(field);
    expect((await call('GET', '/api/drivers/tree/versions')).json).toEqual([]);
    expect((await call('GET', '/api/drivers/tree')).json.version).toBe(0);
  });

  it('saves every edit as a new version with author and time; the latest is served, old ones stay', async () => {
    const tree = structuredClone(defaultMetricsTree());
    tree.nodes.find((n) => n.id === 'nps')!.label = 'Net Promoter Score';
    const first = await call('PUT', '/api/drivers/tree', { tree, author: 'ana', comment: 'rename root' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ version: 1, createdBy: 'ana', createdAt: '2026-07-01T08:00:00.000Z' });
    tree.nodes.find((n) => n.id === 'nps')!.children.pop(); // drop complaint …
    tree.nodes = tree.nodes.filter((n) => !n.id.startsWith('complaint')); // … and its subtree
    const second = await call('PUT', '/api/drivers/tree', tree); // a bare tree is accepted too
    expect(second.json.version).toBe(2);
    const versions = (await call('GET', '/api/drivers/tree/versions')).json;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ createdBy: 'ana', comment: 'rename root' });
    expect(
      (await call('GET', '/api/drivers/tree')).json.tree.nodes.some((n: MetricsNode) => n.id === 'complaint'),
    ).toBe(false);
    expect((await call('GET', '/api/drivers/tree?version=1')).json.tree.nodes[0].label).toBe(
      'Net Promoter Score',
    );
    expect((await call('GET', '/api/drivers/tree?version=9')).status).toBe(404);
  });

  it('POST /api/drivers/node: weights with intervals, quadrant and performance, answered from cache the second time', async () => {
    const body = { nodeId: 'billing_question/hotline/speed', resamples: 500 };
    const r = await call('POST', '/api/drivers/node', body);
    expect(r.status).toBe(200);
    expect(r.json.method).toBe('relative_weights');
    expect(r.json.version).toBe(2);
    const top = r.json.children.toSorted((a: DriverLinkChild, b: DriverLinkChild) => b.share - a.share)[0];
    expect(top.id).toBe('billing_question/hotline/speed/wait_minutes');
    for (const c of r.json.children.filter((x: DriverLinkChild) => x.included)) {
      expect(c.ci.low).toBeLessThanOrEqual(c.raw);
      expect(c.quadrant).toMatch(/keep_up|concentrate_here|low_priority|possible_overkill/);
    }
    expect(r.json.path.map((p: { id: string }) => p.id)).toEqual([
      'nps',
      'billing_question',
      'billing_question/hotline',
      body.nodeId,
    ]);
    const again = await call('POST', '/api/drivers/node', body);
    expect(again.json).toEqual(r.json); // same object, same ms: from the cache
    // A period and a segment narrow the responses.
    const narrow = await call('POST', '/api/drivers/node', {
      ...body,
      filters: { from: '2026-01-01', to: '2026-02-28', segments: ['consumer'] },
    });
    expect(narrow.json.n).toBeGreaterThan(10);
    expect(narrow.json.n).toBeLessThan(r.json.n);
  });

  it('POST /api/drivers/what-if carries a change to the root', async () => {
    const r = await call('POST', '/api/drivers/what-if', {
      nodeId: 'billing_question/hotline',
      childId: 'billing_question/hotline/speed',
      delta: 0.5,
    });
    expect(r.status).toBe(200);
    expect(r.json.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual([
      'billing_question/hotline',
      'billing_question',
      'nps',
    ]);
    expect(r.json.steps[2].change).toBeGreaterThan(0);
  });

  it('names the problem in bad requests', async () => {
    const unknown = await call('POST', '/api/drivers/node', { nodeId: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/nope/);
    const badField = await call('POST', '/api/drivers/node', { nodeId: 'nps', resamples: -1 });
    expect(badField.status).toBe(400);
    expect(badField.json.error.details.field).toBe('resamples');
    const notChild = await call('POST', '/api/drivers/what-if', {
      nodeId: 'nps',
      childId: 'upgrade/shop',
      delta: 1,
    });
    expect(notChild.status).toBe(400);
    expect(notChild.json.error.details.field).toBe('childId');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await call('GET', '/api/openapi.json')).json;
    for (const p of [
      '/api/drivers/tree',
      '/api/drivers/tree/versions',
      '/api/drivers/node',
      '/api/drivers/what-if',
    ])
      expect(doc.paths[p], p).toBeDefined();
  });
});
