import { countNps, csatFromCounts, meanOf, npsFromCounts } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { FIXTURE, insertOverviewFixture } from './overview-fixture.ts';
import { overviewReport } from './overview-report.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertOverviewFixture(stores.warehouse);
});
afterAll(() => stores.close());

describe('overview queries', () => {
  it('counts volumes and scores over everything (hand-counted fixture)', async () => {
    const r = await overviewReport(stores.warehouse, {}, {});
    expect(r).toMatchObject({ customers: 11, activeCustomers: 10, events: 33, cases: 12 });
    expect(r.nps).toMatchObject({ n: 21, promoters: 9, passives: 4, detractors: 8 });
    expect(r.nps.nps).toBeCloseTo((100 * (9 - 8)) / 21, 10);
    const expectedNps = npsFromCounts({ promoters: 9, passives: 4, detractors: 8 });
    expect(r.nps.marginOfError95).toBeCloseTo(expectedNps.marginOfError95!, 10);
    expect(r.csat.n).toBe(15);
    expect(r.csat.share).toBeCloseTo(9 / 15, 12);
    expect(r.csat.ci95).toEqual(csatFromCounts(9, 15).ci95);
    const ces = meanOf([...FIXTURE.northCes, ...FIXTURE.southCes]);
    expect(r.ces.n).toBe(20);
    expect(r.ces.mean).toBeCloseTo(ces.mean!, 12);
    expect(r.ces.ci95![0]).toBeCloseTo(ces.ci95![0], 10);
  });

  it('restricts every figure to a region', async () => {
    const r = await overviewReport(stores.warehouse, { regions: ['north'] }, {});
    expect(r).toMatchObject({ customers: 6, activeCustomers: 5, events: 17, cases: 6 });
    expect(r.nps).toMatchObject({ n: 10, promoters: 6, passives: 2, detractors: 2, nps: 40 });
    const { variance: _v, ...expected } = npsFromCounts(countNps(FIXTURE.northNps));
    expect(r.nps).toEqual(expected);
    expect(r.csat.share).toBeCloseTo(0.7, 12);
    expect(r.ces.mean).toBeCloseTo(meanOf(FIXTURE.northCes).mean!, 12);
  });

  it('restricts to a journey', async () => {
    const r = await overviewReport(stores.warehouse, { journeys: ['billing'] }, {});
    expect(r).toMatchObject({ customers: 6, events: 17, cases: 6 });
    expect(r.nps).toMatchObject({ n: 10, nps: -40 });
    expect(r.csat).toMatchObject({ n: 5, share: 0.4 });
  });

  it('trends by UTC month and hides scores below the privacy minimum of 5 answers', async () => {
    const r = await overviewReport(stores.warehouse, {}, {});
    expect(r.monthly.map((m) => [m.month, m.events, m.npsN, m.nps])).toEqual([
      ['2024-01', 15, 10, 40],
      ['2024-02', 17, 10, -40],
      ['2024-03', 1, 1, null],
    ]);
    expect(r.monthly[2]!.npsCi95).toBeNull();
    expect(r.monthly[0]!.npsCi95).toEqual(npsFromCounts(countNps(FIXTURE.northNps)).ci95);
  });

  it('ranks journeys by cases, with customers, events and their NPS', async () => {
    const r = await overviewReport(stores.warehouse, {}, {});
    expect(r.topJourneys).toEqual([
      { journey: 'billing', cases: 6, customers: 6, events: 17, npsN: 10, nps: -40 },
      { journey: 'onboarding', cases: 5, customers: 5, events: 15, npsN: 10, nps: 40 },
    ]);
  });

  it('limits everything to the period', async () => {
    const r = await overviewReport(stores.warehouse, {}, { from: '2024-02-01', to: '2024-02-29' });
    expect(r).toMatchObject({ events: 17, cases: 6, activeCustomers: 6 });
    expect(r.nps).toMatchObject({ n: 10, nps: -40 });
    expect(r.monthly.map((m) => m.month)).toEqual(['2024-02']);
  });
});

describe('theme filter', () => {
  it('scores the themed responses and counts the volumes of the customers who gave one', async () => {
    const r = await overviewReport(stores.warehouse, {}, {}, ['slow']);
    expect(r).toMatchObject({ customers: 5, activeCustomers: 5, events: 17, cases: 6 });
    expect(r.nps).toMatchObject({ n: 5, promoters: 3, passives: 1, detractors: 1, nps: 40 });
    expect(r.csat).toMatchObject({ n: 5, share: 0.8 });
    expect(r.ces.n).toBe(5);
    expect(r.ces.mean).toBeCloseTo(5.2, 12);
    expect(r.monthly.map((m) => [m.month, m.events, m.npsN, m.nps])).toEqual([
      ['2024-01', 15, 5, 40],
      ['2024-02', 2, 0, null],
    ]);
    expect(r.topJourneys).toEqual([
      { journey: 'onboarding', cases: 5, customers: 5, events: 15, npsN: 5, nps: 40 },
      { journey: 'billing', cases: 1, customers: 1, events: 2, npsN: 0, nps: null },
    ]);
  });
  it('several themes match any of them', async () => {
    const r = await overviewReport(stores.warehouse, {}, {}, ['slow', 'billing_error']);
    expect(r).toMatchObject({ customers: 10, activeCustomers: 10, events: 32, cases: 11 });
    expect(r.nps).toMatchObject({ n: 10, promoters: 3, passives: 2, detractors: 5, nps: -20 });
  });
  it('combines with scope and period; an unknown theme gives zeros, not an error', async () => {
    const south = await overviewReport(stores.warehouse, { regions: ['south'] }, {}, [
      'slow',
      'billing_error',
    ]);
    expect(south).toMatchObject({ customers: 5, events: 15, cases: 5 });
    expect(south.nps).toMatchObject({ n: 5, nps: -80 });
    // The slow responses were given in January, so in February no customer qualifies.
    const feb = await overviewReport(stores.warehouse, {}, { from: '2024-02-01', to: '2024-02-29' }, [
      'slow',
    ]);
    expect(feb).toMatchObject({ customers: 0, activeCustomers: 0, events: 0, cases: 0 });
    expect(feb.nps.n).toBe(0);
    const none = await overviewReport(stores.warehouse, {}, {}, ['no_such_theme']);
    expect(none).toMatchObject({ customers: 0, events: 0, cases: 0, monthly: [], topJourneys: [] });
    expect(none.nps).toMatchObject({ n: 0, nps: null });
    // No themes = no filter.
    expect(await overviewReport(stores.warehouse, {}, {}, [])).toEqual(
      await overviewReport(stores.warehouse, {}, {}),
    );
  });
});

describe('monthly buckets', () => {
  it('are UTC calendar months: 23:30 on 31 March UTC is March, 00:30 on 1 April UTC is April', async () => {
    const s = await openStores('memory');
    try {
      await s.warehouse.append(
        'feedback',
        ['response_id', 'ts', 'nps'],
        [
          ['a', Date.UTC(2024, 2, 31, 23, 30), 10],
          ['b', Date.UTC(2024, 3, 1, 0, 30), 0],
        ],
      );
      const r = await overviewReport(s.warehouse, {}, { from: '2024-04-01' });
      expect(r.nps.n).toBe(1);
      const all = await overviewReport(s.warehouse, {}, {});
      expect(all.monthly.map((m) => [m.month, m.npsN])).toEqual([
        ['2024-03', 1],
        ['2024-04', 1],
      ]);
    } finally {
      await s.close();
    }
  });
});
