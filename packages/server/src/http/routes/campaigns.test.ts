import { CampaignDidSchema, CampaignsSchema, NOT_IDENTIFIED } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from './demo-app-fixture.ts';

const demo = useDemoApp({ customers: 600, seed: 5 });
const get = demo.get;

describe('GET /api/campaigns', () => {
  it('lists the three demo campaigns with lift for the randomised ones and "not identified" for the sponsoring', async () => {
    const { status, body } = await get('/api/campaigns');
    expect(status).toBe(200);
    const r = CampaignsSchema.parse(body);
    expect(r.conversion).toEqual({ activity: 'Order placed', journey: 'upgrade' });
    expect(r.campaigns.map((c) => c.campaignId).sort()).toEqual([
      'CMP-5G-UPGRADE',
      'CMP-FOOTBALL-SPONSOR',
      'CMP-TV-BUNDLE',
    ]);
    const sp = r.campaigns.find((c) => c.campaignId === 'CMP-FOOTBALL-SPONSOR')!;
    expect(sp.lift).toBeNull();
    expect(sp.liftReason).toBe(NOT_IDENTIFIED);
    const g5 = r.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!;
    expect(g5.lift!.estimate).toBeGreaterThan(0);
  });

  it('takes the value per conversion and the conversion event as parameters', async () => {
    const r = CampaignsSchema.parse(
      (await get('/api/campaigns?valuePerConversion=250&conversionActivity=Order%20placed')).body,
    );
    const g5 = r.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!;
    expect(g5.valuePerConversion).toMatchObject({ value: 250, source: 'request' });
    const bad = await get('/api/campaigns?valuePerConversion=-3');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/valuePerConversion/);
  });
});

describe('GET /api/campaigns/:id/did', () => {
  it('estimates a difference-in-differences for the sponsoring against the other regions', async () => {
    const none = CampaignDidSchema.parse((await get('/api/campaigns/CMP-FOOTBALL-SPONSOR/did')).body);
    expect(none.lift).toBeNull();
    expect(none.liftReason).toBe(NOT_IDENTIFIED);
    const r = CampaignDidSchema.parse(
      (await get('/api/campaigns/CMP-FOOTBALL-SPONSOR/did?exposedRegions=north,south&metric=nps')).body,
    );
    expect(r.exposedRegions).toEqual(['north', 'south']);
    expect(r.comparisonRegions).toEqual(['central', 'east', 'west']);
    expect(r.lift).not.toBeNull();
    expect(r.unit).toBe('nps_points');
  });

  it('refuses an unknown campaign and an unknown region with a 400 naming them', async () => {
    const a = await get('/api/campaigns/NOPE/did?exposedRegions=north');
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/NOPE/);
    const b = await get('/api/campaigns/CMP-FOOTBALL-SPONSOR/did?exposedRegions=mars');
    expect(b.status).toBe(400);
    expect(b.body.error.message).toMatch(/mars/);
  });
});
