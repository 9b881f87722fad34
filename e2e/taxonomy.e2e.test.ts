import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import type {
  LabelCount,
  ModelInfo,
  StoredTaxonomy,
  TaxonomyVersion,
} from '../packages/web/src/features/feedback/text-api.ts';
import { launchBrowser } from './browser.ts';
import { type RunningCockpit, startCockpit } from './cockpit.ts';
import { enrichDemoFeedback } from './feedback-fixtures.ts';

const shots = join(import.meta.dirname, '../docs/screenshots');

let cockpit: RunningCockpit;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  cockpit = await startCockpit();
  await seedDemo(cockpit.stores.warehouse, { customers: 1_000, seed: 7 });
  await enrichDemoFeedback(cockpit.stores.warehouse);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
  await cockpit?.stop();
});

describe('Theme taxonomy in Chromium', () => {
  it('edits a theme’s keywords, tests a comment on the unsaved draft, and saves version 2', async () => {
    const before = await cockpit.api<StoredTaxonomy>('/api/text/taxonomy');
    expect(before.version).toBe(1);
    const theme = before.themes[0]!;
    await page.goto(`${cockpit.url}/feedback/taxonomy`);
    const table = page.getByRole('table', { name: 'Themes of the taxonomy' });
    await table.waitFor();
    await expect.poll(() => table.getByRole('row').count()).toBe(before.themes.length + 1);

    // "quokka" matches nothing in the built-in taxonomy…
    const sample = page.getByLabel('Comment to test', { exact: true });
    await sample.fill('Quokka sighting');
    const matches = page.getByTestId('taxonomy-matches');
    await expect.poll(() => matches.textContent()).toBe('No theme matches.');

    // …and the theme as soon as it is one of its keywords, before anything is saved.
    const keywords = page.getByLabel(`Keywords of ${theme.label}`, { exact: true });
    await keywords.fill(`${theme.keywords.join(', ')}, quokka`);
    await expect
      .poll(() =>
        matches.getByRole('list', { name: 'Matching themes' }).getByRole('listitem').allTextContents(),
      )
      .toContain(theme.label);
    expect((await cockpit.api<StoredTaxonomy>('/api/text/taxonomy')).version).toBe(1);

    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
    const versions = page.getByRole('table', { name: 'Taxonomy versions' });
    await expect.poll(() => versions.getByRole('rowheader').allTextContents()).toEqual(['2', '1']);
    expect(await versions.getByRole('row').nth(1).textContent()).toContain('api');

    const after = await cockpit.api<StoredTaxonomy>('/api/text/taxonomy');
    expect(after.version).toBe(2);
    expect(after.themes.find((t) => t.id === theme.id)!.keywords).toEqual([...theme.keywords, 'quokka']);
    expect(
      (await cockpit.api<TaxonomyVersion[]>('/api/text/taxonomy/versions')).map((v) => v.version),
    ).toEqual([1, 2]);

    mkdirSync(shots, { recursive: true });
    await page
      .getByLabel('Comment to test', { exact: true })
      .fill('I waited 40 minutes on hold and then a quokka ate the invoice');
    await page.screenshot({ path: join(shots, 'feedback-taxonomy.png'), fullPage: false });
  });

  it('shows the server’s error naming the field, and stores nothing', async () => {
    await page.getByLabel('Id of theme 2', { exact: true }).fill('Not An Id');
    await page.getByRole('button', { name: 'Save as version 3' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Not saved: .*themes\.1\.id/);
    expect(
      (await cockpit.api<TaxonomyVersion[]>('/api/text/taxonomy/versions')).map((v) => v.version),
    ).toEqual([1, 2]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await page.getByLabel('Id of theme 2', { exact: true }).inputValue()).not.toBe('Not An Id');
  });

  it('adds and removes a theme, which the test box follows', async () => {
    await page.getByRole('button', { name: 'Add theme' }).click();
    const n = await page.getByRole('table', { name: 'Themes of the taxonomy' }).getByRole('row').count();
    const i = n - 1;
    await page.getByLabel(`Id of theme ${i}`, { exact: true }).fill('wombats');
    await page.getByLabel(`Label of theme ${i}`, { exact: true }).fill('Wombats');
    await page.getByLabel('Keywords of Wombats', { exact: true }).fill('wombat');
    await page.getByLabel('Comment to test', { exact: true }).fill('Two wombats at the door');
    const items = page.getByTestId('taxonomy-matches').getByRole('listitem');
    await expect.poll(() => items.allTextContents()).toEqual(['Wombats']);
    await page.getByRole('button', { name: 'Remove Wombats' }).click();
    await expect.poll(() => page.getByTestId('taxonomy-matches').textContent()).toBe('No theme matches.');
  });
});

describe('Labelling and training in Chromium', () => {
  it('labels comments in the explorer and trains a model whose cross-validated accuracy is shown', async () => {
    await page.goto(`${cockpit.url}/feedback/comments`);
    await page.getByTestId('comment-total').waitFor();
    const items = page.locator('.fb-comment');
    await expect.poll(() => items.count()).toBeGreaterThan(10);
    // Labelling the same text again replaces its label, so each label goes to a different text.
    const seen = new Set<string>();
    const want = { negative: 3, positive: 3 };
    const done = { negative: 0, positive: 0 };
    for (let i = 0; i < (await items.count()) && (done.negative < 3 || done.positive < 3); i++) {
      const item = items.nth(i);
      const t = (await item.locator('p.text').textContent())!;
      if (seen.has(t)) continue;
      seen.add(t);
      const label = done.negative < want.negative ? 'negative' : 'positive';
      await item.getByLabel('Label this comment', { exact: true }).selectOption(`sentiment|${label}`);
      await item.getByTestId('label-state').filter({ hasText: '✓ Labelled' }).waitFor();
      done[label]++;
    }
    expect(done).toEqual(want);
    await page.screenshot({ path: join(shots, 'feedback-labelling.png'), fullPage: false });
    const counts = await cockpit.api<LabelCount[]>('/api/text/labels?task=sentiment');
    expect(counts.map((c) => [c.label, c.n]).sort()).toEqual([
      ['negative', 3],
      ['positive', 3],
    ]);

    await page.goto(`${cockpit.url}/feedback/models`);
    const row = page.locator('tr[data-task="sentiment"]');
    await row.waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('6');
    await row.getByRole('button', { name: 'Train sentiment' }).click();
    const accuracy = page.getByTestId('model-accuracy');
    await accuracy.waitFor({ timeout: 30_000 });
    const [model] = await cockpit.api<ModelInfo[]>('/api/text/models?task=sentiment');
    expect(model!.nExamples).toBe(6);
    expect(model!.metrics!.k).toBe(3);
    expect(await accuracy.textContent()).toBe(`${(100 * model!.metrics!.accuracy).toFixed(1)} %`);
    expect(await page.getByTestId('model-f1').textContent()).toBe(
      `${(100 * model!.metrics!.macroF1).toFixed(1)} %`,
    );
    const models = page.getByRole('table', { name: 'Trained models' });
    await expect.poll(() => models.locator(`tr[data-model-id="${model!.modelId}"]`).count()).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('imports labels from a CSV, refusing a bad file with its line, and applies a model to new comments', async () => {
    const file = page.getByLabel(/^Labels from a CSV/);
    await page.getByLabel('Task', { exact: true }).fill('theme');
    await file.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('text,label\nthe bill was wrong,billing\nno label here,\n'),
    });
    await expect
      .poll(() => page.getByTestId('csv-state').textContent())
      .toBe('bad.csv, line 3, field label: empty');
    expect(await cockpit.api<LabelCount[]>('/api/text/labels?task=theme')).toEqual([]);

    const rows = ['text,label', 'the bill was wrong,billing', '"charged twice, again",billing'];
    rows.push('"waited an hour, on hold",waiting_time', 'queue took forever,waiting_time');
    await file.setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await expect
      .poll(() => page.getByTestId('csv-state').textContent())
      .toBe('good.csv: 4 labels added, 0 replaced.');
    await page.locator('tr[data-task="theme"]').waitFor();
    const counts = await cockpit.api<LabelCount[]>('/api/text/labels?task=theme');
    expect(counts.map((c) => [c.label, c.n]).sort()).toEqual([
      ['billing', 2],
      ['waiting_time', 2],
    ]);

    const [model] = await cockpit.api<ModelInfo[]>('/api/text/models?task=sentiment');
    await page.getByRole('button', { name: `Apply model ${model!.modelId} to new comments` }).click();
    await page.locator(`tr[data-model-id="${model!.modelId}"] .md-active`).waitFor();
    const [after] = await cockpit.api<ModelInfo[]>('/api/text/models?task=sentiment');
    expect(after!.active).toBe('sentiment');
    await page.screenshot({ path: join(shots, 'feedback-models.png'), fullPage: false });
  });
});
