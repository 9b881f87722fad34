import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { openStores, type Stores } from '../../stores.ts';
import { npsGroupMoney } from './nps-groups.ts';
import { revenueAtRisk } from './revenue-at-risk.ts';

/**
 * Money links on a hand-made company (exact answers) and on the demo company (the causal structure
 * of docs/demo-data.md: detractors churn more and buy less).
 */
describe('money links on four hand-made customers', () => {
  let s: Stores;
  beforeAll(async () => {
    s = await openStores('memory');
    const wh = s.warehouse;
    await wh.append(
      'customers',
      ['customer_id', 'segment', 'region'],
      [
        ['A', 'consumer', 'north'],
        ['B', 'consumer', 'north'],
        ['C', 'business', 'south'],
        ['D', 'business', 'south'],
      ],
    );
    // A promoter (10), B detractor (mean of 3 and 5 = 4), C passive (mean of 9 and 6 = 7.5), D no answer.
    await wh.append(
      'feedback',
      ['response_id', 'customer_id', 'ts', 'nps', 'journey'],
      [
        ['r1', 'A', new Date('2025-01-10T00:00:00Z'), 10, 'billing'],
        ['r2', 'B', new Date('2025-01-10T00:00:00Z'), 3, 'billing'],
        ['r3', 'B', new Date('2025-02-10T00:00:00Z'), 5, 'billing'],
        ['r4', 'C', new Date('2025-01-10T00:00:00Z'), 9, 'billing'],
        ['r5', 'C', new Date('2025-02-10T00:00:00Z'), 6, 'billing'],
      ],
    );
    const months = ['2025-01-01', '2025-02-01', '2025-03-01'];
    const rows: unknown[][] = [];
    for (const [id, rev, cost, p0] of [
      ['A', 50, 10, 2],
      ['B', 30, 12, 2],
      ['C', 40, 10, 1],
      ['D', 20, 5, 1],
    ] as const) {
      months.forEach((m, i) => {
        // B churns in March; A adds a product in March.
        rows.push([id, m, rev + i, cost, id === 'B' && i === 2, id === 'A' && i === 2 ? p0 + 1 : p0]);
      });
    }
    await wh.append(
      'outcomes',
      ['customer_id', 'period', 'revenue', 'cost_to_serve', 'churned', 'products'],
      rows,
    );
  });
  afterAll(async () => s?.close());

  it('puts each customer in the group of their mean NPS and aggregates money per group (by hand)', async () => {
    const r = await npsGroupMoney(s.warehouse, {}, {}, { annualDiscount: 0.1 });
    expect(r.groups.map((g) => g.group)).toEqual(['promoter', 'passive', 'detractor', 'no_answer']);
    const by = Object.fromEntries(r.groups.map((g) => [g.group, g]));
    expect(by.detractor).toMatchObject({
      customers: 1,
      churned: 1,
      churnRate: 1,
      customerMonths: 3,
      meanNps: 4,
    });
    expect(by.passive).toMatchObject({
      customers: 1,
      churned: 0,
      meanNps: 7.5,
      products: 1,
      productsChange: 0,
    });
    expect(by.promoter).toMatchObject({ customers: 1, products: 3, productsChange: 1, shareOfWallet: 0.5 });
    // A: revenue 50, 51, 52 → 51; margin 41.
    expect(by.promoter!.revenue).toBeCloseTo(51, 12);
    expect(by.promoter!.margin).toBeCloseTo(41, 12);
    // No churn → r = 1: CLV = m / i with i = 1.1^(1/12) − 1 (the infinite annuity).
    expect(by.promoter!.clv).toBeCloseTo(41 / (1.1 ** (1 / 12) - 1), 6);
    // B: monthly churn 1/3 → r = 2/3, margin 31 − 12 = 19: CLV = 19·(2/3)/(1 + i − 2/3).
    const i = 1.1 ** (1 / 12) - 1;
    expect(by.detractor!.clv).toBeCloseTo((19 * (2 / 3)) / (1 + i - 2 / 3), 9);
    expect(by.detractor!.churn12Months).toBeCloseTo(1 - (2 / 3) ** 12, 12);
    expect(by.no_answer).toMatchObject({ customers: 1, meanNps: null });
  });

  it('restricts to the period and the scope', async () => {
    const jan = await npsGroupMoney(s.warehouse, {}, { from: '2025-01-01', to: '2025-01-31' });
    const byJan = Object.fromEntries(jan.groups.map((g) => [g.group, g]));
    // In January C answered 9 only (promoter) and B 3; B has not churned yet.
    expect(byJan.promoter!.customers).toBe(2);
    expect(byJan.detractor!.churned).toBe(0);
    const south = await npsGroupMoney(s.warehouse, { regions: ['south'] }, {});
    expect(south.groups.map((g) => [g.group, g.customers])).toEqual([
      ['passive', 1],
      ['no_answer', 1],
    ]);
  });

  it('revenue at risk falls back to the NPS group rate and sums P × 12 × revenue over active customers', async () => {
    await s.warehouse.run('delete from customer_scores');
    const g = await npsGroupMoney(s.warehouse, {}, {});
    const r = await revenueAtRisk(s.warehouse, {}, {});
    expect(r.probabilitySource).toBe('nps_group_rate');
    // B churned, so A, C, D are at risk; their groups never churned → P = 0 → nothing at risk.
    expect(r.total.customers).toBe(3);
    expect(r.total.revenueAtRisk).toBe(0);
    expect(r.total.value).toBeCloseTo(12 * (51 + 41 + 21), 9);
    expect(g.groups.find((x) => x.group === 'promoter')!.churn12Months).toBe(0);
  });

  it('uses the churn model’s scores when customer_scores holds them and says so', async () => {
    // A model over a 3-month horizon: its probabilities are put on the 12-month footing.
    await s.warehouse.run(
      `insert into prediction_models values
         ('m1', 'churn', 'logistic', '2025-04-01T00:00:00Z', '2025-01-01', 3, '{}', '{}', true)`,
    );
    await s.warehouse.run(
      `insert into customer_scores values
         ('m1', 'churn', 'A', 0.5, '2025-04-01', null, '2025-04-01T00:00:00Z'),
         ('m1', 'churn', 'C', 0.25, '2025-04-01', null, '2025-04-01T00:00:00Z')`,
    );
    try {
      const r = await revenueAtRisk(s.warehouse, {}, {}, { value: 'annual_revenue' });
      expect(r.probabilitySource).toBe('model');
      expect(r.model).toMatchObject({ modelId: 'm1', customersScored: 2 });
      // 12-month P: 1 − 0.5⁴ = 0.9375 and 1 − 0.75⁴ = 0.68359375; D by its group's rate (0):
      // 0.9375 × 12 × 51 + 0.68359375 × 12 × 41 = 573.75 + 336.328125
      expect(r.total.revenueAtRisk).toBeCloseTo(910.078125, 9);
      expect(r.customers[0]).toMatchObject({ customerId: 'A', source: 'model' });
      expect(r.customers.find((c) => c.customerId === 'D')!.source).toBe('nps_group_rate');
    } finally {
      await s.warehouse.run('delete from customer_scores');
      await s.warehouse.run('delete from prediction_models');
    }
  });
});

describe('money links on the demo company (2,000 customers, seed 42)', () => {
  let s: Stores;
  beforeAll(async () => {
    s = await openStores('memory');
    await seedDemo(s.warehouse, { customers: 2000, seed: 42 });
  }, 120_000);
  afterAll(async () => s?.close());

  it('detractors churn more than promoters: the interval of the difference excludes 0', async () => {
    const r = await npsGroupMoney(s.warehouse, {}, {});
    const by = Object.fromEntries(r.groups.map((g) => [g.group, g]));
    expect(by.detractor!.churnRate).toBeGreaterThan(by.passive!.churnRate);
    expect(by.passive!.churnRate).toBeGreaterThan(by.promoter!.churnRate);
    const d = r.promoterMinusDetractor!.churnRate!;
    expect(d.ci95[1]).toBeLessThan(0);
    // Promoters buy more over the window and are worth more.
    expect(r.promoterMinusDetractor!.productsChange!.ci95[0]).toBeGreaterThan(0);
    expect(by.promoter!.clv!).toBeGreaterThan(by.detractor!.clv!);
    // Moving a detractor to promoter is worth something, and more than to passive.
    const m = r.moveDetractor;
    expect(m.toPromoter!.ci95[0]).toBeGreaterThan(0);
    expect(m.toPromoter!.value).toBeGreaterThan(m.toPassive!.value);
    // Same churn rates as the SQL of demo/seed.test.ts.
    const [raw] = await s.warehouse.all<{ det: number }>(
      `with g as (select customer_id, avg(nps) as nps from feedback group by 1),
            o as (select customer_id, bool_or(churned) as churned from outcomes group by 1)
       select avg(churned::int) filter (where nps < 7) as det from g join o using (customer_id)`,
    );
    expect(by.detractor!.churnRate).toBeCloseTo(raw!.det, 12);
    expect(by.no_answer!.customers).toBeGreaterThan(0);
  });

  it('revenue at risk by segment adds up to the total and is computed by hand in SQL', async () => {
    const r = await revenueAtRisk(s.warehouse, {}, {});
    expect(r.probabilitySource).toBe('nps_group_rate');
    const sum = r.bySegment.reduce((a, b) => a + b.revenueAtRisk, 0);
    expect(sum).toBeCloseTo(r.total.revenueAtRisk, 6);
    expect(r.byGroup.reduce((a, b) => a + b.customers, 0)).toBe(r.total.customers);
    const g = await npsGroupMoney(s.warehouse, {}, {});
    const p = Object.fromEntries(g.groups.map((x) => [x.group, x.churn12Months ?? 0]));
    const rows = await s.warehouse.all<{ grp: string; v: number }>(
      `with f as (select customer_id, avg(nps) as nps from feedback where nps is not null group by 1),
            o as (select customer_id, avg(revenue) as rev, bool_or(churned) as churned, max(period) as last from outcomes group by 1)
       select case when f.nps is null then 'no_answer' when f.nps >= 9 then 'promoter' when f.nps >= 7 then 'passive'
                   else 'detractor' end as grp, sum(12 * rev) as v
       from o left join f using (customer_id)
       where not churned and last = (select max(period) from outcomes) group by 1`,
    );
    const expected = rows.reduce((a, x) => a + (p[x.grp] ?? 0) * x.v, 0);
    expect(r.total.revenueAtRisk).toBeCloseTo(expected, 4);
    const clv = await revenueAtRisk(s.warehouse, { segments: ['business'] }, {}, { value: 'clv', top: 5 });
    expect(clv.bySegment.map((x) => x.key)).toEqual(['business']);
    expect(clv.customers).toHaveLength(5);
  });
});
