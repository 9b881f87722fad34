import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JourneyFilterInput, JourneyMap } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

const SHOTS = join(import.meta.dirname, '../docs/screenshots');

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 2_000, seed: 7 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

/** The answer of the API for a selection — what the page must show after the same click. */
async function mapFor(filter: JourneyFilterInput, scope = {}): Promise<JourneyMap> {
  const res = await fetch(`${cockpit.url}/api/journeys/map`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scope, filter }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as JourneyMap;
}

const casesShown = async () => (await page.getByTestId('kpi-cases').textContent())?.trim();
const n = (x: number) => x.toLocaleString('en');

describe('Journeys in Chromium', () => {
  it('opens the process map of the demo data from the navigation', async () => {
    await page.goto(cockpit.url);
    await page
      .getByRole('navigation', { name: 'Cockpit areas' })
      .getByRole('link', { name: 'Journeys' })
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Journeys' }).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/journeys');
    const map = page.getByRole('group', { name: /^Process map:/ });
    await map.waitFor();
    // Cases straight from the store, not through the API.
    const [row] = await cockpit.stores.warehouse.all<{ cases: number }>(
      'select count(distinct case_id)::int as cases from events',
    );
    expect(await casesShown()).toBe(n(row!.cases));
    expect(await map.getByRole('button').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(SHOTS, 'journeys-map.png'), fullPage: true });
  });

  it('a click on an activity filters every number on the page to the cases containing it', async () => {
    const all = await mapFor({});
    const map = page.getByRole('group', { name: /^Process map:/ });
    // The most frequent activity that not every case contains, so the number must change.
    const target = (await mapFor({})).activities.find((a) => a.count < all.events)!;
    const expected = await mapFor({ withActivities: [target.name] });
    expect(expected.cases).toBeLessThan(all.cases);
    await map.getByRole('button', { name: new RegExp(`^${escapeRegExp(target.name)}: `) }).click();
    await expect.poll(casesShown, { timeout: 10_000 }).toBe(n(expected.cases));
    expect(await page.getByTestId('kpi-events').textContent()).toBe(n(expected.events));
    expect(await page.getByTestId('kpi-variants').textContent()).toBe(n(expected.variants));
    const chips = page.getByRole('list', { name: 'Active filters' });
    expect(await chips.getByText(`Contains ${target.name}`).count()).toBe(1);
  });

  it('a click on an edge narrows further; removing the chips restores the totals', async () => {
    const first = (await page.getByRole('list', { name: 'Active filters' }).textContent()) ?? '';
    const activity = /Contains (.+?)×/.exec(first)![1]!;
    const before = await mapFor({ withActivities: [activity] });
    const edge = page
      .getByRole('group', { name: /^Process map:/ })
      .getByRole('button', { name: / then .*times/ })
      .first();
    const label = (await edge.getAttribute('aria-label'))!;
    const [, from, to] = /^(.+) then (.+): [\d,]+ times/.exec(label)!;
    const expected = await mapFor({
      withActivities: [activity],
      directlyFollows: [{ from: from!, to: to! }],
    });
    await edge.click();
    await expect.poll(casesShown, { timeout: 10_000 }).toBe(n(expected.cases));
    expect(expected.cases).toBeLessThanOrEqual(before.cases);
    await page.screenshot({ path: join(SHOTS, 'journeys-map-filtered.png'), fullPage: true });

    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(casesShown, { timeout: 10_000 }).toBe(n((await mapFor({})).cases));
  });

  it('switches to performance: edge labels become median times', async () => {
    await page.getByRole('radio', { name: 'Performance' }).check();
    const labels = await page.locator('.process-map .edge-label').allTextContents();
    expect(labels.some((l) => /\d (s|min|h|d)$/.test(l))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'journeys-map-performance.png'), fullPage: true });
    await page.getByRole('radio', { name: 'Frequency' }).check();
  });

  it('restricts to a journey with the scope picker', async () => {
    const expected = await mapFor({}, { journeys: ['complaint'] });
    await page.getByRole('combobox', { name: 'Journey' }).selectOption('complaint');
    await expect.poll(casesShown, { timeout: 10_000 }).toBe(n(expected.cases));
    await page.screenshot({ path: join(SHOTS, 'journeys-map-complaint.png'), fullPage: true });
  });

  it('lists variants; a click on one filters the page to its cases', async () => {
    await page
      .getByRole('navigation', { name: 'Journey views' })
      .getByRole('link', { name: 'Variants' })
      .click();
    const table = page.getByRole('table');
    await table.waitFor();
    expect(new URL(page.url()).pathname).toBe('/journeys/variants');
    const res = await fetch(`${cockpit.url}/api/journeys/variants`, {
      method: 'POST',
      body: JSON.stringify({ scope: { journeys: ['complaint'] }, limit: 2 }),
    });
    const top = ((await res.json()) as { variants: { activities: string[]; count: number }[] }).variants;
    const firstRow = table.getByRole('row').nth(1);
    expect(await firstRow.getByRole('listitem').allTextContents()).toEqual(top[0]!.activities);
    await page.screenshot({ path: join(SHOTS, 'journeys-variants.png'), fullPage: true });
    await table.getByRole('button', { name: 'Keep only variant 2', exact: true }).click();
    await expect.poll(casesShown, { timeout: 10_000 }).toBe(n(top[1]!.count));
  });

  it('builds a funnel: cases per step equal the API, a drop-off lists its cases', async () => {
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByRole('combobox', { name: 'Journey' }).selectOption('');
    await page
      .getByRole('navigation', { name: 'Journey views' })
      .getByRole('link', { name: 'Funnel' })
      .click();
    const section = page.getByRole('region', { name: 'Funnel' });
    const table = section.getByRole('table').first();
    await table.waitFor();
    const steps = await section
      .getByRole('list', { name: 'Funnel steps' })
      .getByRole('combobox')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const res = await fetch(`${cockpit.url}/api/journeys/funnel`, {
      method: 'POST',
      body: JSON.stringify({ steps, windowSeconds: 14 * 86_400, mode: 'ordered', scope: {}, filter: {} }),
    });
    const f = (await res.json()) as { steps: { cases: number; dropOff: number }[] };
    const firstCases = await table.getByRole('row').nth(1).getByRole('cell').first().textContent();
    expect(firstCases).toBe(n(f.steps[0]!.cases));
    await section.getByRole('button', { name: /^Show the \d+ cases that dropped off after step 1$/ }).click();
    const drop = section.getByRole('region', { name: /^Dropped off after/ });
    await drop.getByRole('table').waitFor();
    expect(await drop.getByText(`${n(f.steps[0]!.dropOff)} cases`, { exact: false }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'journeys-funnel.png'), fullPage: true });
  });

  it('shows the paths after an activity as a Sankey', async () => {
    await page
      .getByRole('navigation', { name: 'Journey views' })
      .getByRole('link', { name: 'Paths' })
      .click();
    const section = page.getByRole('region', { name: 'Paths' });
    await section.getByRole('img', { name: /^Sankey of the paths after/ }).waitFor();
    expect(await section.locator('svg path').count()).toBeGreaterThan(5);
    expect(await section.getByRole('table').getByRole('row').count()).toBeGreaterThan(2);
    await page.screenshot({ path: join(SHOTS, 'journeys-paths.png'), fullPage: true });
  });

  it('checks conformance with a designed journey and reacts to an edit', async () => {
    await page.getByRole('combobox', { name: 'Journey' }).selectOption('complaint');
    await page
      .getByRole('navigation', { name: 'Journey views' })
      .getByRole('link', { name: 'Conformance' })
      .click();
    const share = page.getByTestId('conformance-share');
    await share.waitFor();
    const before = await share.textContent();
    expect(before).toMatch(/^\d+\.\d %$/);
    await page.screenshot({ path: join(SHOTS, 'journeys-conformance.png'), fullPage: true });
    // Removing an allowed transition can only make fewer cases conform.
    await page.getByRole('button', { name: 'Remove transition 1', exact: true }).click();
    await page.getByRole('button', { name: 'Check conformance' }).click();
    await expect.poll(() => share.textContent(), { timeout: 10_000 }).not.toBe(before);
    expect(Number.parseFloat((await share.textContent())!)).toBeLessThan(Number.parseFloat(before!));
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
