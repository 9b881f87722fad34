// Takes docs/screenshots/predict-20k.png: the Prediction page over a store in CX_DATA_DIR that holds the
// 20k demo with both store models trained and scored (`npm start` does that on a fresh store).
// Run: `npm run build && CX_DATA_DIR=… node bin/run-ts.js e2e/predict-screenshot.ts`.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../packages/server/src/http/app.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { launchBrowser } from './browser.ts';
import { WEB_DIST } from './cockpit.ts';

const dir = process.env.CX_DATA_DIR ?? 'data';
const out = join(import.meta.dirname, '../docs/screenshots/predict-20k.png');
const stores = await openStores({
  dataDir: dir,
  warehousePath: join(dir, 'cx.duckdb'),
  appStorePath: join(dir, 'app.sqlite'),
  dbThreads: undefined,
});
const app = createApp({
  ...stores,
  logger: silentLogger(),
  clock: { now: () => new Date() },
  config: { maxBodyBytes: 1024 * 1024 },
  webDir: WEB_DIST,
});
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/predict`);
  await page.getByTestId('auc-churn').waitFor();
  await page.getByRole('table', { name: 'Customers to call today' }).waitFor();
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
  server.close();
  await stores.close();
}
