import { text } from '@cx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { applyTextModels, enrichFeedbackLoad, SENTIMENT_MODEL_MIN_CONFIDENCE } from './enrich-feedback.ts';

let stores: Stores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

const COLS = ['response_id', 'comment', 'language', 'sentiment', 'load_id'];

async function seed(s: Stores, rows: (string | null)[][]) {
  await s.warehouse.append('feedback', COLS, rows);
}

interface Stored {
  response_id: string;
  comment: string | null;
  language: string | null;
  sentiment: string | null;
  sentiment_score: number | null;
  themes: string[] | null;
}

const read = (s: Stores) =>
  s.warehouse.all<Stored>(
    'select response_id, comment, language, sentiment, sentiment_score, themes from feedback order by response_id',
  );

describe('enrichFeedbackLoad', () => {
  it('enriches the comments of one load in bulk and leaves other loads alone', async () => {
    stores = await openStores('memory');
    await seed(stores, [
      ['r1', 'Waited 40 minutes, still no answer. Mail me: a@b.com', null, null, 'L1'],
      ['r2', 'Das Essen war nicht gut.', null, null, 'L1'],
      ['r3', "C'est pas mal du tout", null, null, 'L1'],
      ['r4', null, null, null, 'L1'],
      ['r5', '   ', null, null, 'L1'],
      ['r6', 'Great service', null, null, 'L2'],
    ]);
    const res = await stores.warehouse.transaction((tx) =>
      enrichFeedbackLoad(tx, 'L1', { taxonomy: text.DEFAULT_TAXONOMY, pageSize: 2 }),
    );
    expect(res.enriched).toBe(4);
    expect(res.sentiment).toEqual({ negative: 2, neutral: 0, positive: 1 });
    expect(res.redactions.email).toBe(1);

    const rows = await read(stores);
    expect(rows[0]).toMatchObject({
      response_id: 'r1',
      comment: 'Waited 40 minutes, still no answer. Mail me: [email]',
      language: 'en',
      sentiment: 'negative',
    });
    expect(rows[0]!.sentiment_score).toBeLessThan(-0.5);
    expect(rows[0]!.themes).toContain('waiting_time');
    expect(rows[1]).toMatchObject({ language: 'de', sentiment: 'negative' });
    expect(rows[2]).toMatchObject({ language: 'fr', sentiment: 'positive' });
    // No comment: untouched. Whitespace only: no text to keep, nothing to score.
    expect(rows[3]).toMatchObject({ comment: null, sentiment: null, sentiment_score: null });
    expect(rows[4]).toMatchObject({ comment: null, sentiment: null, language: null, themes: [] });
    // Another load: untouched.
    expect(rows[5]).toMatchObject({ comment: 'Great service', sentiment: null, themes: null });
  });

  it('keeps a language and sentiment the source supplied, unless asked to overwrite', async () => {
    stores = await openStores('memory');
    await seed(stores, [['r1', 'Terrible, never again', 'de', 'positive', 'L1']]);
    await stores.warehouse.transaction((tx) => enrichFeedbackLoad(tx, 'L1'));
    expect((await read(stores))[0]).toMatchObject({ language: 'de', sentiment: 'positive', themes: null });
    await stores.warehouse.transaction((tx) => enrichFeedbackLoad(tx, 'L1', { overwrite: true }));
    expect((await read(stores))[0]).toMatchObject({ language: 'en', sentiment: 'negative' });
  });

  it('handles junk, HTML and 100 kB comments without throwing', async () => {
    stores = await openStores('memory');
    await seed(stores, [
      ['r1', '\u0001\u0002 rude staff \u0007', null, null, 'L1'],
      ['r2', '<script>alert(1)</script><b>Lovely</b>', null, null, 'L1'],
      ['r3', 'awful '.repeat(20_000), null, null, 'L1'],
    ]);
    await stores.warehouse.transaction((tx) => enrichFeedbackLoad(tx, 'L1'));
    const rows = await read(stores);
    expect(rows[0]).toMatchObject({ comment: ' rude staff ', sentiment: 'negative' });
    expect(rows[1]).toMatchObject({
      comment: '<script>alert(1)</script><b>Lovely</b>',
      sentiment: 'positive',
    });
    expect(rows[2]!.comment!.length).toBe(text.MAX_COMMENT_CHARS);
    expect(rows[2]).toMatchObject({ sentiment: 'negative' });
  });

  it('is all or nothing with the surrounding transaction', async () => {
    stores = await openStores('memory');
    await seed(stores, [['r1', 'call me on +49 30 1234567', null, null, 'L1']]);
    await expect(
      stores.warehouse.transaction(async (tx) => {
        await enrichFeedbackLoad(tx, 'L1');
        throw new Error('later step of the load failed');
      }),
    ).rejects.toThrow('later step');
    expect((await read(stores))[0]).toMatchObject({ comment: 'call me on +49 30 1234567', sentiment: null });
  });

  it('returns zero counts for a load without comments', async () => {
    stores = await openStores('memory');
    const res = await stores.warehouse.transaction((tx) => enrichFeedbackLoad(tx, 'nope'));
    expect(res.enriched).toBe(0);
  });
});

describe('applyTextModels (trained models at ingest)', () => {
  const words = ['order', 'parcel', 'box', 'item', 'delivery', 'package'];
  const sentiment = text.trainClassifier(
    words.flatMap((w) => [
      `the zorblax ${w}`,
      `my ${w} was zorblax`,
      `the quimble ${w}`,
      `my ${w} was quimble`,
    ]),
    words.flatMap(() => ['positive', 'positive', 'negative', 'negative']),
  );
  const theme = text.trainClassifier(
    words.flatMap((w) => [
      `a gizmo ${w}`,
      `the gizmo in my ${w}`,
      `a ${w} on monday`,
      `the ${w} for my sister`,
    ]),
    words.flatMap(() => ['gizmos', 'gizmos', 'none', 'none']),
  );
  const lexicon = (comment: string) => text.enrichComment(comment);

  it('a confident sentiment model replaces label and score with P(positive) − P(negative)', () => {
    const e = lexicon('my zorblax box');
    expect(e.sentiment).toBe('neutral');
    const p = text.classify(sentiment, 'my zorblax box');
    expect(p.confidence).toBeGreaterThanOrEqual(SENTIMENT_MODEL_MIN_CONFIDENCE);
    const out = applyTextModels(e, { sentiment });
    expect(out.sentiment).toBe('positive');
    expect(out.sentimentScore).toBeCloseTo(p.probabilities.positive! - p.probabilities.negative!, 4);
    expect(e.sentiment).toBe('neutral'); // the input is not mutated
  });

  it('keeps the lexicon when the model is unsure (below the threshold)', () => {
    // No word the model knows: it falls back to its priors, 0.5 / 0.5 for balanced labels.
    const e = lexicon('Terrible, awful service');
    const p = text.classify(sentiment, 'Terrible, awful service');
    expect(p.confidence).toBeLessThan(SENTIMENT_MODEL_MIN_CONFIDENCE);
    expect(applyTextModels(e, { sentiment })).toEqual(e);
    expect(e.sentiment).toBe('negative');
  });

  it('a theme model adds its theme, never "none", never twice', () => {
    expect(applyTextModels(lexicon('a gizmo box'), { theme }).themes).toEqual(['gizmos']);
    expect(applyTextModels(lexicon('a box on monday'), { theme }).themes).toEqual([]);
    expect(applyTextModels({ ...lexicon('a gizmo box'), themes: ['gizmos'] }, { theme }).themes).toEqual([
      'gizmos',
    ]);
  });

  it('enrichFeedbackLoad stores the models’ labels, and themes even without a taxonomy', async () => {
    stores = await openStores('memory');
    await seed(stores, [
      ['r1', 'my quimble gizmo parcel', null, null, 'L1'],
      ['r2', 'my zorblax box', null, null, 'L1'],
    ]);
    await enrichFeedbackLoad(stores.warehouse, 'L1', { models: { sentiment, theme } });
    const rows = await read(stores);
    expect(rows.map((r) => [r.response_id, r.sentiment, r.themes])).toEqual([
      ['r1', 'negative', ['gizmos']],
      ['r2', 'positive', []],
    ]);
  });
});
