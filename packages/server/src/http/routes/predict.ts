import {
  AppError,
  AtRiskQuerySchema,
  AtRiskSchema,
  CustomerScoresSchema,
  journeyOwners,
  PredictModelsSchema,
  RollupQuerySchema,
  RollupSchema,
  TrainBodySchema,
  TrainResultSchema,
} from '@cx/core';
import { getMetricsTree } from '../../drivers/tree-store.ts';
import { scoreStore } from '../../predict/score-store.ts';
import { listModelCards, trainStoreModel } from '../../predict/store-pipeline.ts';
import { atRiskCustomers } from '../../queries/predict/at-risk.ts';
import { customerScores } from '../../queries/predict/customer-scores.ts';
import { predictionRollup } from '../../queries/predict/rollup.ts';
import type { RouteRegistrar } from '../app.ts';
import { readJsonBody } from './batch.ts';
import { scopeOf } from './scope-query.ts';

/**
 * Churn and cross-sell prediction on the store (issue 6 §3): model cards, training (then scoring),
 * management roll-ups, the customers to call today and one customer's scores. Every analytic query
 * takes the request's data scope.
 */
export const registerPredictRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/predict/models',
    summary:
      'Model cards of the active churn and cross-sell models: cross-validated AUC ± std, the learner chosen and the candidates, calibration per decile, lift at the top decile, training date, cutoff, horizon and features',
    tags: ['predict'],
    response: PredictModelsSchema,
  });
  app.get('/api/predict/models', async (c) => {
    return c.json(PredictModelsSchema.parse({ models: await listModelCards(deps.warehouse) }));
  });

  api.add({
    method: 'post',
    path: '/api/predict/train',
    summary:
      'Trains a store model (features strictly before the cutoff, label within the horizon; logistic regression and gradient-boosted trees chosen by cross-validation), stores it as the active model of its target and scores every active customer with it. Takes seconds.',
    tags: ['predict'],
    body: TrainBodySchema,
    response: TrainResultSchema,
  });
  app.post('/api/predict/train', async (c) => {
    const body = TrainBodySchema.parse(await readJsonBody(c, deps.config.maxBodyBytes));
    const t0 = performance.now();
    const card = await trainStoreModel(deps, {
      target: body.target,
      ...(body.cutoff ? { cutoff: body.cutoff } : {}),
      ...(body.horizonMonths ? { horizonMonths: body.horizonMonths } : {}),
      ...(body.minPositives ? { minPositives: body.minPositives } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
    });
    const scored = await scoreStore(deps, { target: body.target });
    return c.json(
      TrainResultSchema.parse({
        card,
        scored: scored.scored,
        asOf: scored.asOf,
        seconds: (performance.now() - t0) / 1000,
      }),
    );
  });

  api.add({
    method: 'get',
    path: '/api/predict/rollup',
    summary:
      'Expected churn (Σ p) and rate, revenue at risk (Σ p × monthly revenue × 12) or cross-sell potential, by segment, region, journey (the customer’s most recent) or its owner (from the metrics tree)',
    tags: ['predict'],
    query: RollupQuerySchema,
    response: RollupSchema,
  });
  app.get('/api/predict/rollup', async (c) => {
    const q = RollupQuerySchema.parse(c.req.query());
    const owners = q.by === 'owner' ? journeyOwners((await getMetricsTree(deps.appStore)).tree) : [];
    return c.json(
      RollupSchema.parse(await predictionRollup(deps.warehouse, q.target, q.by, scopeOf(q), owners)),
    );
  });

  api.add({
    method: 'get',
    path: '/api/predict/at-risk',
    summary:
      'The customers to call today: top N by revenue at risk (P(churn) × annual value), with probability, value, segment, last contact and the reasons in words',
    tags: ['predict'],
    query: AtRiskQuerySchema,
    response: AtRiskSchema,
  });
  app.get('/api/predict/at-risk', async (c) => {
    const q = AtRiskQuerySchema.parse(c.req.query());
    return c.json(AtRiskSchema.parse(await atRiskCustomers(deps.warehouse, q.limit, scopeOf(q))));
  });

  api.add({
    method: 'get',
    path: '/api/predict/customers/:id',
    summary: "One customer's churn and cross-sell scores with rank and reasons (for the Customer 360 page)",
    tags: ['predict'],
    response: CustomerScoresSchema,
  });
  app.get('/api/predict/customers/:id', async (c) => {
    const id = c.req.param('id');
    const [known] = await deps.warehouse.all<{ n: number }>(
      'select count(*) as n from customers where customer_id = $1',
      [id],
    );
    if (!known || Number(known.n) === 0) {
      throw new AppError('not_found', `No customer ${id}`, { field: 'id' });
    }
    return c.json(CustomerScoresSchema.parse(await customerScores(deps.warehouse, id)));
  });
};
