import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@cx/core';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { errorResponse } from './errors.ts';
import { OpenApiRegistry } from './openapi.ts';
import { registerBatchRoutes } from './routes/batch.ts';
import { registerCampaignRoutes } from './routes/campaigns.ts';
import { registerCustomerRoutes } from './routes/customers.ts';
import { registerDriverRoutes } from './routes/drivers.ts';
import { registerFeedbackRoutes } from './routes/feedback.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerJourneyAnalysisRoutes } from './routes/journey-analyses.ts';
import { registerJourneyRoutes } from './routes/journeys.ts';
import { registerOverviewRoutes } from './routes/overview.ts';
import { registerPredictRoutes } from './routes/predict.ts';
import { registerSurveyRoutes } from './routes/surveys.ts';
import { registerTextRoutes } from './routes/text.ts';
import { registerValueRoutes } from './routes/value.ts';

export type AppEnv = { Variables: Record<string, unknown> };
export type RouteRegistrar = (app: Hono<AppEnv>, deps: Deps, api: OpenApiRegistry) => void;

/** Builds the HTTP app from its dependencies; nothing here reads the environment or opens files. */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = new OpenApiRegistry();

  app.onError((e, c) => errorResponse(c, e, deps.logger));

  const registrars: RouteRegistrar[] = [
    registerHealthRoutes,
    registerOverviewRoutes,
    registerBatchRoutes,
    registerJourneyRoutes,
    registerJourneyAnalysisRoutes,
    registerSurveyRoutes,
    registerFeedbackRoutes,
    registerTextRoutes,
    registerPredictRoutes,
    registerValueRoutes,
    registerCampaignRoutes,
    registerDriverRoutes,
    registerCustomerRoutes,
  ];
  for (const register of registrars) register(app, deps, api);

  app.get('/api/openapi.json', (c) => c.json(api.document()));
  app.all('/api/*', () => {
    throw new AppError('not_found', 'No such API route');
  });
  app.all('/v1/*', () => {
    throw new AppError('not_found', 'No such API route');
  });

  const webDir = deps.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    const index = readFileSync(join(webDir, 'index.html'), 'utf8');
    app.use('/assets/*', serveStatic({ root: webDir }));
    app.use('/favicon.svg', serveStatic({ root: webDir }));
    // Client-side routes: every other GET gets the single-page app.
    app.get('*', (c) => c.html(index));
  }
  return app;
}
