import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoSurveys } from '../packages/server/src/surveys/demo-surveys.ts';
import { createPersonalLink } from '../packages/server/src/surveys/triggers.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';

const SHOTS = join(import.meta.dirname, '../docs/screenshots');

let cockpit: RunningCockpit;
let browser: Browser;

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemoSurveys(cockpit.stores.appStore);
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

async function personalLink(customerId: string) {
  return createPersonalLink(
    cockpit.stores.appStore,
    {
      surveyId: 'nps-after-support',
      customerId,
      caseId: `case-${customerId}`,
      journey: 'support',
      touchpoint: 'ticket_closed',
      channel: 'phone',
      baseUrl: cockpit.url,
    },
    new Date(),
  );
}

describe('hosted survey in Chromium', () => {
  it('a customer fills the survey on a phone and the response is in the warehouse within 2 s', async () => {
    const { link, invitationId } = await personalLink('c-e2e-1');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'How did we do?' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'survey-mobile.png'), fullPage: true });

    const nps = page.getByRole('group', { name: /How likely are you to recommend us/ });
    // The follow-up for detractors appears only once a score from 0 to 6 is chosen.
    const followUp = page.getByLabel(/What should we have done better/);
    expect(await followUp.isVisible()).toBe(false);
    await nps.getByRole('radio', { name: '3', exact: true }).check();
    await followUp.waitFor({ state: 'visible' });
    await followUp.fill('I waited 40 minutes on the phone.');
    await page
      .getByRole('group', { name: /How courteous was our team/ })
      .getByRole('radio', { name: '5', exact: true })
      .check();
    await page
      .getByLabel(/anything else you would like to tell us/)
      .fill('<b>Rude</b> <script>alert(1)</script>');
    await page.screenshot({ path: join(SHOTS, 'survey-mobile-filled.png'), fullPage: true });

    const sent = Date.now();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('your feedback goes straight to the team').waitFor();
    let row: Record<string, unknown> | undefined;
    await expect
      .poll(
        async () => {
          [row] = await cockpit.stores.warehouse.all(
            `select response_id, customer_id, case_id, journey, touchpoint, channel, nps, elements::varchar as elements,
                    comment, sentiment, themes from feedback where customer_id = 'c-e2e-1'`,
          );
          return row !== undefined;
        },
        { timeout: 2000, interval: 50 },
      )
      .toBe(true);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(row).toMatchObject({
      response_id: `svy_${invitationId}`,
      case_id: 'case-c-e2e-1',
      journey: 'support',
      touchpoint: 'ticket_closed',
      channel: 'phone',
      nps: 3,
      elements: '{"courtesy":5}',
      comment: 'I waited 40 minutes on the phone.\n\n<b>Rude</b> <script>alert(1)</script>',
      sentiment: 'negative',
    });
    expect(row!.themes).toContain('waiting_time');
    await page.close();
  });

  it('works without JavaScript: a plain form post, with the problems listed on the page', async () => {
    const { link } = await personalLink('c-e2e-2');
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(link);
    // Without JS every follow-up is shown; submitting with nothing chosen is refused by the browser's
    // own required check, so send a bad answer through the optional courtesy scale only.
    await page.getByLabel(/What should we have done better/).fill('x');
    await page.evaluate(() => {
      for (const i of document.querySelectorAll('input[required]')) i.removeAttribute('required');
    });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').getByText('Please check 1 answer').waitFor();
    expect(await page.getByRole('alert').getByRole('link').textContent()).toContain('a score is required');
    await page
      .getByRole('group', { name: /How likely are you to recommend us/ })
      .getByRole('radio', { name: '10', exact: true })
      .check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('your feedback goes straight to the team').waitFor();
    const [r] = await cockpit.stores.warehouse.all<{ nps: number }>(
      `select nps from feedback where customer_id = 'c-e2e-2'`,
    );
    expect(r?.nps).toBe(10);
    await ctx.close();
  });

  it('the embed snippet shows the survey in an iframe on another page', async () => {
    const { link } = await personalLink('c-e2e-3');
    const token = new URL(link).searchParams.get('t')!;
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.setContent(
      `<h1>Partner site</h1><script src="${cockpit.url}/s/nps-after-support/embed.js" data-token="${token}"></script>`,
    );
    const frame = page.frameLocator('iframe[title="Survey"]');
    await frame.getByRole('heading', { name: 'How did we do?' }).waitFor();
    expect(await frame.locator('input[name="t"]').getAttribute('value')).toBe(token);
    await page.close();
  });
});

describe('survey designer in Chromium', () => {
  it('lists the surveys, edits a question and shows the change in the live preview', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${cockpit.url}/surveys`);
    await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Surveys' });
    await nav.getByRole('button', { name: /Welcome aboard!/ }).waitFor();
    await nav.getByRole('button', { name: /How did we do\?/ }).click();
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('How did we do?');
    const preview = page.frameLocator('iframe[title="Survey preview"]');
    await preview.getByRole('heading', { name: 'How did we do?' }).waitFor();
    await page.getByLabel('Title').fill('How did we do today?');
    await preview.getByRole('heading', { name: 'How did we do today?' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'survey-designer.png'), fullPage: false });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved nps-after-support as version 2.').waitFor();
    await page.getByRole('tab', { name: 'JSON' }).click();
    expect(await page.getByLabel('Survey as JSON (with its triggers)').inputValue()).toContain(
      '"title": "How did we do today?"',
    );
    await page.close();
  });
});
