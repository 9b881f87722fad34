// Takes docs/screenshot.png: the Overview over the demo company, with the same harness as the
// browser tests. Run: `npm run build && node bin/run-ts.js e2e/screenshot.ts [customers]`.
import { join } from 'node:path';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { startCockpit } from './cockpit.ts';

const customers = Number(process.argv[2] ?? 20_000);
const out = join(import.meta.dirname, '../docs/screenshot.png');

const cockpit = await startCockpit();
try {
  // The same company `npm start` seeds (seed 42).
  await seedDemo(cockpit.stores.warehouse, { customers, seed: 42 });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(cockpit.url);
    await page.getByTestId('nps-value').waitFor();
    await page.getByRole('img', { name: /^NPS by month/ }).waitFor();
    await page.screenshot({ path: out, fullPage: true });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
  }
} finally {
  await cockpit.stop();
}
