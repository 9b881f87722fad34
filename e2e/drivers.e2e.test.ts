import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DriverLink, MetricsTreeVersion, StoredMetricsTree } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { weightText } from '../packages/web/src/features/drivers/format-link.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

const shots = join(import.meta.dirname, '../docs/screenshots');

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 2_000, seed: 42 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

describe('Drivers page in Chromium', () => {
  it('draws the tree with the weights of NPS ← journeys from the API', async () => {
    await page.goto(`${cockpit.url}/drivers`);
    const tree = page.getByRole('list', { name: 'Metrics tree' });
    await tree.waitFor();
    const root = await cockpit.api<DriverLink>('/api/drivers/node', {
      nodeId: 'nps',
      filters: {},
      resamples: 1000,
    });
    for (const c of root.children) {
      const row = tree.getByRole('button', { name: new RegExp(`^journey ${c.label}$`) });
      await row.waitFor();
      await expect.poll(() => row.locator('xpath=..').textContent()).toContain(weightText(root, c));
    }
    await page.getByRole('table', { name: 'Drivers of NPS' }).waitFor();
    await page.getByRole('img', { name: /^Importance–performance quadrant of the drivers of NPS/ }).waitFor();
    await page.screenshot({ path: join(shots, 'drivers-tree.png'), fullPage: false });
  });

  it('clicking a touchpoint shows its drivers with the numbers of the API, a quadrant and a what-if to NPS', async () => {
    await page.getByRole('button', { name: 'Children of Billing question' }).click();
    await page
      .getByRole('list', { name: 'Metrics tree' })
      .getByRole('button', { name: 'touchpoint Hotline' })
      .click();
    const table = page.getByRole('table', { name: 'Drivers of Hotline' });
    await table.waitFor();
    const link = await cockpit.api<DriverLink>('/api/drivers/node', {
      nodeId: 'billing_question/hotline',
      filters: {},
      resamples: 1000,
    });
    const top = link.children.toSorted((a, b) => b.share - a.share)[0]!;
    expect(top.id).toBe('billing_question/hotline/speed');
    for (const c of link.children)
      await expect.poll(() => page.getByTestId(`weight-${c.id}`).textContent()).toBe(weightText(link, c));
    await page.getByRole('img', { name: /^Weights of the 4 drivers of Hotline/ }).waitFor();
    // What-if: speed is the first driver; +0.5 points is carried up to NPS.
    const chain = page.locator('.drv-chain');
    await expect
      .poll(() => chain.textContent(), { timeout: 20_000 })
      .toMatch(/Speed improves by 0\.5.*→ NPS \+\d/);
    await page.screenshot({ path: join(shots, 'drivers-node.png'), fullPage: true });

    // One level down: the service KPIs of the hotline's speed, waiting time first.
    await page
      .getByRole('list', { name: 'Metrics tree' })
      .getByRole('button', { name: 'element Speed' })
      .click();
    const kpis = page.getByRole('table', { name: 'Drivers of Speed' });
    await kpis.waitFor();
    const speed = await cockpit.api<DriverLink>('/api/drivers/node', {
      nodeId: 'billing_question/hotline/speed',
      filters: {},
      resamples: 1000,
    });
    expect(speed.children.toSorted((a, b) => b.share - a.share)[0]!.label).toBe('Total wait (minutes)');
    for (const c of speed.children)
      await expect.poll(() => page.getByTestId(`weight-${c.id}`).textContent()).toBe(weightText(speed, c));
    await page.screenshot({ path: join(shots, 'drivers-kpis.png'), fullPage: true });
    await page
      .getByRole('list', { name: 'Metrics tree' })
      .getByRole('button', { name: 'touchpoint Hotline' })
      .click();
    await table.waitFor();
  });

  it('renames a node and saves the tree as a new version', async () => {
    expect((await cockpit.api<MetricsTreeVersion[]>('/api/drivers/tree/versions')).length).toBe(0);
    await page.getByLabel('Label', { exact: true }).fill('Hotline (billing)');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 1.' }).waitFor();
    const versions = page.getByRole('table', { name: 'Tree versions' });
    await expect.poll(() => versions.getByRole('rowheader').allTextContents()).toEqual(['1']);
    const stored = await cockpit.api<StoredMetricsTree>('/api/drivers/tree');
    expect(stored.version).toBe(1);
    expect(stored.tree.nodes.find((n) => n.id === 'billing_question/hotline')!.label).toBe(
      'Hotline (billing)',
    );
    await page.getByRole('button', { name: 'touchpoint Hotline (billing)' }).waitFor();
    await page.getByRole('heading', { name: 'Edit the tree' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'drivers-editor.png'), fullPage: false });
  });

  it('a segment filter narrows the responses of the analysis', async () => {
    await page.getByLabel('Segment').selectOption('business');
    const link = await cockpit.api<DriverLink>('/api/drivers/node', {
      nodeId: 'billing_question/hotline',
      filters: { segments: ['business'] },
      resamples: 1000,
    });
    const all = await cockpit.api<DriverLink>('/api/drivers/node', {
      nodeId: 'billing_question/hotline',
      filters: {},
      resamples: 1000,
    });
    expect(link.n).toBeLessThan(all.n);
    await expect
      .poll(() => page.locator('#drv-link-title + .drv-path + .panel-note').textContent())
      .toContain(`n = ${link.n.toLocaleString('en')}`);
    for (const c of link.children)
      await expect.poll(() => page.getByTestId(`weight-${c.id}`).textContent()).toBe(weightText(link, c));
  });
});
