import { isAppError } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import { atRiskCustomers } from '../queries/predict/at-risk.ts';
import { customerScores } from '../queries/predict/customer-scores.ts';
import { predictionRollup } from '../queries/predict/rollup.ts';
import { openStores, type Stores } from '../stores.ts';
import { activeModel, listModels } from './model-registry.ts';
import { familyOf } from './reasons.ts';
import { scoreStore } from './score-store.ts';
import { addMonths, trainStoreModel } from './store-pipeline.ts';

/**
 * Training and scoring on the demo company (issue 6 §3, §7): the model recovers the documented
 * structure — churn is predictable well above chance, detractors get a higher risk than promoters,
 * and the reasons of high-risk customers are about satisfaction and service.
 * 4,000 customers and a 6-month horizon give enough churners (~200) for a stable AUC in a test.
 */
let stores: Stores;
const CUSTOMERS = 4000;

beforeAll(async () => {
  stores = await openStores('memory');
  await seedDemo(stores.warehouse, { customers: CUSTOMERS, seed: 42 });
}, 180_000);
afterAll(async () => stores?.close());

const count = async (table: string) =>
  Number((await stores.warehouse.all<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n);

describe('trainStoreModel', () => {
  it('refuses too few positives, naming how many there are and the minimum, and stores nothing', async () => {
    const err = await trainStoreModel(stores, { target: 'churn' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('bad_input');
    // The 4,000-customer demo has far fewer than 500 churners in three months.
    expect((err as Error).message).toMatch(
      /^field target: \d+ of \d+ customers active on 2026-01-01 churned within 3 months; training needs at least 500 positives/,
    );
    expect(await count('prediction_models')).toBe(0);
  });

  it('refuses a label window beyond the data and a bad horizon', async () => {
    await expect(trainStoreModel(stores, { target: 'churn', cutoff: '2026-05-01' })).rejects.toThrow(
      /cutoff.*outcomes up to 2026-08-01.*end at 2026-07-01/,
    );
    await expect(trainStoreModel(stores, { target: 'churn', horizonMonths: 0 })).rejects.toThrow(
      /horizonMonths/,
    );
    expect(await count('prediction_models')).toBe(0);
  });

  it('trains churn: AUC well above chance, a model card, and one active model per target', async () => {
    const card = await trainStoreModel(stores, {
      target: 'churn',
      cutoff: '2025-10-01',
      horizonMonths: 6,
      minPositives: 50,
    });
    expect(card.target).toBe('churn');
    expect(card.cutoff).toBe('2025-10-01');
    expect(card.horizonMonths).toBe(6);
    expect(card.positives).toBeGreaterThan(100);
    expect(card.candidates.map((c) => c.kind).sort()).toEqual(['gbdt', 'logistic']);
    expect(card.auc).toBeGreaterThan(0.57);
    expect(card.calibration.length).toBeGreaterThan(3);
    expect(card.liftTopDecile).toBeGreaterThan(1.5);
    expect(card.features).toContain('nps_last');
    const again = await trainStoreModel(stores, {
      target: 'churn',
      cutoff: '2025-10-01',
      horizonMonths: 6,
      minPositives: 50,
      folds: 2,
    });
    const models = await listModels(stores.warehouse, { all: true });
    expect(models.filter((m) => m.active).map((m) => m.modelId)).toEqual([again.modelId]);
    expect((await activeModel(stores.warehouse, 'churn'))!.stored.vocabulary.journeys).toContain('complaint');
  }, 120_000);

  it('scores the latest data: detractors above promoters, satisfaction among the reasons of the riskiest', async () => {
    const r = await scoreStore(stores, { target: 'churn' });
    expect(r.asOf).toBe('2026-07-01');
    const active = Number(
      (
        await stores.warehouse.all<{ n: number }>(
          `select count(*) as n from customers where created_at < '2026-07-01'
           and customer_id not in (select customer_id from outcomes where churned)`,
        )
      )[0]!.n,
    );
    expect(r.scored).toBe(active);
    expect(await count('customer_scores')).toBe(active);
    const [g] = await stores.warehouse.all<{ det: number; pro: number }>(
      `with m as (select customer_id, avg(nps) as nps from feedback where nps is not null group by customer_id)
       select avg(probability) filter (where nps <= 6) as det, avg(probability) filter (where nps >= 9) as pro
       from customer_scores join m using (customer_id) where target = 'churn'`,
    );
    expect(g!.det).toBeGreaterThan(1.2 * g!.pro);
    // Reasons of the top decile: satisfaction (scores, sentiment, themes) and service (waits, contacts).
    const top = await stores.warehouse.all<{ reasons: string }>(
      `select reasons from customer_scores where target = 'churn' order by probability desc limit ${Math.round(active / 10)}`,
    );
    const features = top.flatMap((t) =>
      (JSON.parse(t.reasons) as { feature: string }[]).map((x) => x.feature),
    );
    // Satisfaction: survey scores, comment sentiment and themes (reasons.ts families).
    const satisfaction = features.filter((f) => ['satisfaction', 'comments'].includes(familyOf(f)));
    expect(satisfaction.length / features.length).toBeGreaterThan(0.2);
    for (const t of top.slice(0, 5)) {
      const reasons = JSON.parse(t.reasons) as { text: string; contribution: number }[];
      expect(reasons).toHaveLength(3);
      for (const x of reasons)
        expect(x.text).toMatch(x.contribution > 0 ? /raises? the risk$/ : /lowers? the risk$/);
    }
    // Scoring again replaces, never appends.
    await scoreStore(stores, { target: 'churn' });
    expect(await count('customer_scores')).toBe(active);
  }, 120_000);

  it('trains and scores cross-sell; promoters get a higher propensity than detractors', async () => {
    const card = await trainStoreModel(stores, { target: 'cross_sell', minPositives: 50 });
    expect(card.cutoff).toBe(addMonths('2026-07-01', -6));
    expect(card.auc).toBeGreaterThan(0.5);
    await scoreStore(stores, { target: 'cross_sell' });
    const [g] = await stores.warehouse.all<{ det: number; pro: number }>(
      `with last as (select customer_id, arg_max(nps, ts) as nps from feedback where nps is not null group by customer_id)
       select avg(probability) filter (where nps <= 6) as det, avg(probability) filter (where nps >= 9) as pro
       from customer_scores join last using (customer_id) where target = 'cross_sell'`,
    );
    expect(g!.pro).toBeGreaterThan(g!.det);
  }, 120_000);
});

describe('roll-ups and the at-risk list', () => {
  it('expected churn and revenue at risk add up by hand, by segment and in total', async () => {
    const r = await predictionRollup(stores.warehouse, 'churn', 'segment', {});
    const [hand] = await stores.warehouse.all<{ n: number; e: number; risk: number }>(
      `select count(*) as n, sum(probability) as e,
              sum(probability * 12 * (select arg_max(revenue, period) from outcomes o where o.customer_id = s.customer_id)) as risk
       from customer_scores s where target = 'churn'`,
    );
    expect(r.total.customers).toBe(Number(hand!.n));
    expect(r.total.expected).toBeCloseTo(hand!.e, 6);
    expect(r.total.atRisk).toBeCloseTo(hand!.risk, 4);
    expect(r.rows.map((x) => x.group).sort()).toEqual(['business', 'consumer', 'premium']);
    expect(r.rows.reduce((s, x) => s + x.atRisk, 0)).toBeCloseTo(r.total.atRisk, 4);
    expect(r.total.rate).toBeCloseTo(r.total.expected / r.total.customers, 12);
    expect(r.horizonMonths).toBe(6);
    const byJourney = await predictionRollup(stores.warehouse, 'churn', 'journey', {});
    expect(byJourney.rows.reduce((s, x) => s + x.customers, 0)).toBe(r.total.customers);
    const cross = await predictionRollup(stores.warehouse, 'cross_sell', 'region', {});
    expect(cross.total.atRisk).toBeGreaterThan(0);
  });

  it('respects the data scope', async () => {
    const r = await predictionRollup(stores.warehouse, 'churn', 'segment', { segments: ['business'] });
    expect(r.rows.map((x) => x.group)).toEqual(['business']);
    const list = await atRiskCustomers(stores.warehouse, 20, { regions: ['north'] });
    expect(list.rows.length).toBe(20);
    expect(new Set(list.rows.map((x) => x.region))).toEqual(new Set(['north']));
  });

  it('lists the customers to call by revenue at risk with reasons and last contact', async () => {
    const list = await atRiskCustomers(stores.warehouse, 10, {});
    expect(list.rows).toHaveLength(10);
    for (let i = 1; i < list.rows.length; i++) {
      expect(list.rows[i - 1]!.revenueAtRisk).toBeGreaterThanOrEqual(list.rows[i]!.revenueAtRisk);
    }
    expect(list.asOf).toBe('2026-07-01');
    const first = list.rows[0]!;
    expect(first.revenueAtRisk).toBeCloseTo(first.probability * first.value, 6);
    expect(first.reasons).toHaveLength(3);
    const one = await customerScores(stores.warehouse, first.customerId);
    expect(one.scores.map((s) => s.target)).toEqual(['churn', 'cross_sell']);
    expect(one.scores[0]!.probability).toBe(first.probability);
  });
});
