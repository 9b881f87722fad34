// Takes docs/screenshots/feedback-{scores,comments,themes}.png over the demo company, with the same
// harness as the browser tests. Run: `npm run build && node bin/run-ts.js e2e/feedback-screenshots.ts [customers]`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { startCockpit } from './cockpit.ts';
import { enrichDemoFeedback, insertFeedbackRow } from './feedback-fixtures.ts';

const customers = Number(process.argv[2] ?? 5_000);
const dir = join(import.meta.dirname, '../docs/screenshots');
mkdirSync(dir, { recursive: true });

const cockpit = await startCockpit();
try {
  await seedDemo(cockpit.stores.warehouse, { customers, seed: 42 });
  await enrichDemoFeedback(cockpit.stores.warehouse);
  // Dated inside the demo's last month, so the shot shows no stray one-answer month.
  const [last] = await cockpit.stores.warehouse.all<{ ts: string }>('select max(ts) as ts from feedback');
  await insertFeedbackRow(cockpit.stores.warehouse, {
    ts: new Date(last!.ts),
    journey: 'complaint',
    responseId: 'shot-xss',
    comment: '<script>alert(1)</script> The invoice was wrong twice and I waited 40 minutes on hold',
    nps: 2,
  });
  // A KPI target, so the shots show the target line beside the (illustrative) benchmark.
  await cockpit.stores.appStore.db
    .insertInto('kpis')
    .values({
      kpi_id: 'nps',
      name: 'NPS',
      definition_json: '{"metric":"nps"}',
      target: 25,
      updated_at: new Date().toISOString(),
    })
    .execute();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.on('dialog', (d) => {
      throw new Error(`A dialog fired: ${d.message()}`);
    });
    await page.goto(`${cockpit.url}/feedback`);
    await page.getByTestId('feedback-score').waitFor();
    await page.getByRole('img', { name: /by month with 95 %/ }).waitFor();
    await page.getByRole('table', { name: /by journey/ }).waitFor();
    await page.screenshot({ path: join(dir, 'feedback-scores.png'), fullPage: true });

    await page.getByRole('link', { name: 'Comments' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('wait');
    await page.locator('mark').first().waitFor();
    await page.screenshot({ path: join(dir, 'feedback-comments.png'), fullPage: false });

    await page.getByRole('link', { name: 'Themes' }).click();
    await page.getByRole('table', { name: 'Themes by volume' }).waitFor();
    await page.screenshot({ path: join(dir, 'feedback-themes.png'), fullPage: true });
    process.stdout.write(`${dir}/feedback-*.png\n`);
  } finally {
    await browser.close();
  }
} finally {
  await cockpit.stop();
}
