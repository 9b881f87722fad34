import { text } from '@cx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { addLabels, getLabels, labelCounts, listModels, loadModel, saveModel } from './model-store.ts';
import { getTaxonomy, listTaxonomyVersions, saveTaxonomy } from './taxonomy-store.ts';

let stores: Stores;
beforeEach(async () => {
  stores = await openStores('memory');
});
afterEach(() => stores.close());

const by = (iso: string) => ({ actor: 'ana', now: new Date(iso) });

describe('taxonomy store', () => {
  it('starts at the built-in default as version 1 and stores each edit as the next version', async () => {
    const first = await getTaxonomy(stores.appStore);
    expect(first).toMatchObject({ stored: false, taxonomy: { version: 1 } });
    expect(first.taxonomy).toBe(text.DEFAULT_TAXONOMY);

    const edited = { themes: [{ id: 'billing', label: 'Billing', keywords: ['invoice', 'bill'] }] };
    const v2 = await saveTaxonomy(stores.appStore, { ...edited, version: 99 }, by('2024-05-01T10:00:00Z'));
    expect(v2.taxonomy.version).toBe(2);
    const v3 = await saveTaxonomy(
      stores.appStore,
      { themes: [...edited.themes, { id: 'wait', label: 'Wait', keywords: ['queue'] }] },
      by('2024-05-02T10:00:00Z'),
    );
    expect(v3.taxonomy.version).toBe(3);
    expect((await getTaxonomy(stores.appStore)).taxonomy.themes.map((t) => t.id)).toEqual([
      'billing',
      'wait',
    ]);
    expect((await getTaxonomy(stores.appStore, 2)).taxonomy.themes).toHaveLength(1);
    expect((await getTaxonomy(stores.appStore, 1)).stored).toBe(false);
    await expect(getTaxonomy(stores.appStore, 7)).rejects.toMatchObject({ code: 'not_found' });
    expect(
      (await listTaxonomyVersions(stores.appStore)).map((v) => [v.version, v.themes, v.createdBy]),
    ).toEqual([
      [1, text.DEFAULT_TAXONOMY.themes.length, null],
      [2, 1, 'ana'],
      [3, 2, 'ana'],
    ]);
    const log = await stores.appStore.db.selectFrom('audit_log').select(['action', 'target']).execute();
    expect(log).toEqual([
      { action: 'taxonomy.save', target: 'taxonomy:2' },
      { action: 'taxonomy.save', target: 'taxonomy:3' },
    ]);
  });

  it('refuses an invalid taxonomy naming the field, and stores nothing', async () => {
    await expect(
      saveTaxonomy(
        stores.appStore,
        { themes: [{ id: 'a', label: 'A', keywords: ['x'], parent: 'nope' }] },
        by('2024-05-01T00:00:00Z'),
      ),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: 'field themes.0.parent: parent "nope" is not a theme id',
      details: { field: 'themes.0.parent' },
    });
    await expect(saveTaxonomy(stores.appStore, 'nonsense', by('2024-05-01T00:00:00Z'))).rejects.toMatchObject(
      {
        code: 'bad_input',
      },
    );
    expect(await listTaxonomyVersions(stores.appStore)).toHaveLength(1);
  });
});

describe('labels and models', () => {
  it('stores labels per task; labelling a text again replaces its label', async () => {
    const r1 = await addLabels(
      stores.appStore,
      'sentiment',
      [
        { text: 'great', label: 'positive' },
        { text: 'awful', label: 'negative' },
        { text: 'ok', label: 'neutral', responseId: 'r1' },
      ],
      { ...by('2024-05-01T00:00:00Z'), source: 'cockpit' },
    );
    expect(r1).toEqual({ added: 3, replaced: 0, total: 3 });
    const r2 = await addLabels(
      stores.appStore,
      'sentiment',
      [
        { text: 'ok', label: 'positive' },
        { text: 'meh', label: 'neutral' },
      ],
      { ...by('2024-05-02T00:00:00Z'), source: 'csv' },
    );
    expect(r2).toEqual({ added: 1, replaced: 1, total: 4 });
    await addLabels(stores.appStore, 'dept', [{ text: 'great', label: 'Dresses' }], {
      ...by('2024-05-02T00:00:00Z'),
      source: 'api',
    });
    expect(await getLabels(stores.appStore, 'sentiment')).toEqual({
      texts: ['great', 'awful', 'ok', 'meh'],
      labels: ['positive', 'negative', 'positive', 'neutral'],
    });
    expect(await labelCounts(stores.appStore, 'sentiment')).toEqual([
      { task: 'sentiment', label: 'negative', n: 1 },
      { task: 'sentiment', label: 'neutral', n: 1 },
      { task: 'sentiment', label: 'positive', n: 2 },
    ]);
  });

  it('refuses a bad task name or an empty label and stores nothing', async () => {
    const at = { ...by('2024-05-01T00:00:00Z'), source: 'api' as const };
    await expect(
      addLabels(stores.appStore, 'bad task!', [{ text: 'x', label: 'y' }], at),
    ).rejects.toMatchObject({
      details: { field: 'task' },
    });
    await expect(
      addLabels(
        stores.appStore,
        'sentiment',
        [
          { text: 'x', label: 'y' },
          { text: 'z', label: ' ' },
        ],
        at,
      ),
    ).rejects.toMatchObject({ message: 'item 1, field items.1.label: the label is empty' });
    expect(await labelCounts(stores.appStore)).toEqual([]);
  });

  it('saves a trained model and loads it back by id or as the newest of its task', async () => {
    const texts = ['good', 'very good', 'bad', 'very bad', 'good good', 'bad bad'];
    const labels = ['pos', 'pos', 'neg', 'neg', 'pos', 'neg'];
    const model = text.trainClassifier(texts, labels, { minDf: 1 });
    const metrics = { k: 2, accuracy: 1, macroF1: 1, perClass: {}, foldAccuracy: [1, 1], trainSeconds: 0.01 };
    const a = await saveModel(stores.appStore, 'sentiment', model, metrics, by('2024-05-01T00:00:00Z'));
    const b = await saveModel(stores.appStore, 'sentiment', model, metrics, by('2024-05-03T00:00:00Z'));
    expect(a.modelId).not.toBe(b.modelId);
    expect((await loadModel(stores.appStore, { task: 'sentiment' })).info.modelId).toBe(b.modelId);
    const byId = await loadModel(stores.appStore, { modelId: a.modelId });
    expect(text.classify(byId.model, 'so good').label).toBe('pos');
    expect((await listModels(stores.appStore, 'sentiment')).map((m) => m.modelId)).toEqual([
      b.modelId,
      a.modelId,
    ]);
    await expect(loadModel(stores.appStore, { task: 'other' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
