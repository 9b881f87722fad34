import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CampaignDid, Campaigns, RevenueAtRisk, ValueGroups } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

/** The Money and Campaigns pages over the demo company, in real Chromium; numbers equal the API's. */
let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;
const SHOTS = join(import.meta.dirname, '../docs/screenshots');

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 2_000, seed: 42 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

// The page's own formats (features/value/money.ts, lib/format.ts).
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const eur = (x: number) =>
  `${Math.round(x) < 0 ? '−' : ''}${Math.abs(Math.round(x)).toLocaleString('en')} EUR`;
const pts = (x: number) => {
  const s = Math.abs(100 * x).toFixed(1);
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${s} pts`;
};

describe('Money page in Chromium', () => {
  it('shows churn by NPS group, revenue at risk and the value of a moved detractor, equal to the API', async () => {
    const groups = await cockpit.api<ValueGroups>('/api/value/groups');
    const risk = await cockpit.api<RevenueAtRisk>('/api/value/revenue-at-risk?top=10');
    await page.goto(`${cockpit.url}/value`);
    const nav = page.getByRole('navigation', { name: 'Cockpit areas' });
    expect(await nav.getByRole('link', { name: 'Money' }).getAttribute('aria-current')).toBe('page');
    await page.getByTestId('churn-detractor').waitFor();
    const det = groups.groups.find((g) => g.group === 'detractor')!;
    const pro = groups.groups.find((g) => g.group === 'promoter')!;
    expect(await page.getByTestId('churn-detractor').textContent()).toBe(pct(det.churnRate));
    expect(await page.getByTestId('churn-promoter').textContent()).toBe(pct(pro.churnRate));
    expect(det.churnRate).toBeGreaterThan(pro.churnRate);
    await expect
      .poll(() => page.getByTestId('revenue-at-risk').textContent())
      .toBe(eur(risk.total.revenueAtRisk));
    expect(await page.getByTestId('move-promoter').textContent()).toBe(
      eur(groups.moveDetractor.toPromoter!.value),
    );
    expect(
      await page
        .getByRole('img', { name: /^Churn by NPS group/ })
        .locator('svg path')
        .count(),
    ).toBeGreaterThan(4);
    const table = page.getByRole('region', { name: 'What an NPS group is worth' }).getByRole('table');
    expect(await table.getByRole('row').count()).toBe(1 + groups.groups.length);
    await page.getByRole('region', { name: 'Revenue at risk by segment' }).getByRole('table').waitFor();
    await page.screenshot({ path: join(SHOTS, 'value-money.png'), fullPage: true });
  });

  it('slices by segment: the numbers change and equal the API', async () => {
    const biz = await cockpit.api<ValueGroups>('/api/value/groups?segments=business');
    const det = biz.groups.find((g) => g.group === 'detractor')!;
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ value: 'business' });
    await expect.poll(() => page.getByTestId('churn-detractor').textContent()).toBe(pct(det.churnRate));
    const risk = await cockpit.api<RevenueAtRisk>('/api/value/revenue-at-risk?segments=business');
    await expect
      .poll(() => page.getByTestId('revenue-at-risk').textContent())
      .toBe(eur(risk.total.revenueAtRisk));
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ value: '' });
  });
});

describe('Campaigns page in Chromium', () => {
  it('shows lift and ROI with intervals, the 5G lift equal to the API, and the sponsoring as not identified', async () => {
    const c = await cockpit.api<Campaigns>('/api/campaigns');
    const g5 = c.campaigns.find((x) => x.campaignId === 'CMP-5G-UPGRADE')!;
    const tv = c.campaigns.find((x) => x.campaignId === 'CMP-TV-BUNDLE')!;
    await page.goto(`${cockpit.url}/campaigns`);
    await page.getByTestId('lift-CMP-5G-UPGRADE').waitFor();
    expect(await page.getByTestId('lift-CMP-5G-UPGRADE').textContent()).toBe(pts(g5.lift!.estimate));
    expect(g5.lift!.significant).toBe(true);
    expect(await page.getByTestId('lift-CMP-TV-BUNDLE').textContent()).toBe(pts(tv.lift!.estimate));
    const row = page.getByTestId('campaign-CMP-TV-BUNDLE');
    expect(await row.getByText('not significant').count()).toBeGreaterThan(0);
    const sp = page.getByTestId('not-identified-CMP-FOOTBALL-SPONSOR');
    expect(await sp.textContent()).toMatch(/Not identified: no holdout or comparison group/);
    expect(
      await page
        .getByRole('img', { name: /^Spend against NPS effect/ })
        .locator('svg path')
        .count(),
    ).toBeGreaterThan(3);
    await page.screenshot({ path: join(SHOTS, 'campaigns-overview.png'), fullPage: true });
  });

  it('estimates a difference-in-differences for the sponsoring on request, equal to the API', async () => {
    const did = await cockpit.api<CampaignDid>(
      '/api/campaigns/CMP-FOOTBALL-SPONSOR/did?metric=conversion&exposedRegions=north',
    );
    const panel = page.getByRole('region', { name: /difference-in-differences/ });
    await panel.getByRole('combobox', { name: 'Exposed region' }).selectOption({ value: 'north' });
    await panel.getByRole('button', { name: 'Estimate' }).click();
    const result = panel.getByTestId('did-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(pts(did.lift!.estimate));
    await panel.getByRole('combobox', { name: 'Exposed region' }).selectOption({ value: '' });
    await panel.getByRole('button', { name: 'Estimate' }).click();
    await expect.poll(() => result.textContent()).toMatch(/Not identified/);
    await panel.getByRole('combobox', { name: 'Exposed region' }).selectOption({ value: 'north' });
    await panel.getByRole('button', { name: 'Estimate' }).click();
    await expect.poll(() => result.textContent()).toContain(pts(did.lift!.estimate));
    await panel.screenshot({ path: join(SHOTS, 'campaigns-did.png') });
  });
});
