import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Config } from './config.ts';
import { systemClock } from './deps.ts';
import { createApp } from './http/app.ts';
import { startJourneyIndexRefresher } from './jobs/journey-index-refresher.ts';
import { createLlmClient } from './llm/client.ts';
import { createLogger } from './logger.ts';
import { tableCounts } from './queries/table-counts.ts';
import { openStores } from './stores.ts';
import { seedDemoSurveys } from './surveys/demo-surveys.ts';
import { scheduleTriggers } from './surveys/triggers.ts';

/** Where `vite build` puts the cockpit. */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Composition root: opens the stores, seeds the demo company if asked and empty, and serves. */
export async function startServer(config: Config, opts: { seedDemoIfEmpty: boolean }) {
  const started = Date.now();
  const logger = createLogger(config.logLevel);
  const stores = await openStores(config);
  let seeded = false;
  if (opts.seedDemoIfEmpty) {
    const counts = await tableCounts(stores.warehouse);
    if (counts.events === 0 && counts.customers === 0) {
      const { seedDemo } = await import('./demo/seed.ts');
      logger.info({ customers: config.demoCustomers }, 'empty store: generating the demo company');
      await seedDemo(stores.warehouse, { customers: config.demoCustomers, seed: 42, progress: true });
      await seedDemoSurveys(stores.appStore);
      seeded = true;
    }
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    logger.warn(`the web app is not built (${WEB_DIST}); run \`npm run build\` — serving the API only`);
  }
  const app = createApp({
    warehouse: stores.warehouse,
    appStore: stores.appStore,
    logger,
    clock: systemClock,
    config,
    llm: config.llm ? createLlmClient(config.llm) : undefined,
    webDir: WEB_DIST,
  });
  // Built here if the store changed while no server ran; afterwards whenever the events change.
  const refresher = startJourneyIndexRefresher(stores.warehouse, logger);
  await refresher.tick();
  // Survey triggers: new touchpoint events become personal survey invitations (sampling, quiet period).
  const stopTriggers = scheduleTriggers(stores, systemClock, logger, {
    baseUrl: `http://localhost:${config.port}`,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info(
      `CX Cockpit ready on http://localhost:${info.port} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  });
  // Churn and cross-sell models for the demo: ~1 min of training at 20k customers, so in the
  // background (a worker thread) once the server listens; the Prediction page fills when done.
  if (seeded) void import('./predict/demo-models.ts').then((m) => m.trainDemoModels(stores, logger));
  const shutdown = async () => {
    refresher.stop();
    stopTriggers();
    server.close();
    await stores.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return server;
}
