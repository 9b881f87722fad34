import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { insertFeedbackAnalyticsFixture } from './analytics-fixture.ts';
import { scoreTrend } from './score-trend.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertFeedbackAnalyticsFixture(stores.warehouse);
});
afterAll(() => stores.close());

describe('scoreTrend', () => {
  it('NPS per month with intervals and the change test against the month before', async () => {
    const t = await scoreTrend(stores.warehouse, 'nps', 'month', {}, {});
    expect(t.buckets.map((b) => [b.bucket, b.n])).toEqual([
      ['2024-01', 80],
      ['2024-02', 43],
    ]);
    // Jan: p .5, d .25 → Var .6875, margin 1.96·√(.6875/80)·100.
    const jan = t.buckets[0]!;
    expect(jan.ci95![1] - 25).toBeCloseTo(1.959963984540054 * Math.sqrt(0.6875 / 80) * 100, 9);
    const feb = t.buckets[1]!;
    const varFeb = 21 / 43 + 12 / 43 - (9 / 43) ** 2;
    const z = (9 / 43 - 0.25) / Math.sqrt(varFeb / 43 + 0.6875 / 80);
    expect(feb.significance!.statistic).toBeCloseTo(z, 9);
    expect(feb.significance!.significant).toBe(false);
    expect(t.overall.n).toBe(123);
  });

  it('CSAT per month: Jan 55/80, Feb 30/40 (the moving answers have no CSAT)', async () => {
    const t = await scoreTrend(stores.warehouse, 'csat', 'month', {}, {});
    expect(t.buckets.map((b) => [b.bucket, b.n, b.score])).toEqual([
      ['2024-01', 80, 55 / 80],
      ['2024-02', 40, 30 / 40],
    ]);
  });

  it('weekly buckets start on Monday', async () => {
    const t = await scoreTrend(stores.warehouse, 'ces', 'week', {}, {});
    expect(t.buckets.every((b) => new Date(`${b.bucket}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(t.buckets.reduce((s, b) => s + b.n, 0)).toBe(120);
  });
});
