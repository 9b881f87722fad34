import {
  AppError,
  ConformanceRequestSchema,
  ConformanceResultSchema,
  FunnelDropOffRequestSchema,
  FunnelDropOffSchema,
  FunnelRequestSchema,
  FunnelResultSchema,
  PathsRequestSchema,
  PathsResultSchema,
} from '@cx/core';
import type { Context } from 'hono';
import { conformance } from '../../queries/journeys/conformance.ts';
import { funnel, funnelDropOffCases } from '../../queries/journeys/funnel.ts';
import type { JourneyOptions } from '../../queries/journeys/options.ts';
import { paths } from '../../queries/journeys/paths.ts';
import type { AppEnv, RouteRegistrar } from '../app.ts';

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('bad_input', `The body is not valid JSON: ${(e as Error).message}`, { field: 'body' });
  }
}

/** Splits a request into the analysis' own fields and the journey context every analysis shares. */
function split<T extends { scope?: unknown; filter?: unknown; caseNotion?: unknown }>(req: T) {
  const { scope, filter, caseNotion, ...spec } = req;
  const opts: JourneyOptions = {
    filter: filter as JourneyOptions['filter'],
    caseNotion: caseNotion as JourneyOptions['caseNotion'],
  };
  return { scope: (scope ?? {}) as NonNullable<typeof scope>, opts, spec };
}

/**
 * Funnels, paths and conformance (issue 4 §3–5) for the journey cockpit. Bodies are the analysis'
 * fields plus `scope`, `filter` and `caseNotion` as in POST /api/journeys/map. The request's scope is
 * the data scope for now; the role's restrictions will be intersected here when roles arrive.
 */
export const registerJourneyAnalysisRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'post',
    path: '/api/journeys/funnel',
    summary:
      'Funnel over ordered steps (strict / ordered / any-order) within a conversion window: cases per step, conversion, drop-off, median and P90 times, optional breakdown',
    tags: ['journeys'],
    body: FunnelRequestSchema,
    response: FunnelResultSchema,
  });
  app.post('/api/journeys/funnel', async (c) => {
    const { scope, opts, spec } = split(FunnelRequestSchema.parse(await jsonBody(c)));
    return c.json(FunnelResultSchema.parse(await funnel(deps.warehouse, scope, opts, spec)));
  });

  api.add({
    method: 'post',
    path: '/api/journeys/funnel/drop-off',
    summary:
      'The cases behind a funnel drop-off: reached steps[stepIndex] but not the next step, latest first',
    tags: ['journeys'],
    body: FunnelDropOffRequestSchema,
    response: FunnelDropOffSchema,
  });
  app.post('/api/journeys/funnel/drop-off', async (c) => {
    const { scope, opts, spec } = split(FunnelDropOffRequestSchema.parse(await jsonBody(c)));
    const { stepIndex, limit, ...funnelSpec } = spec;
    const r = await funnelDropOffCases(deps.warehouse, scope, opts, funnelSpec, stepIndex, limit);
    return c.json(FunnelDropOffSchema.parse(r));
  });

  api.add({
    method: 'post',
    path: '/api/journeys/paths',
    summary:
      'Paths after or before an anchor activity: top paths with % of cases and customers, and a Sankey',
    tags: ['journeys'],
    body: PathsRequestSchema,
    response: PathsResultSchema,
  });
  app.post('/api/journeys/paths', async (c) => {
    const { scope, opts, spec } = split(PathsRequestSchema.parse(await jsonBody(c)));
    return c.json(PathsResultSchema.parse(await paths(deps.warehouse, scope, opts, spec)));
  });

  api.add({
    method: 'post',
    path: '/api/journeys/conformance',
    summary:
      'Conformance with a designed journey: share of conforming cases and the deviations with their counts and cost in time',
    tags: ['journeys'],
    body: ConformanceRequestSchema,
    response: ConformanceResultSchema,
  });
  app.post('/api/journeys/conformance', async (c) => {
    const { scope, opts, spec } = split(ConformanceRequestSchema.parse(await jsonBody(c)));
    return c.json(ConformanceResultSchema.parse(await conformance(deps.warehouse, scope, opts, spec)));
  });
};
