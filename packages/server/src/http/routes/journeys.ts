import {
  AppError,
  JourneyAttributesSchema,
  JourneyMapRequestSchema,
  JourneyMapSchema,
  OverviewQuerySchema,
  VariantsPageSchema,
  VariantsRequestSchema,
} from '@cx/core';
import type { Context } from 'hono';
import { journeyAttributes } from '../../queries/journeys/journey-attributes.ts';
import { journeyMap } from '../../queries/journeys/journey-map.ts';
import { variantStats } from '../../queries/journeys/variant-stats.ts';
import type { Warehouse } from '../../warehouse/port.ts';
import type { AppEnv, RouteRegistrar } from '../app.ts';
import { scopeOf } from './scope-query.ts';

/** Journey requests are small JSON documents; an empty body means "everything, unfiltered". */
async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('bad_input', `The body is not valid JSON: ${(e as Error).message}`, { field: 'body' });
  }
}

/**
 * Recent answers per warehouse, valid while its write count is unchanged: going back to a view or
 * removing a filter chip answers from memory, and any write (a load, a batch, an undo, an index
 * rebuild) drops them all.
 */
const CACHE_SIZE = 64;
const caches = new WeakMap<Warehouse, { writeCount: number; entries: Map<string, unknown> }>();

async function memo<T>(wh: Warehouse, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(wh);
  if (!cache || cache.writeCount !== wh.writeCount) {
    cache = { writeCount: wh.writeCount, entries: new Map() };
    caches.set(wh, cache);
  }
  if (cache.entries.has(key)) {
    const hit = cache.entries.get(key) as T;
    cache.entries.delete(key); // most recently used goes last
    cache.entries.set(key, hit);
    return hit;
  }
  const writeCount = wh.writeCount;
  const value = await compute();
  // A write during the query may or may not be in the answer: do not keep it.
  if (wh.writeCount === writeCount) {
    cache.entries.set(key, value);
    if (cache.entries.size > CACHE_SIZE) cache.entries.delete(cache.entries.keys().next().value!);
  }
  return value;
}

const ScopeQuerySchema = OverviewQuerySchema.pick({
  regions: true,
  segments: true,
  journeys: true,
  channels: true,
});

/**
 * The journey cockpit's routes (issue 4 §6). The request's scope is the data scope for now; when
 * users and roles arrive, the role's restrictions are intersected here, before any query runs.
 */
export const registerJourneyRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'post',
    path: '/api/journeys/map',
    summary: 'Process map: events, cases, variants, activities, start/end activities, DFG with edge times',
    tags: ['journeys'],
    body: JourneyMapRequestSchema,
    response: JourneyMapSchema,
  });
  app.post('/api/journeys/map', async (c) => {
    const req = JourneyMapRequestSchema.parse(await jsonBody(c));
    const map = await memo(deps.warehouse, `map ${JSON.stringify(req)}`, async () =>
      JourneyMapSchema.parse(
        await journeyMap(
          deps.warehouse,
          req.scope ?? {},
          { filter: req.filter, caseNotion: req.caseNotion },
          { maxActivities: req.maxActivities },
        ),
      ),
    );
    return c.json(map);
  });

  api.add({
    method: 'post',
    path: '/api/journeys/variants',
    summary: 'Variants, most frequent first: count, share, cumulative share, mean and median case duration',
    tags: ['journeys'],
    body: VariantsRequestSchema,
    response: VariantsPageSchema,
  });
  app.post('/api/journeys/variants', async (c) => {
    const req = VariantsRequestSchema.parse(await jsonBody(c));
    const page = await memo(deps.warehouse, `variants ${JSON.stringify(req)}`, async () =>
      VariantsPageSchema.parse(
        await variantStats(deps.warehouse, req.scope ?? {}, {
          filter: req.filter,
          caseNotion: req.caseNotion,
          limit: req.limit,
          offset: req.offset,
        }),
      ),
    );
    return c.json(page);
  });

  api.add({
    method: 'get',
    path: '/api/journeys/attributes',
    summary: 'Channels, journeys, segments and regions for filter pickers, most frequent first',
    tags: ['journeys'],
    query: ScopeQuerySchema,
    response: JourneyAttributesSchema,
  });
  app.get('/api/journeys/attributes', async (c) => {
    const q = ScopeQuerySchema.strict().parse(c.req.query());
    return c.json(JourneyAttributesSchema.parse(await journeyAttributes(deps.warehouse, scopeOf(q))));
  });
};
