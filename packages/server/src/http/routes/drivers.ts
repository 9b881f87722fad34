import {
  DriverLinkSchema,
  DriverNodeRequestSchema,
  DriverWhatIfRequestSchema,
  DriverWhatIfSchema,
  MetricsTreeSchema,
  MetricsTreeVersionSchema,
  SaveMetricsTreeSchema,
  StoredMetricsTreeSchema,
} from '@cx/core';
import { z } from 'zod';
import { driverNode, driverWhatIf } from '../../drivers/service.ts';
import { getMetricsTree, listMetricsTreeVersions, saveMetricsTree } from '../../drivers/tree-store.ts';
import type { RouteRegistrar } from '../app.ts';
import { readJsonBody } from './batch.ts';

/**
 * The metrics tree and its driver analyses (issue 6 §1): the versioned tree, one link's weights
 * with intervals, quadrant and performance, and what-ifs carried up to the root. The request's scope
 * is the data scope for now (as on the journey routes); roles will intersect it here.
 */
const VersionQuery = z.object({
  version: z.coerce.number().int().min(0).optional().describe('0 = the built-in default; latest when absent'),
});

export const registerDriverRoutes: RouteRegistrar = (app, deps, api) => {
  const tags = ['drivers'];
  const limit = deps.config.maxBodyBytes;

  api.add({
    method: 'get',
    path: '/api/drivers/tree',
    summary:
      'The metrics tree: the latest saved version (the built-in default, version 0, until one is saved)',
    tags,
    query: VersionQuery,
    response: StoredMetricsTreeSchema,
  });
  app.get('/api/drivers/tree', async (c) => {
    const q = VersionQuery.strict().parse(c.req.query());
    return c.json(await getMetricsTree(deps.appStore, q.version));
  });

  api.add({
    method: 'put',
    path: '/api/drivers/tree',
    summary:
      'Save a metrics tree as the next version (validated as a whole: unknown child ids, cycles, ' +
      'unknown measures are refused with the node and field named; nothing is stored then)',
    tags,
    body: SaveMetricsTreeSchema.extend({ tree: MetricsTreeSchema }),
    response: StoredMetricsTreeSchema,
  });
  app.put('/api/drivers/tree', async (c) => {
    const raw = await readJsonBody(c, limit);
    // A bare tree ({root, nodes}) is accepted too: it is what GET …/tree returns under `tree`.
    const wrapped =
      typeof raw === 'object' && raw !== null && 'nodes' in raw && !('tree' in raw) ? { tree: raw } : raw;
    const body = SaveMetricsTreeSchema.parse(wrapped);
    const saved = await saveMetricsTree(deps.appStore, body.tree, {
      actor: body.author ?? 'api',
      now: deps.clock.now(),
      comment: body.comment,
    });
    return c.json(saved);
  });

  api.add({
    method: 'get',
    path: '/api/drivers/tree/versions',
    summary: 'Every saved version of the metrics tree, newest first',
    tags,
    response: z.array(MetricsTreeVersionSchema),
  });
  app.get('/api/drivers/tree/versions', async (c) => c.json(await listMetricsTreeVersions(deps.appStore)));

  api.add({
    method: 'post',
    path: '/api/drivers/node',
    summary:
      "One link of the tree: the node's children as drivers — relative weights with bootstrap 95 % " +
      'intervals (or impact for journeys/touchpoints), correlation, VIF, coefficient, performance, quadrant',
    tags,
    body: DriverNodeRequestSchema,
    response: DriverLinkSchema,
  });
  app.post('/api/drivers/node', async (c) => c.json(await driverNode(deps, await readJsonBody(c, limit))));

  api.add({
    method: 'post',
    path: '/api/drivers/what-if',
    summary:
      'Expected change of a node if one child improves by delta, carried up to the root (linear approximation)',
    tags,
    body: DriverWhatIfRequestSchema,
    response: DriverWhatIfSchema,
  });
  app.post('/api/drivers/what-if', async (c) =>
    c.json(await driverWhatIf(deps, await readJsonBody(c, limit))),
  );
};
