import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { insertFeedbackAnalyticsFixture } from './analytics-fixture.ts';
import { themesSummary } from './themes-summary.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertFeedbackAnalyticsFixture(stores.warehouse);
});
afterAll(() => stores.close());

describe('themesSummary', () => {
  it('volume, share, sentiment, theme NPS and impact on NPS', async () => {
    const t = await themesSummary(stores.warehouse, {}, {});
    expect(t).toMatchObject({ comments: 61, enriched: 61, nps: { n: 123 } });
    expect(t.themes.map((x) => [x.theme, x.volume])).toEqual([
      ['courtesy', 30],
      ['waiting_time', 30],
      ['billing_error', 10],
    ]);
    const wait = t.themes.find((x) => x.theme === 'waiting_time')!;
    expect(wait.share).toBeCloseTo(30 / 61, 12);
    expect(wait.sentiment).toMatchObject({ negative: 30, neutral: 0, positive: 0 });
    expect(wait.sentiment.mean).toBeCloseTo((20 * -0.6 + 10 * -0.9) / 30, 12);
    expect(wait.nps).toMatchObject({ n: 30, score: -100 });
    // NPS(all) = 29/123·100; without the theme: P 61, passives 30, D 2 of 93 → 59/93·100.
    expect(wait.impact).toBeCloseTo((100 * 29) / 123 - (100 * 59) / 93, 9);
    expect(wait.impactCi95![0]).toBeLessThan(wait.impact!);
    expect(wait.impactCi95![1]).toBeGreaterThan(wait.impact!);
    const courtesy = t.themes.find((x) => x.theme === 'courtesy')!;
    // A theme of promoters lifts the score: without it P 31, passives 30, D 32 of 93 → −1.08.
    expect(courtesy.impact).toBeCloseTo((100 * 29) / 123 - (100 * -1) / 93, 9);
    expect(courtesy.nps.score).toBe(100);
  });

  it('monthly trend and emerging themes: share in Feb against Jan, two-proportion z, Holm', async () => {
    const t = await themesSummary(stores.warehouse, {}, {});
    const billing = t.themes.find((x) => x.theme === 'billing_error')!;
    expect(billing.monthly).toMatchObject([
      { month: '2024-01', volume: 0, share: 0, sentiment: null },
      { month: '2024-02', volume: 10, share: 10 / 31 },
    ]);
    expect(billing.monthly[1]!.sentiment).toBeCloseTo(-0.9, 12);
    expect(billing.emerging).toMatchObject({
      current: '2024-02',
      share: 10 / 31,
      previousShare: 0,
      emerging: true,
    });
    const pooled = 10 / 61;
    const z = 10 / 31 / Math.sqrt(pooled * (1 - pooled) * (1 / 31 + 1 / 30));
    expect(billing.emerging.test!.statistic).toBeCloseTo(z, 9);
    expect(billing.emerging.test!.method).toBe('two-proportion-z');
    const wait = t.themes.find((x) => x.theme === 'waiting_time')!;
    expect(wait.emerging.emerging).toBe(false); // 20/30 in Jan → 10/31 in Feb: falling
    expect(wait.emerging.test!.delta).toBeLessThan(0);
  });

  it('withholds NPS and impact of a theme below the privacy minimum; honours the scope', async () => {
    const t = await themesSummary(stores.warehouse, { journeys: ['moving', 'onboarding'] }, {});
    expect(t.comments).toBe(11);
    expect(t.themes.map((x) => x.theme)).toEqual(['courtesy']);
    const south = await themesSummary(stores.warehouse, { regions: ['south'] }, { from: '2024-02-01' });
    expect(south.comments).toBe(30);
    expect(south.themes.find((x) => x.theme === 'billing_error')!.emerging.test).toBeNull();
  });

  it('"this month" skips a just-begun month with fewer than 30 comments', async () => {
    await stores.warehouse.append(
      'feedback',
      ['response_id', 'ts', 'nps', 'comment', 'sentiment', 'sentiment_score', 'themes'],
      [['M1', Date.UTC(2024, 2, 1, 8), 3, 'Billing error again', 'negative', -0.7, ['billing_error']]],
    );
    const t = await themesSummary(stores.warehouse, {}, {});
    const billing = t.themes.find((x) => x.theme === 'billing_error')!;
    expect(billing.emerging).toMatchObject({ current: '2024-02', share: 10 / 31, emerging: true });
    expect(billing.monthly.at(-1)).toMatchObject({ month: '2024-03', volume: 1, share: 1 });
  });
});
