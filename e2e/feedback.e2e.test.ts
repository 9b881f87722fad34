import type { Comments, Scores, Themes, Trend } from '@cx/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { seedDemoSurveys } from '../packages/server/src/surveys/demo-surveys.ts';
import { createPersonalLink } from '../packages/server/src/surveys/triggers.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';
import { enrichDemoFeedback, insertFeedbackRow } from './feedback-fixtures.ts';

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 2_000, seed: 7 });
  await enrichDemoFeedback(cockpit.stores.warehouse);
  await seedDemoSurveys(cockpit.stores.appStore);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  // Any alert/confirm/prompt is a script from a comment running: record it and fail the test.
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

const signed = (x: number) => {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
};

describe('Feedback score dashboard in Chromium', () => {
  it('shows the NPS of all answers with its n, equal to the store and the API', async () => {
    const [store] = await cockpit.stores.warehouse.all<{ nps: number; n: number }>(
      `select 100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(*) as nps,
              count(*) as n from feedback where nps is not null`,
    );
    const trend = await cockpit.api<Trend>('/api/feedback/trend?metric=nps&grain=month');
    expect(trend.overall.n).toBe(store!.n);
    expect(trend.overall.score).toBeCloseTo(store!.nps, 9);

    await page.goto(`${cockpit.url}/feedback`);
    const nav = page.getByRole('navigation', { name: 'Cockpit areas' });
    expect(await nav.getByRole('link', { name: 'Feedback' }).getAttribute('aria-current')).toBe('page');
    await page.getByTestId('feedback-score').waitFor();
    expect(await page.getByTestId('feedback-score').textContent()).toBe(signed(store!.nps));
    expect(await page.getByTestId('feedback-n').textContent()).toContain(
      `n = ${store!.n.toLocaleString('en')}`,
    );
    await page.getByRole('img', { name: /^NPS by month with 95 % intervals/ }).waitFor();
  });

  it('shows the breakdown by journey sorted by score, as the API answers it', async () => {
    const scores = await cockpit.api<Scores>('/api/feedback/scores?metric=nps&by=journey');
    const table = page.getByRole('table', { name: /NPS by journey/ });
    await table.waitFor();
    const rows = table.getByRole('row');
    await expect.poll(() => rows.count()).toBe(scores.groups.length + 1);
    for (const [i, g] of scores.groups.entries()) {
      const row = rows.nth(i + 1);
      expect((await row.getByRole('rowheader').textContent())?.toLowerCase()).toBe(
        (g.group ?? '(not recorded)').replaceAll('_', ' '),
      );
      expect(await row.getByRole('cell').first().textContent()).toBe(
        g.score === null ? '—' : signed(g.score),
      );
    }
    const marked = scores.groups.filter((g) => g.significance?.significant).length;
    expect(await table.getByText(/^[▲▼]/).count()).toBe(marked);
  });

  it('switches to CSAT and shows the Wilson share', async () => {
    const trend = await cockpit.api<Trend>('/api/feedback/trend?metric=csat&grain=month');
    await page.getByRole('button', { name: 'CSAT' }).click();
    await expect
      .poll(() => page.getByTestId('feedback-score').textContent())
      .toBe(`${(100 * trend.overall.score!).toFixed(1)} %`);
    await page.getByRole('button', { name: 'NPS' }).click();
  });
});

describe('Comment explorer in Chromium', () => {
  it('shows a comment with HTML and script as text, and never runs it', async () => {
    await insertFeedbackRow(cockpit.stores.warehouse, {
      responseId: 'e2e-xss',
      comment: '<img src=x onerror="alert(2)"><script>alert(1)</script> Xsstest: the invoice was wrong',
      nps: 1,
    });
    await page.goto(`${cockpit.url}/feedback/comments`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('xsstest');
    const item = page.locator('li[data-response-id="e2e-xss"]');
    await item.waitFor({ timeout: 5000 });
    expect(await item.locator('p.text').textContent()).toBe(
      '<img src=x onerror="alert(2)"><script>alert(1)</script> Xsstest: the invoice was wrong',
    );
    expect(await page.locator('.fb-comments script, .fb-comments img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  it('highlights the search words and agrees with the API on the number found', async () => {
    const expected = await cockpit.api<Comments>('/api/feedback/comments?q=wait&limit=1');
    expect(expected.total).toBeGreaterThan(5);
    await page.getByRole('searchbox', { name: 'Search' }).fill('wait');
    await expect
      .poll(() => page.getByTestId('comment-total').textContent())
      .toMatch(new RegExp(`^${expected.total.toLocaleString('en')} comments`));
    const marks = page.locator('.fb-comments mark');
    expect(await marks.count()).toBeGreaterThan(0);
    for (const t of await marks.allTextContents()) expect(t.toLowerCase()).toBe('wait');
  });

  it('filters by NPS group and theme, and a theme chip sets the theme filter', async () => {
    const themes = await cockpit.api<Themes>('/api/feedback/themes');
    const top = themes.themes[0]!;
    const expected = await cockpit.api<Comments>(
      `/api/feedback/comments?category=detractor&theme=${encodeURIComponent(top.theme)}&limit=1`,
    );
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByLabel('NPS group').selectOption('detractor');
    await page.getByLabel('Theme', { exact: true }).selectOption(top.theme);
    await expect
      .poll(() => page.getByTestId('comment-total').textContent())
      .toMatch(new RegExp(`^${expected.total.toLocaleString('en')} comment`));

    await page.getByLabel('Theme', { exact: true }).selectOption('');
    const chip = page
      .locator('.fb-comment')
      .first()
      .getByRole('list', { name: 'Themes' })
      .getByRole('button')
      .last();
    const label = (await chip.textContent())!;
    await chip.click();
    await expect
      .poll(() => page.getByLabel('Theme', { exact: true }).inputValue())
      .toBe(label.replaceAll(' ', '_'));
  });
});

describe('Theme view in Chromium', () => {
  it('lists themes by volume with impact on NPS and emerging badges, as the API answers', async () => {
    const themes = await cockpit.api<Themes>('/api/feedback/themes');
    expect(themes.themes.length).toBeGreaterThan(3);
    await page.goto(`${cockpit.url}/feedback/themes`);
    const table = page.getByRole('table', { name: 'Themes by volume' });
    await table.waitFor();
    const first = table.getByRole('row').nth(1);
    expect((await first.getByRole('rowheader').textContent())?.toLowerCase()).toBe(
      themes.themes[0]!.theme.replaceAll('_', ' '),
    );
    expect(await table.getByText('Emerging', { exact: true }).count()).toBe(
      themes.themes.filter((t) => t.emerging.emerging).length,
    );
    await page.getByRole('img', { name: /^Themes by volume and impact on NPS/ }).waitFor();
  });
});

describe('A survey answered in Chromium reaches the cockpit', () => {
  it('shows up in the dashboard and in the comment explorer within 2 s, with its sentiment and themes', async () => {
    const before = (await cockpit.api<Trend>('/api/feedback/trend?metric=nps')).overall.n;
    const { link } = await createPersonalLink(
      cockpit.stores.appStore,
      {
        surveyId: 'nps-after-support',
        customerId: 'c-fb-e2e',
        caseId: 'case-c-fb-e2e',
        journey: 'support',
        touchpoint: 'ticket_closed',
        channel: 'phone',
        baseUrl: cockpit.url,
      },
      new Date(),
    );
    const survey = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await survey.goto(link);
    await survey
      .getByRole('group', { name: /How likely are you to recommend us/ })
      .getByRole('radio', { name: '2', exact: true })
      .check();
    await survey
      .getByLabel(/What should we have done better/)
      .fill('Quokkaword: I waited 50 minutes on hold, terrible.');
    // A CX lead has the comment explorer open on a search for the words before the answer is sent.
    const cockpitPage = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await cockpitPage.goto(`${cockpit.url}/feedback/comments?q=quokkaword`);
    await cockpitPage
      .getByTestId('comment-total')
      .filter({ hasText: /^0 comments/ })
      .waitFor();
    const item = cockpitPage.locator('.fb-comment', { hasText: 'Quokkaword' });

    const sent = Date.now();
    await survey.getByRole('button', { name: 'Send' }).click();
    await survey.getByText('your feedback goes straight to the team').waitFor();
    // …and reloads until it is there: each round is a page load and a fresh API answer.
    await expect
      .poll(
        async () => {
          await cockpitPage.reload({ waitUntil: 'domcontentloaded' });
          await cockpitPage.getByTestId('comment-total').waitFor();
          return item.count();
        },
        { timeout: 2000, interval: 20 },
      )
      .toBe(1);
    const elapsed = Date.now() - sent;
    expect(await item.getByTestId('sentiment').textContent()).toMatch(/^negative/);
    expect(await item.getByRole('list', { name: 'Themes' }).getByRole('button').allTextContents()).toContain(
      'waiting time',
    );
    expect(elapsed).toBeLessThan(2000);

    await cockpitPage.goto(`${cockpit.url}/feedback`);
    await expect
      .poll(() => cockpitPage.getByTestId('feedback-n').textContent())
      .toContain(`n = ${(before + 1).toLocaleString('en')}`);
    expect(Date.now() - sent).toBeLessThan(4000);
    await survey.close();
    await cockpitPage.close();
  });
});
