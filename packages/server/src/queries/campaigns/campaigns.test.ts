import { AppError, NOT_IDENTIFIED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { openStores, type Stores } from '../../stores.ts';
import { campaignDid } from './campaign-did.ts';
import { campaignResults } from './campaign-results.ts';

/**
 * Campaign lift, ROI and DiD on the demo company: the 5G campaign has a real lift, the TV bundle
 * none, the sponsoring has no holdout (docs/demo-data.md "Campaigns").
 */
let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await seedDemo(s.warehouse, { customers: 2000, seed: 42 });
}, 120_000);
afterAll(async () => s?.close());

describe('campaignResults', () => {
  it('finds a significant positive lift for 5G, none for the TV bundle, and no identified effect for the sponsoring', async () => {
    const r = await campaignResults(s.warehouse, {});
    const by = Object.fromEntries(r.campaigns.map((c) => [c.campaignId, c]));
    const g5 = by['CMP-5G-UPGRADE']!;
    expect(g5.design).toBe('holdout');
    expect(g5.lift!.ci95[0]).toBeGreaterThan(0);
    expect(g5.lift!.significant).toBe(true);
    expect(g5.lift!.z!).toBeGreaterThan(3);
    const tv = by['CMP-TV-BUNDLE']!;
    expect(tv.lift!.ci95[0]).toBeLessThan(0);
    expect(tv.lift!.ci95[1]).toBeGreaterThan(0);
    expect(tv.lift!.significant).toBe(false);
    const sp = by['CMP-FOOTBALL-SPONSOR']!;
    expect(sp.design).toBe('none');
    expect(sp.lift).toBeNull();
    expect(sp.liftReason).toBe(NOT_IDENTIFIED);
    expect(sp.roi).toBeNull();
    expect(sp.spend).toBeGreaterThan(0);
  });

  it('counts arms, conversions and touches like plain SQL, and derives lift, incremental conversions and ROI from them', async () => {
    const r = await campaignResults(s.warehouse, {}, { valuePerConversion: 300 });
    const g5 = r.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!;
    const rows = await s.warehouse.all<{ grp: string; n: number; conv: number }>(
      `with a as (select e.customer_id, e.properties->>'group' as grp from events e
                  where e.activity = 'Campaign assigned' and (e.properties->>'campaign_id') = 'CMP-5G-UPGRADE')
       select grp, count(*) as n, count(*) filter (where exists (select 1 from events u where u.customer_id = a.customer_id
                and u.journey = 'upgrade' and u.activity = 'Order placed'
                and u.ts >= '2025-10-01' and u.ts < '2025-12-01')) as conv from a group by 1`,
    );
    const t = rows.find((x) => x.grp === 'treatment')!;
    const h = rows.find((x) => x.grp === 'holdout')!;
    expect(g5.treatment).toMatchObject({ customers: t.n, conversions: t.conv });
    expect(g5.holdout).toMatchObject({ customers: h.n, conversions: h.conv });
    expect(g5.reach).toBe(t.n + h.n);
    const lift = t.conv / t.n - h.conv / h.n;
    expect(g5.lift!.estimate).toBeCloseTo(lift, 12);
    expect(g5.incrementalConversions!.estimate).toBeCloseTo(lift * t.n, 9);
    expect(g5.valuePerConversion).toMatchObject({ value: 300, source: 'request' });
    expect(g5.incrementalMargin!.estimate).toBeCloseTo(lift * t.n * 300, 6);
    expect(g5.roi!.estimate).toBeCloseTo((lift * t.n * 300 - g5.spend!) / g5.spend!, 9);
    expect(g5.roi!.ci95[0]).toBeLessThan(g5.roi!.estimate);
    expect(g5.roi!.ci95[1]).toBeGreaterThan(g5.roi!.estimate);
    const sent = g5.touches.find((x) => x.activity === 'Campaign message sent')!;
    expect(sent.count).toBe(t.n);
    // More upgrade journeys start among the treated.
    expect(g5.journeyEffect!.estimate).toBeGreaterThan(0);
    expect(g5.treatment!.nps.n).toBeGreaterThan(0);
  });

  it('measures a value per conversion from outcomes when none is given, and takes the conversion event as a parameter', async () => {
    const r = await campaignResults(s.warehouse, {});
    const g5 = r.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!;
    expect(g5.valuePerConversion!.source).toBe('outcomes');
    // A converter holds one more product: its monthly margin rises by roughly one product's list price.
    expect(g5.valuePerConversion!.value).toBeGreaterThan(12 * 3);
    expect(g5.valuePerConversion!.value).toBeLessThan(12 * 60);
    expect(g5.roi).not.toBeNull();
    const other = await campaignResults(s.warehouse, {}, { conversionActivity: 'Device delivered' });
    expect(other.conversion.activity).toBe('Device delivered');
    const o5 = other.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!;
    expect(o5.treatment!.conversions).toBeLessThanOrEqual(g5.treatment!.conversions);
    const none = await campaignResults(s.warehouse, {}, { conversionActivity: 'No such activity' });
    expect(none.campaigns.find((c) => c.campaignId === 'CMP-5G-UPGRADE')!.lift!.z).toBeNull();
  });

  it('restricts reach to the scope', async () => {
    const all = await campaignResults(s.warehouse, {});
    const north = await campaignResults(s.warehouse, { regions: ['north'] });
    const reach = (x: typeof all) => x.campaigns.find((c) => c.campaignId === 'CMP-TV-BUNDLE')!.reach!;
    expect(reach(north)).toBeGreaterThan(0);
    expect(reach(north)).toBeLessThan(reach(all));
  });
});

describe('campaignDid', () => {
  it('returns "not identified" without a comparison group', async () => {
    const r = await campaignDid(s.warehouse, {}, 'CMP-FOOTBALL-SPONSOR', {});
    expect(r.lift).toBeNull();
    expect(r.liftReason).toBe(NOT_IDENTIFIED);
    expect(r.windows).toEqual({
      before: { from: '2025-03-01', to: '2025-05-31' },
      during: { from: '2025-06-01', to: '2025-08-31' },
    });
  });

  it('estimates DiD = (T_during − T_before) − (C_during − C_before) from the cells; the sponsoring shows no effect', async () => {
    const r = await campaignDid(s.warehouse, {}, 'CMP-FOOTBALL-SPONSOR', { exposedRegions: ['north'] });
    const c = r.cells!;
    expect(r.comparisonRegions).toEqual(['central', 'east', 'south', 'west']);
    expect(r.lift!.estimate).toBeCloseTo(
      c.treatedAfter.value - c.treatedBefore.value - (c.comparisonAfter.value - c.comparisonBefore.value),
      12,
    );
    expect(r.lift!.ci95[0]).toBeLessThan(0);
    expect(r.lift!.ci95[1]).toBeGreaterThan(0);
    expect(r.roi).toBeNull();
    const nps = await campaignDid(s.warehouse, {}, 'CMP-FOOTBALL-SPONSOR', {
      exposedRegions: ['north', 'east'],
      metric: 'nps',
      valuePerConversion: 100,
    });
    expect(nps.unit).toBe('nps_points');
    expect(nps.cells!.treatedBefore.n).toBeGreaterThan(0);
    expect(nps.roiReason).toMatch(/conversions/);
  });

  it('refuses an unknown campaign or region, naming the field', async () => {
    const e1 = await campaignDid(s.warehouse, {}, 'NOPE', {}).catch((e) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).message).toMatch(/campaign.*NOPE|NOPE.*campaign/);
    const e2 = await campaignDid(s.warehouse, {}, 'CMP-FOOTBALL-SPONSOR', {
      exposedRegions: ['atlantis'],
    }).catch((e) => e);
    expect((e2 as AppError).code).toBe('bad_input');
    expect((e2 as AppError).message).toMatch(/atlantis/);
    expect((e2 as AppError).message).toMatch(/regions/);
  });
});
