import type { Overview } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 2_000, seed: 7 });
  // The demo has no comment themes; tag a fixed fifth of the responses so the theme picker has values.
  await cockpit.stores.warehouse.run(
    `update feedback set themes = case hash(response_id) % 5 when 0 then ['delivery'] when 1 then ['billing_error'] end`,
  );
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

/** The NPS the Overview must show, computed straight from the store by SQL — not through the API. */
async function npsFromStore(year?: string): Promise<{ nps: number; n: number }> {
  const [row] = await cockpit.stores.warehouse.all<{ nps: number; n: number }>(
    `select 100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(*) as nps,
            count(*) as n
     from feedback where nps is not null ${year ? `and year(ts at time zone 'UTC') = ${Number(year)}` : ''}`,
  );
  return row!;
}

const signed = (x: number) => {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
};

describe('Overview in Chromium', () => {
  it('opens the cockpit on the Overview with its navigation', async () => {
    await page.goto(cockpit.url);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).count()).toBe(1);
    const nav = page.getByRole('navigation', { name: 'Cockpit areas' });
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows the NPS of the demo data, its n and its 95 % interval', async () => {
    const expected = await npsFromStore();
    expect(expected.n).toBeGreaterThan(100);
    const tile = page.getByRole('region', { name: 'NPS' });
    await tile.getByTestId('nps-value').waitFor();
    expect(await tile.getByTestId('nps-value').textContent()).toBe(signed(expected.nps));
    expect(await tile.getByText(`n = ${expected.n.toLocaleString('en')}`).count()).toBe(1);
    expect(await tile.getByText(/95 % interval/).count()).toBe(1);
    for (const k of ['Promoters', 'Passives', 'Detractors']) expect(await tile.getByText(k).count()).toBe(1);
  });

  it('shows customers, events, CSAT, CES, the monthly trend and the top journeys', async () => {
    const [counts] = await cockpit.stores.warehouse.all<{ customers: number; events: number }>(
      'select (select count(*) from customers) as customers, (select count(*) from events) as events',
    );
    const customers = page.getByRole('region', { name: 'Customers' });
    expect(await customers.getByText(counts!.customers.toLocaleString('en'), { exact: true }).count()).toBe(
      1,
    );
    const events = page.getByRole('region', { name: 'Events' });
    expect(await events.getByText(counts!.events.toLocaleString('en'), { exact: true }).count()).toBe(1);
    expect(
      await page
        .getByRole('region', { name: 'CSAT' })
        .getByText(/Wilson/)
        .count(),
    ).toBe(1);
    expect(await page.getByRole('region', { name: 'CES' }).getByText(/\(t\)/).count()).toBe(1);

    const trend = page.getByRole('region', { name: 'Monthly trend' });
    expect(await trend.getByRole('img', { name: /^NPS by month/ }).count()).toBe(1);
    expect(await trend.locator('svg path').count()).toBeGreaterThan(10);

    const [top] = await cockpit.stores.warehouse.all<{ journey: string }>(
      `select journey from events where journey is not null group by 1
       order by count(distinct case_id) desc, count(*) desc, journey limit 1`,
    );
    const table = page.getByRole('region', { name: 'Top journeys by volume' }).getByRole('table');
    const firstRow = table.getByRole('row').nth(1);
    expect((await firstRow.getByRole('rowheader').textContent())?.toLowerCase()).toBe(
      top!.journey.replaceAll('_', ' ').toLowerCase(),
    );
  });

  it('restricts the Overview to a year chosen in the period menu', async () => {
    const [row] = await cockpit.stores.warehouse.all<{ y: number }>(
      `select max(year(ts at time zone 'UTC')) as y from feedback where nps is not null`,
    );
    const year = String(row!.y);
    const expected = await npsFromStore(year);
    await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: year });
    const tile = page.getByRole('region', { name: 'NPS' });
    await expect
      .poll(() => tile.getByText(`n = ${expected.n.toLocaleString('en')}`).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await tile.getByTestId('nps-value').textContent()).toBe(signed(expected.nps));
  });

  it('filters the Overview by a feedback theme: the numbers change and equal the API and the store', async () => {
    await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'All data' });
    const tile = page.getByRole('region', { name: 'NPS' });
    const all = await npsFromStore();
    await expect
      .poll(() => tile.getByText(`n = ${all.n.toLocaleString('en')}`).count(), { timeout: 10_000 })
      .toBe(1);
    const [themed] = await cockpit.stores.warehouse.all<{ nps: number; n: number }>(
      `select 100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(*) as nps,
              count(*) as n
       from feedback where nps is not null and list_has_any(themes, ['delivery'])`,
    );
    expect(themed!.n).toBeGreaterThan(30);
    expect(themed!.n).toBeLessThan(all.n);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ value: 'delivery' });
    await expect
      .poll(() => tile.getByText(`n = ${themed!.n.toLocaleString('en')}`).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await tile.getByTestId('nps-value').textContent()).toBe(signed(themed!.nps));
    const api = (await (await fetch(`${cockpit.url}/api/overview?themes=delivery`)).json()) as Overview;
    expect(api.nps.n).toBe(themed!.n);
    expect(await tile.getByTestId('nps-value').textContent()).toBe(signed(api.nps.nps!));
    const customers = page.getByRole('region', { name: 'Customers' });
    expect(await customers.getByText(api.customers.toLocaleString('en'), { exact: true }).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ value: '' });
    await expect
      .poll(() => tile.getByText(`n = ${all.n.toLocaleString('en')}`).count(), { timeout: 10_000 })
      .toBe(1);
  });

  it('restricts the Overview to a region and a segment: the numbers equal the store', async () => {
    const tile = page.getByRole('region', { name: 'NPS' });
    const [sliced] = await cockpit.stores.warehouse.all<{ nps: number; n: number }>(
      `select 100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(*) as nps,
              count(*) as n
       from feedback f join customers c using (customer_id)
       where f.nps is not null and c.region = 'north' and c.segment = 'business'`,
    );
    expect(sliced!.n).toBeGreaterThan(30);
    await page.getByRole('combobox', { name: 'Region' }).selectOption({ value: 'north' });
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ value: 'business' });
    await expect
      .poll(() => tile.getByText(`n = ${sliced!.n.toLocaleString('en')}`).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await tile.getByTestId('nps-value').textContent()).toBe(signed(sliced!.nps));
    const [customers] = await cockpit.stores.warehouse.all<{ n: number }>(
      `select count(*)::int as n from customers where region = 'north' and segment = 'business'`,
    );
    const customersTile = page.getByRole('region', { name: 'Customers' });
    expect(await customersTile.getByText(customers!.n.toLocaleString('en'), { exact: true }).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Region' }).selectOption({ value: '' });
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ value: '' });
  });

  it('shows an error with the server message and recovers on "Try again"', async () => {
    const p = await browser.newPage();
    try {
      await p.route('**/api/overview*', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal', message: 'Warehouse is busy', details: null } }),
        }),
      );
      await p.goto(cockpit.url);
      const alert = p.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Warehouse is busy');
      await p.unroute('**/api/overview*');
      await alert.getByRole('button', { name: 'Try again' }).click();
      await p.getByTestId('nps-value').waitFor();
      expect(await p.getByRole('alert').count()).toBe(0);
    } finally {
      await p.close();
    }
  });
});
