import { CampaignDidQuerySchema, CampaignDidSchema, CampaignsQuerySchema, CampaignsSchema } from '@cx/core';
import { campaignDid } from '../../queries/campaigns/campaign-did.ts';
import { type ConversionOptions, campaignResults } from '../../queries/campaigns/campaign-results.ts';
import type { RouteRegistrar } from '../app.ts';
import { list, scopeAndPeriod } from './scope-query.ts';

const conversion = (q: {
  conversionActivity?: string | undefined;
  conversionJourney?: string | undefined;
  valuePerConversion?: number | undefined;
}): ConversionOptions => ({
  ...(q.conversionActivity === undefined ? {} : { conversionActivity: q.conversionActivity }),
  ...(q.conversionJourney === undefined ? {} : { conversionJourney: q.conversionJourney }),
  ...(q.valuePerConversion === undefined ? {} : { valuePerConversion: q.valuePerConversion }),
});

/** Campaigns (issue 6 §5): incremental lift from holdouts or difference-in-differences, ROI with interval. */
export const registerCampaignRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/campaigns',
    summary:
      'Per campaign: spend, reach, touches, conversions of treatment and holdout, incremental lift with 95 % interval and z test, incremental conversions and margin, ROI with interval, effect on NPS and on journeys; campaigns without a holdout get lift null and the reason',
    tags: ['campaigns'],
    query: CampaignsQuerySchema,
    response: CampaignsSchema,
  });
  app.get('/api/campaigns', async (c) => {
    const q = CampaignsQuerySchema.parse(c.req.query());
    const { scope } = scopeAndPeriod(q);
    return c.json(CampaignsSchema.parse(await campaignResults(deps.warehouse, scope, conversion(q))));
  });

  api.add({
    method: 'get',
    path: '/api/campaigns/:id/did',
    summary:
      'Difference-in-differences for a campaign without a holdout: exposed regions vs comparison regions, during the campaign vs the same number of days before, on conversion or NPS; estimate with 95 % interval; without exposed regions lift is null with the reason',
    tags: ['campaigns'],
    query: CampaignDidQuerySchema,
    response: CampaignDidSchema,
  });
  app.get('/api/campaigns/:id/did', async (c) => {
    const q = CampaignDidQuerySchema.parse(c.req.query());
    const { scope } = scopeAndPeriod(q);
    const exposed = list(q.exposedRegions);
    const comparison = list(q.comparisonRegions);
    const r = await campaignDid(deps.warehouse, scope, c.req.param('id'), {
      ...conversion(q),
      ...(exposed ? { exposedRegions: exposed } : {}),
      ...(comparison ? { comparisonRegions: comparison } : {}),
      ...(q.metric === undefined ? {} : { metric: q.metric }),
    });
    return c.json(CampaignDidSchema.parse(r));
  });
};
