import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AtRisk, PredictModels, Rollup } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { scoreStore } from '../packages/server/src/predict/score-store.ts';
import { trainStoreModel } from '../packages/server/src/predict/store-pipeline.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

/**
 * The Prediction page in Chromium over the demo company with both store models trained and scored:
 * the model card shows the AUC the API reports, and the customers-to-call table shows the API's
 * numbers, each linking to the Customer 360 page.
 */
const SHOTS = join(import.meta.dirname, '../docs/screenshots');

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cockpit = await startCockpit();
  const stores = cockpit.stores;
  await seedDemo(stores.warehouse, { customers: 2_000, seed: 42 });
  // The small demo has few churners: a longer window and a lower minimum than production defaults.
  await trainStoreModel(stores, {
    target: 'churn',
    cutoff: '2025-10-01',
    horizonMonths: 6,
    minPositives: 20,
  });
  await scoreStore(stores, { target: 'churn' });
  await trainStoreModel(stores, { target: 'cross_sell', minPositives: 20 });
  await scoreStore(stores, { target: 'cross_sell' });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

const api = async <T>(path: string) => (await (await fetch(`${cockpit.url}${path}`)).json()) as T;
const pct = (p: number) => `${(100 * p).toFixed(1)} %`;

describe('Prediction page', () => {
  it('shows the model cards with the AUC and a calibration plot', async () => {
    const { models } = await api<PredictModels>('/api/predict/models');
    const churn = models.find((m) => m.target === 'churn')!;
    await page.goto(`${cockpit.url}/predict`);
    await expect.poll(() => page.getByTestId('auc-churn').textContent()).toBe(`AUC ${churn.auc.toFixed(3)}`);
    const cross = models.find((m) => m.target === 'cross_sell')!;
    expect(await page.getByTestId('auc-cross_sell').textContent()).toBe(`AUC ${cross.auc.toFixed(3)}`);
    await page.getByRole('img', { name: /^Calibration of the churn model/ }).waitFor();
    await page.getByRole('heading', { name: 'Expected churn and revenue at risk' }).waitFor();
  });

  it('lists the customers to call today with the API numbers and links to the 360 page', async () => {
    const list = await api<AtRisk>('/api/predict/at-risk?limit=25');
    expect(list.rows.length).toBe(25);
    const table = page.getByRole('table', { name: 'Customers to call today' });
    await table.waitFor();
    const rows = table.getByRole('row');
    await expect.poll(() => rows.count()).toBe(26);
    for (const [i, r] of list.rows.slice(0, 5).entries()) {
      const row = rows.nth(i + 1);
      expect(await row.getByRole('link').textContent()).toBe(r.customerId);
      expect(await row.getByTestId('probability').textContent()).toBe(pct(r.probability));
      for (const reason of r.reasons) expect(await row.textContent()).toContain(reason.text);
    }
    await page.screenshot({ path: join(SHOTS, 'predict-page.png'), fullPage: true });
    await rows.nth(1).getByRole('link').click();
    await expect.poll(() => page.url()).toBe(`${cockpit.url}/customers/${list.rows[0]!.customerId}`);
  });

  it('trains again from the card with the same cutoff and horizon', async () => {
    const before = (await api<PredictModels>('/api/predict/models')).models.find(
      (m) => m.target === 'churn',
    )!;
    await page.goto(`${cockpit.url}/predict`);
    const card = page.getByRole('region', { name: 'Churn within the horizon' });
    await card.getByRole('button', { name: 'Train again' }).click();
    await card.getByRole('button', { name: 'Training…' }).waitFor();
    await card.getByRole('button', { name: 'Train again' }).waitFor({ timeout: 120_000 });
    const after = (await api<PredictModels>('/api/predict/models')).models.find((m) => m.target === 'churn')!;
    expect(after.modelId).not.toBe(before.modelId);
    expect(after).toMatchObject({ cutoff: '2025-10-01', horizonMonths: 6, auc: before.auc });
    expect(await card.getByRole('alert').count()).toBe(0);
    await expect.poll(() => card.getByText(`before ${after.cutoff}`).count()).toBe(1);
  }, 180_000);

  it('filters by segment: the table and roll-up follow the API', async () => {
    await page.goto(`${cockpit.url}/predict`);
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ value: 'business' });
    const list = await api<AtRisk>('/api/predict/at-risk?limit=25&segments=business');
    const table = page.getByRole('table', { name: 'Customers to call today' });
    await expect
      .poll(() => table.getByRole('row').nth(1).getByRole('link').textContent())
      .toBe(list.rows[0]!.customerId);
    await page.getByRole('combobox', { name: 'Group by' }).selectOption('journey');
    await page.getByRole('table', { name: 'Churn by journey' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'predict-business-by-journey.png'), fullPage: true });
  });

  it('rolls up by journey owner from the metrics tree, with the API numbers', async () => {
    await page.getByRole('combobox', { name: 'Group by' }).selectOption('owner');
    const table = page.getByRole('table', { name: 'Churn by owner' });
    await table.waitFor();
    const r = await api<Rollup>('/api/predict/rollup?target=churn&by=owner&segments=business');
    const billing = r.rows.find((x) => x.group === 'Head of Billing')!;
    expect(billing.customers).toBeGreaterThan(0);
    const row = table.getByRole('row').filter({ hasText: 'Head of Billing' });
    await expect
      .poll(() => row.getByRole('cell').nth(0).textContent())
      .toBe(billing.customers.toLocaleString('en'));
  });
});
