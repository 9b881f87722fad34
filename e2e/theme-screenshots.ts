// Takes docs/screenshots/overview-theme.png and journeys-theme.png: the Overview and the Journeys page
// filtered by a feedback theme. The demo has no comment themes, so a fixed fifth of the responses is
// tagged first (as in overview.e2e.test.ts).
// Run: `npm run build && node bin/run-ts.js e2e/theme-screenshots.ts [customers]`.
import { join } from 'node:path';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { startCockpit } from './cockpit.ts';

const customers = Number(process.argv[2] ?? 2_000);
const shots = join(import.meta.dirname, '../docs/screenshots');

const cockpit = await startCockpit();
try {
  await seedDemo(cockpit.stores.warehouse, { customers, seed: 7 });
  await cockpit.stores.warehouse.run(
    `update feedback set themes = case hash(response_id) % 5 when 0 then ['delivery'] when 1 then ['billing_error'] end`,
  );
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(cockpit.url);
    await page.getByTestId('nps-value').waitFor();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ value: 'delivery' });
    await page.waitForResponse((r) => r.url().includes('themes=delivery'));
    await page.getByRole('img', { name: /^NPS by month/ }).waitFor();
    await page.screenshot({ path: join(shots, 'overview-theme.png'), fullPage: true });

    await page.goto(`${cockpit.url}/journeys`);
    await page.getByRole('group', { name: /^Process map:/ }).waitFor();
    await page.getByRole('combobox', { name: 'Feedback theme' }).selectOption({ value: 'billing_error' });
    await page.waitForResponse((r) => r.url().includes('/api/journeys/map'));
    await page.getByRole('group', { name: /^Process map:/ }).waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, 'journeys-theme.png'), fullPage: true });
    process.stdout.write(`${shots}/overview-theme.png\n${shots}/journeys-theme.png\n`);
  } finally {
    await browser.close();
  }
} finally {
  await cockpit.stop();
}
