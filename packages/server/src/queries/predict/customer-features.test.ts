import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { openStores, type Stores } from '../../stores.ts';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { customerFeatures, customerFeaturesSql, featureVocabulary } from './customer-features.ts';
import { withLabelSql } from './labels.ts';

/**
 * Features as of a cutoff (issue 6 §3): known answers on a hand-made store, and the no-leakage
 * guarantee on the demo company — nothing at or after the cutoff can change a feature row.
 */
const ts = (iso: string) => Date.parse(iso);

async function handStore(wh: WarehouseSession) {
  await wh.append(
    'customers',
    ['customer_id', 'created_at', 'segment', 'region', 'attributes'],
    [
      ['a', ts('2025-01-01T00:00:00Z'), 'consumer', 'north', { contract: 'prepaid', age_band: '30-44' }],
      ['b', ts('2025-06-01T00:00:00Z'), 'business', 'south', { contract: 'postpaid' }],
      // Churned in November: not active on 2026-01-01.
      ['gone', ts('2024-01-01T00:00:00Z'), 'consumer', 'east', null],
      // Created on the cutoff day itself: not yet a customer before it.
      ['new', ts('2026-01-01T00:00:00Z'), 'consumer', 'east', null],
    ],
  );
  const months = ['2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01', '2025-11-01', '2025-12-01'];
  const outcomes: unknown[][] = [];
  // a: revenue 10, 10, 10 then 20, 20, 20 (prev 3 → last 3: +10); 2 products, then 3 in Feb 2026.
  for (const [i, m] of months.entries()) outcomes.push(['a', m, i < 3 ? 10 : 20, 5, false, 2]);
  outcomes.push(['a', '2026-01-01', 20, 5, false, 2], ['a', '2026-02-01', 25, 5, false, 3]);
  // b: churns in March 2026 (label window Jan–Mar).
  for (const m of months) outcomes.push(['b', m, 50, 8, false, 1]);
  outcomes.push(['b', '2026-03-01', 50, 8, true, 1]);
  outcomes.push(['gone', '2025-11-01', 30, 4, true, 1]);
  await wh.append(
    'outcomes',
    ['customer_id', 'period', 'revenue', 'cost_to_serve', 'churned', 'products'],
    outcomes,
  );
  const ev = (
    id: string,
    cust: string,
    kase: string,
    at: string,
    journey: string,
    activity: string,
    wait?: number,
  ) => [
    id,
    cust,
    kase,
    ts(at),
    activity,
    journey,
    'call_centre',
    wait ?? null,
    wait === undefined ? {} : { wait_seconds: wait },
  ];
  await wh.append(
    'events',
    ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'value', 'properties'],
    [
      // a: one billing case in December with two assisted contacts (waits 100 s and 300 s): a repeated contact.
      ev('e1', 'a', 'k1', '2025-12-10T10:00:00Z', 'billing_question', 'Call hotline', 100),
      ev('e2', 'a', 'k1', '2025-12-10T10:10:00Z', 'billing_question', 'Transfer to billing team'),
      ev('e3', 'a', 'k1', '2025-12-10T10:20:00Z', 'billing_question', 'Call hotline', 300),
      // a: a tech case in March 2025 (within 365 days, not 90) with one contact of 200 s.
      ev('e4', 'a', 'k2', '2025-03-01T09:00:00Z', 'tech_support', 'Report fault', 200),
      // b: a complaint case in November.
      ev('e5', 'b', 'k3', '2025-11-20T09:00:00Z', 'complaint', 'Complaint submitted'),
    ],
  );
  await wh.append(
    'feedback',
    ['response_id', 'customer_id', 'ts', 'nps', 'csat', 'ces', 'sentiment', 'themes'],
    [
      ['r1', 'a', ts('2025-05-01T00:00:00Z'), 9, 5, 7, 'positive', ['billing']],
      ['r2', 'a', ts('2025-12-11T00:00:00Z'), 3, 2, 3, 'negative', ['waiting_time', 'billing']],
    ],
  );
}

describe('customer features on a hand-made store', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await openStores('memory');
    await handStore(stores.warehouse);
  });
  afterAll(async () => stores?.close());

  it('keeps the customers active at the cutoff and computes the features by hand', async () => {
    const wh = stores.warehouse;
    const voc = await featureVocabulary(wh, '2026-01-01');
    expect(voc.journeys).toEqual(['billing_question', 'complaint', 'tech_support']);
    expect(voc.themes).toEqual(['billing', 'waiting_time']);
    const t = await customerFeatures(wh, { cutoff: '2026-01-01', ...voc });
    expect(t.customerIds).toEqual(['a', 'b']);
    const get = (name: string) => t.columns.find((c) => c.name === name)!.values;
    expect(get('tenure_days')).toEqual([365, 214]);
    expect(get('segment')).toEqual(['consumer', 'business']);
    expect(get('contract')).toEqual(['prepaid', 'postpaid']);
    expect(get('age_band')).toEqual(['30-44', null]);
    expect(get('products')).toEqual([2, 1]);
    expect(get('revenue_last_month')).toEqual([20, 50]);
    expect(get('revenue_3m')).toEqual([20, 50]);
    expect(get('revenue_prev_3m')).toEqual([10, 50]);
    expect(get('revenue_trend')).toEqual([10, 0]);
    expect(get('cases_90d_billing_question')).toEqual([1, 0]);
    expect(get('cases_365d_tech_support')).toEqual([1, 0]);
    expect(get('cases_90d_tech_support')).toEqual([0, 0]);
    expect(get('cases_90d_complaint')).toEqual([0, 1]);
    expect(get('contacts_90d')).toEqual([2, 0]);
    expect(get('contacts_365d')).toEqual([3, 0]);
    expect(get('repeated_contact_cases_90d')).toEqual([1, 0]);
    expect(get('wait_total_90d')).toEqual([400, 0]);
    expect(get('wait_mean')).toEqual([200, null]);
    expect(get('nps_last')).toEqual([3, null]);
    expect(get('nps_mean')).toEqual([6, null]);
    expect(get('detractor_responses_365d')).toEqual([1, 0]);
    expect(get('negative_comment_share')).toEqual([0.5, null]);
    expect(get('theme_billing')).toEqual([2, 0]);
    expect(get('theme_waiting_time')).toEqual([1, 0]);
    expect((get('days_since_last_contact')[0] as number).toFixed(3)).toBe('21.569'); // 2025-12-10 10:20 → 01-01
  });

  it('labels churn and cross-sell within the horizon after the cutoff', async () => {
    const voc = await featureVocabulary(stores.warehouse, '2026-01-01');
    const { sql, params } = customerFeaturesSql({ cutoff: '2026-01-01', ...voc });
    const label = async (target: 'churn' | 'cross_sell', h: number) =>
      (
        await stores.warehouse.all<{ customer_id: string; label: number }>(
          `select customer_id, label from (${withLabelSql(sql, target, h)})`,
          params,
        )
      ).map((r) => `${r.customer_id}:${r.label}`);
    // b churns in March (ends 2026-04-01): inside 3 months, outside 2.
    expect(await label('churn', 3)).toEqual(['a:0', 'b:1']);
    expect(await label('churn', 2)).toEqual(['a:0', 'b:0']);
    // a goes from 2 to 3 products in February.
    expect(await label('cross_sell', 3)).toEqual(['a:1', 'b:0']);
    expect(await label('cross_sell', 1)).toEqual(['a:0', 'b:0']);
  });

  it('refuses a cutoff that is not a date, naming the field', () => {
    expect(() => customerFeaturesSql({ cutoff: '2026-13-45x', journeys: [], themes: [] })).toThrow(/cutoff/);
  });
});

describe('no leakage: features use nothing at or after the cutoff (demo company)', () => {
  let stores: Stores;
  const cutoff = '2026-01-01';
  const snapshot = async () => {
    const voc = await featureVocabulary(stores.warehouse, cutoff);
    const { sql, params } = customerFeaturesSql({ cutoff, ...voc });
    return JSON.stringify(await stores.warehouse.all(sql, params));
  };
  beforeAll(async () => {
    stores = await openStores('memory');
    await seedDemo(stores.warehouse, { customers: 2000, seed: 7 });
  }, 120_000);
  afterAll(async () => stores?.close());

  it('gives byte-identical rows when data at or after the cutoff changes', async () => {
    const wh = stores.warehouse;
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(100_000);
    const [{ id }] = (await wh.all<{ id: string }>(
      `select customer_id as id from outcomes where period = '2025-12-01' and not churned order by customer_id limit 1`,
    )) as [{ id: string }];
    await wh.transaction(async (tx) => {
      // Events: a huge wait exactly at the cutoff and later ones; later events removed or edited.
      await tx.append(
        'events',
        ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'value', 'properties'],
        [
          [
            'x1',
            id,
            'xk1',
            ts('2026-01-01T00:00:00Z'),
            'Call hotline',
            'complaint',
            'call_centre',
            99_999,
            { wait_seconds: 99_999 },
          ],
          [
            'x2',
            id,
            'xk2',
            ts('2026-03-05T00:00:00Z'),
            'Call hotline',
            'billing_question',
            'call_centre',
            50_000,
            { wait_seconds: 50_000 },
          ],
        ],
      );
      await tx.run(`delete from events where ts >= '2026-02-01' and journey = 'tech_support'`);
      await tx.run(
        `update events set properties = '{"wait_seconds": 3600}' where ts >= '2026-01-01' and (properties->>'wait_seconds') is not null`,
      );
      // Feedback: zeros and new themes after the cutoff.
      await tx.append(
        'feedback',
        ['response_id', 'customer_id', 'ts', 'nps', 'csat', 'ces', 'sentiment', 'themes'],
        [['xr', id, ts('2026-01-01T00:00:00Z'), 0, 1, 1, 'negative', ['billing', 'waiting_time']]],
      );
      await tx.run(`update feedback set nps = 0 where ts >= '2026-01-01'`);
      // Outcomes: January onwards churned, revenue changed, products doubled.
      await tx.run(
        `update outcomes set churned = true, revenue = 0, products = products * 2 where period >= '2026-01-01'`,
      );
      // A customer created at the cutoff.
      await tx.append(
        'customers',
        ['customer_id', 'created_at', 'segment'],
        [['X-new', ts('2026-01-01T00:00:00Z'), 'premium']],
      );
    });
    expect(await snapshot()).toBe(before);
  }, 60_000);

  it('does see a change one millisecond before the cutoff (the test can fail)', async () => {
    const wh = stores.warehouse;
    const before = await snapshot();
    const [{ id }] = (await wh.all<{ id: string }>(
      `select customer_id as id from customers where created_at < '2025-01-01' order by customer_id limit 1`,
    )) as [{ id: string }];
    const meanWait = async () =>
      JSON.parse(await snapshot()).find((r: { customer_id: string }) => r.customer_id === id).wait_mean as
        | number
        | null;
    const m0 = await meanWait();
    await wh.append(
      'events',
      ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'value', 'properties'],
      [
        [
          'y1',
          id,
          'yk1',
          ts('2025-12-31T23:59:59.999Z'),
          'Call hotline',
          'complaint',
          'call_centre',
          99_999,
          { wait_seconds: 99_999 },
        ],
      ],
    );
    expect(await snapshot()).not.toBe(before);
    expect(await meanWait()).toBeGreaterThan(m0 ?? 0);
  }, 60_000);
});
