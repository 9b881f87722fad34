import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { insertFeedbackAnalyticsFixture } from './analytics-fixture.ts';
import { previousPeriod, scoreBreakdown } from './score-breakdown.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertFeedbackAnalyticsFixture(stores.warehouse);
});
afterAll(() => stores.close());

const run = (
  metric: 'nps' | 'csat' | 'ces',
  by: Parameters<typeof scoreBreakdown>[1]['by'],
  period = {},
  compare: 'rest' | 'previous' = 'rest',
  scope = {},
) => scoreBreakdown(stores.warehouse, { metric, by, compare }, scope, period);

describe('scoreBreakdown (fixture counted by hand in analytics-fixture.ts)', () => {
  it('NPS by journey: n, shares, scores, hidden small cell, best first', async () => {
    const r = await run('nps', 'journey');
    expect(r.overall).toMatchObject({ n: 123, flag: null });
    expect(r.overall.score).toBeCloseTo((100 * (61 - 32)) / 123, 10);
    expect(r.groups.map((g) => [g.group, g.n, g.score, g.flag])).toEqual([
      ['onboarding', 40, 75, null],
      ['billing', 80, 0, null],
      ['moving', 3, null, 'hidden'],
    ]);
    const billing = r.groups[1]!;
    expect(billing.share).toBeCloseTo(80 / 123, 12);
    expect([billing.promoters, billing.passives, billing.detractors]).toEqual([30 / 80, 20 / 80, 30 / 80]);
    // Billing (0) against the rest (P 31, passives 10, D 2 of 43 → +67.4): NPS z-test.
    const restVar = 31 / 43 + 2 / 43 - ((31 - 2) / 43) ** 2;
    const billingVar = 30 / 80 + 30 / 80;
    const z = (0 - (100 * 29) / 43) / 100 / Math.sqrt(billingVar / 80 + restVar / 43);
    expect(billing.significance).toMatchObject({ against: 'rest', method: 'nps-z', significant: true });
    expect(billing.significance!.statistic).toBeCloseTo(z, 9);
    // Holm over the two tested groups: the adjusted p is at least the raw p.
    expect(billing.significance!.pAdjusted).toBeGreaterThanOrEqual(billing.significance!.p);
    expect(r.groups[2]!.significance).toBeNull();
  });

  it('by region and segment joins the customer; responses without one form the null group', async () => {
    const r = await run('nps', 'region');
    expect(r.groups.map((g) => [g.group, g.n, g.score])).toEqual([
      ['north', 40, 75],
      ['south', 80, 0],
      [null, 3, null],
    ]);
    const s = await run('nps', 'segment');
    expect(s.groups.map((g) => g.group)).toEqual(['consumer', 'business', null]);
  });

  it('by theme: a response counts in each of its themes; rest = responses without the theme', async () => {
    const r = await run('nps', 'theme');
    expect(r.groups.map((g) => [g.group, g.n, g.score, g.flag])).toEqual([
      ['courtesy', 30, 100, null],
      ['waiting_time', 30, -100, null],
      ['billing_error', 10, -100, 'unreliable'],
    ]);
    expect(r.overall.n).toBe(123);
    expect(r.groups[2]!.significance).toBeNull();
  });

  it('CSAT (Wilson) and CES (t) by channel', async () => {
    const c = await run('csat', 'channel');
    expect(c.groups.map((g) => [g.group, g.n, g.score])).toEqual([
      ['web', 40, 35 / 40],
      ['call_centre', 80, 50 / 80],
    ]);
    expect(c.groups[0]!.significance!.method).toBe('two-proportion-z');
    const e = await run('ces', 'channel');
    expect(e.groups[0]).toMatchObject({ group: 'web', n: 40, score: 6.25 });
    expect(e.groups[0]!.significance!.method).toBe('welch-t');
  });

  it('by month and week: chronological, each bucket tested against the one before', async () => {
    const m = await run('nps', 'month');
    expect(m.groups.map((g) => [g.group, g.n])).toEqual([
      ['2024-01', 80],
      ['2024-02', 43],
    ]);
    expect(m.groups[0]!.score).toBe(25);
    expect(m.groups[1]!.score).toBeCloseTo((100 * 9) / 43, 10);
    expect(m.groups[0]!.significance).toBeNull();
    expect(m.groups[1]!.significance).toMatchObject({ against: 'previous', significant: false });
    const w = await run('nps', 'week');
    expect(w.groups[0]!.group).toBe('2024-01-01');
    expect(w.groups.reduce((s, g) => s + g.n, 0)).toBe(123);
  });

  it('compare=previous tests each group against itself in the period before', async () => {
    expect(previousPeriod('2024-02-01', '2024-02-29')).toEqual({ from: '2024-01-03', to: '2024-01-31' });
    const r = await run('nps', 'journey', { from: '2024-02-01', to: '2024-02-29' }, 'previous');
    const billing = r.groups.find((g) => g.group === 'billing')!;
    // Feb +25 vs Jan −25, both n 40 with Var .6875: z = .5 / √(2·.6875/40) = 2.697.
    expect(billing.significance).toMatchObject({ against: 'previous', significant: true });
    expect(billing.significance!.statistic).toBeCloseTo(0.5 / Math.sqrt((2 * 0.6875) / 40), 9);
    expect(billing.significance!.delta).toBeCloseTo(50, 9);
    expect(r.groups.find((g) => g.group === 'moving')!.significance).toBeNull();
  });

  it('applies the data scope and period in the database', async () => {
    const r = await run('nps', 'journey', {}, 'rest', { regions: ['north'] });
    expect(r.overall.n).toBe(40);
    expect(r.groups.map((g) => g.group)).toEqual(['onboarding']);
    const jan = await run('nps', 'journey', { from: '2024-01-01', to: '2024-01-31' });
    expect(jan.overall).toMatchObject({ n: 80, score: 25 });
  });
});
