import { afterAll, beforeAll } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

// Response bodies are checked with the zod schemas in the tests; loosely typed here.
// biome-ignore lint/suspicious/noExplicitAny: test helper over JSON of several shapes
export type Body = any;

export interface DemoApp {
  stores: Stores;
  app: ReturnType<typeof createApp>;
  /** GETs a path from the app and reads the JSON answer. */
  get(path: string): Promise<{ status: number; body: Body }>;
}

/**
 * The route tests' fixture (test support only): a small demo company in in-memory stores behind the app,
 * on a fixed clock, set up once for the file (registers its own beforeAll/afterAll). Read `stores` and
 * `app` inside tests, after setup.
 */
export function useDemoApp(demo: { customers: number; seed: number }): DemoApp {
  const fixture = {
    get: async (path: string) => {
      const res = await fixture.app.request(path);
      return { status: res.status, body: (await res.json()) as Body };
    },
  } as DemoApp;
  beforeAll(async () => {
    fixture.stores = await openStores('memory');
    await seedDemo(fixture.stores.warehouse, demo);
    fixture.app = createApp({
      ...fixture.stores,
      logger: silentLogger(),
      clock: { now: () => new Date('2026-07-01T00:00:00Z') },
      config: { maxBodyBytes: 1024 },
    });
  }, 60_000);
  afterAll(() => fixture.stores.close());
  return fixture;
}
