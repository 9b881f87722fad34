import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CustomerFileResponse } from '@cx/core';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { createApp } from '../packages/server/src/http/app.ts';
import { createLlmClient } from '../packages/server/src/llm/client.ts';
import { type FakeLlm, startFakeLlm } from '../packages/server/src/llm/fake-server.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit, WEB_DIST } from './cockpit.ts';
import { enrichDemoFeedback } from './feedback-fixtures.ts';

/**
 * Customer 360 in Chromium over the demo company: search by an external id, open the 360 page, and
 * check that what it shows equals the API's answer. A second server over the same stores has an
 * LLM configured (the fake OpenAI-compatible server) for the "Summarise with LLM" button.
 */
const SHOTS = join(import.meta.dirname, '../docs/screenshots');
const LLM_REPLY = 'Long-standing customer with repeated billing contacts and long waits; at risk, call back.';

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;
let llm: FakeLlm;
let llmServer: ReturnType<typeof serve>;
let llmUrl: string;
let customerId: string;
let crmId: string;

beforeAll(async () => {
  cockpit = await startCockpit();
  const wh = cockpit.stores.warehouse;
  await seedDemo(wh, { customers: 2_000, seed: 7 });
  await enrichDemoFeedback(wh);
  // A busy customer: most survey comments, then most events.
  const [pick] = await wh.all<{ customer_id: string }>(
    `select f.customer_id from feedback f join customers c using (customer_id)
     where f.comment is not null and not exists (select 1 from outcomes o where o.customer_id = f.customer_id and o.churned)
     group by 1 order by count(*) desc, 1 limit 1`,
  );
  customerId = pick!.customer_id;
  const [crm] = await wh.all<{ external_id: string }>(
    "select external_id from identities where customer_id = ? and source = 'crm'",
    [customerId],
  );
  crmId = crm!.external_id;
  // Scores as the prediction job writes them (table from warehouse migration v4).
  await wh.run(`create table if not exists customer_scores (
    model_id varchar not null, target varchar not null, customer_id varchar not null,
    probability double not null, as_of date not null, reasons json, scored_at timestamptz not null)`);
  await wh.run(
    `insert into customer_scores values
      ('m-churn', 'churn', ?, 0.37, '2026-07-01', ?, '2026-07-01T02:00:00Z'),
      ('m-xsell', 'cross_sell', ?, 0.18, '2026-07-01', ?, '2026-07-01T02:00:00Z')`,
    [
      customerId,
      JSON.stringify([
        { feature: 'contacts_90d', contribution: 0.8, text: 'repeated contacts in the last 90 days' },
        { feature: 'last_nps', contribution: 0.5, text: 'low last NPS' },
        { feature: 'tenure_months', contribution: -0.3, text: 'long tenure' },
      ]),
      customerId,
      JSON.stringify([{ feature: 'products', contribution: 0.4, text: 'few products for the segment' }]),
    ],
  );

  llm = await startFakeLlm({ apiKey: 'sk-e2e', reply: LLM_REPLY });
  const app = createApp({
    ...cockpit.stores,
    logger: silentLogger(),
    clock: { now: () => new Date() },
    config: { maxBodyBytes: 1024 * 1024 },
    llm: createLlmClient({ url: llm.url, apiKey: 'sk-e2e', model: 'fake-gpt' }),
    webDir: WEB_DIST,
  });
  llmServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  llmUrl = `http://127.0.0.1:${(llmServer.address() as AddressInfo).port}`;

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (llmServer ? llmServer.close(() => r()) : r()));
  await llm?.close();
  await cockpit?.stop();
});

async function fileFromApi(base = cockpit.url): Promise<CustomerFileResponse> {
  const res = await fetch(`${base}/api/customers/${customerId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as CustomerFileResponse;
}
const n = (x: number) => x.toLocaleString('en');

describe('Customer 360 in Chromium', () => {
  it('finds a customer by their CRM id and opens the 360 page', async () => {
    await page.goto(cockpit.url);
    await page
      .getByRole('navigation', { name: 'Cockpit areas' })
      .getByRole('link', { name: 'Customers' })
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Customers' }).count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Customer or external id' }).fill(crmId);
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('table', { name: 'Customers found' });
    await expect.poll(() => results.getByRole('row').count()).toBe(2);
    expect(await results.getByText(`crm: ${crmId}`).count()).toBe(1);
    // A segment filter over all customers: the count is the store's.
    await page.getByRole('searchbox', { name: 'Customer or external id' }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('combobox', { name: 'Segment' }).selectOption('premium');
    const [premium] = await cockpit.stores.warehouse.all<{ n: number }>(
      "select count(*)::int as n from customers where segment = 'premium'",
    );
    await expect
      .poll(() => page.getByTestId('c360-count').textContent())
      .toBe(`1–25 of ${n(premium!.n)} customers`);
    await page.screenshot({ path: join(SHOTS, 'customers-search.png') });
    await page.getByRole('combobox', { name: 'Segment' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Customer or external id' }).fill(crmId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => results.getByRole('row').count()).toBe(2);
    await results.getByRole('link', { name: customerId }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: `Customer ${customerId}` }).count())
      .toBe(1);
    expect(new URL(page.url()).pathname).toBe(`/customers/${customerId}`);
  });

  it('shows the numbers of the API: timeline, events, scores, identities, summary', async () => {
    const f = await fileFromApi();
    const events = f.timeline.reduce((s, c) => s + c.events.length, 0);
    expect(events).toBeGreaterThan(5);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    expect(await timeline.getByTestId('c360-timeline-count').textContent()).toBe(
      `${n(f.timeline.length)} journeys, ${n(events)} events`,
    );
    // Every case of the API is an article on the page (up to the first 40 shown), newest first.
    const newest = [...f.timeline].sort((a, b) => b.start.localeCompare(a.start))[0]!;
    const article = timeline.getByRole('article').first();
    expect(await article.getAttribute('aria-label')).toContain(newest.start.slice(0, 10));
    expect(await article.getByRole('list', { name: `${newest.events.length} steps` }).count()).toBe(1);
    for (const e of newest.events)
      expect(await article.getByText(e.activity, { exact: true }).count()).toBeGreaterThan(0);

    const lastNps = f.responses.filter((r) => r.nps !== null).at(-1)!;
    expect(await page.getByTestId('c360-nps').textContent()).toBe(String(lastNps.nps));
    expect(
      await page.getByRole('region', { name: 'Churn risk' }).getByTestId('c360-churn').textContent(),
    ).toBe('37 %');
    expect(
      await page
        .getByRole('region', { name: 'Churn risk' })
        .getByText('repeated contacts in the last 90 days')
        .count(),
    ).toBe(1);
    expect(await page.getByTestId('c360-xsell').textContent()).toBe('18 %');
    const ids = page.getByRole('table', { name: 'Ids of this customer in other systems' });
    expect(await ids.getByRole('row').count()).toBe(f.identities.length + 1);
    expect(await ids.getByText(crmId).count()).toBe(1);
    const last = f.outcomes.at(-1)!;
    expect(await page.getByTestId('c360-products').textContent()).toMatch(new RegExp(`^${last.products}`));
    expect(await page.getByRole('img', { name: /^Revenue and products by month/ }).count()).toBe(1);
    const summary = page.getByRole('region', { name: 'Summary' });
    expect(await summary.getByText(f.summary.text).count()).toBe(1);
    expect(f.summary.text).toContain(
      'Churn risk 37 % (high): repeated contacts in the last 90 days, low last NPS.',
    );
    // Without an LLM configured there is no LLM button.
    expect(await summary.getByRole('button', { name: 'Summarise with LLM' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'customer-360.png'), fullPage: true });
  });

  it('filters the timeline by journey', async () => {
    const f = await fileFromApi();
    const journey = f.timeline.find((c) => c.journey && c.journey !== 'campaign')!.journey!;
    const cases = f.timeline.filter((c) => c.journey === journey);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('combobox', { name: 'Journey' }).selectOption(journey);
    await expect
      .poll(() => timeline.getByTestId('c360-timeline-count').textContent())
      .toBe(`${n(cases.length)} journeys, ${n(cases.reduce((s, c) => s + c.events.length, 0))} events`);
    expect(await timeline.getByRole('article').count()).toBe(cases.length);
  });

  it('says "not found" for an unknown customer', async () => {
    await page.goto(`${cockpit.url}/customers/NOPE-404`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('NOPE-404');
  });

  it('summarises with the configured LLM from the redacted file, and shows who wrote it', async () => {
    await page.goto(`${llmUrl}/customers/${customerId}`);
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByRole('button', { name: 'Summarise with LLM' }).click();
    await expect.poll(() => summary.getByText(LLM_REPLY).count()).toBe(1);
    expect(await summary.getByTestId('c360-summary-source').textContent()).toBe(
      'Written by fake-gpt from the PII-redacted file',
    );
    const prompt = JSON.stringify(llm.requests.at(-1)!.body);
    expect(prompt).not.toContain(customerId);
    expect(prompt).not.toContain(crmId);

    // A failing LLM: the extractive summary stays, with the reason.
    llm.options = { apiKey: 'sk-e2e', reply: 'x', status: 503 };
    await summary.getByRole('button', { name: 'Summarise with LLM' }).click();
    await expect
      .poll(() => summary.getByRole('status').textContent())
      .toBe('LLM unavailable: HTTP 503: The server had an error');
    expect(await summary.getByTestId('c360-summary-source').textContent()).toMatch(/^Extractive/);
  });
});
