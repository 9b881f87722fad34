import type { Logger } from 'pino';
import type { Warehouse } from '../warehouse/port.ts';
import { scoreStore } from './score-store.ts';
import { trainStoreModel } from './store-pipeline.ts';

/**
 * After the server seeds the demo company, the Prediction page should not be empty: train and score
 * both store models. Cross-validating two learners takes ~20 s per target at 20k customers, too long to hold up `npm start`, so main.ts runs this in the background after the server
 * listens; the page shows "no model yet" until it is done.
 *
 * The 20k demo has ~480 churners in the default 3-month label window, below the 500 a production
 * model asks for, so the demo trains with a lower minimum (100) — logged, and shown on the card.
 */
export const DEMO_MIN_POSITIVES = 100;

export async function trainDemoModels(stores: { warehouse: Warehouse }, logger: Logger): Promise<void> {
  for (const target of ['churn', 'cross_sell'] as const) {
    const t0 = performance.now();
    try {
      // One worker thread: the other core stays free for the first visitors' requests.
      const card = await trainStoreModel(stores, { target, minPositives: DEMO_MIN_POSITIVES, workers: 1 });
      const scored = await scoreStore(stores, { target });
      logger.info(
        {
          target,
          auc: Number(card.auc.toFixed(3)),
          model: card.model,
          scored: scored.scored,
          seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
        },
        `demo ${target} model trained and scored (minimum positives lowered to ${DEMO_MIN_POSITIVES} for the demo)`,
      );
    } catch (err) {
      logger.warn({ err, target }, `demo ${target} model not trained`);
    }
  }
}
