import { z } from 'zod';
import type { RouteRegistrar } from '../app.ts';

const HealthSchema = z.object({
  status: z.literal('ok'),
  warehouse: z.string(),
  appStore: z.string(),
  time: z.string(),
});

export const registerHealthRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/health',
    summary: 'Liveness and store check',
    tags: ['system'],
    response: HealthSchema,
  });
  app.get('/health', async (c) => {
    await deps.warehouse.all('select 1');
    return c.json(
      HealthSchema.parse({
        status: 'ok',
        warehouse: deps.warehouse.dialect,
        appStore: deps.appStore.dialect,
        time: deps.clock.now().toISOString(),
      }),
    );
  });
};
