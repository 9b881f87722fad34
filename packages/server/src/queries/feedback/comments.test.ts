import { CommentsQuerySchema } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { insertFeedbackAnalyticsFixture } from './analytics-fixture.ts';
import { searchComments } from './comments.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertFeedbackAnalyticsFixture(stores.warehouse);
});
afterAll(() => stores.close());

const search = (q: Record<string, string>, scope = {}) =>
  searchComments(stores.warehouse, CommentsQuerySchema.parse(q), scope, { from: q.from, to: q.to });

describe('searchComments', () => {
  it('lists every comment, newest first, one page at a time', async () => {
    const r = await search({ limit: '5' });
    expect(r.total).toBe(61);
    expect(r.comments).toHaveLength(5);
    expect(r.comments[0]!.responseId).toBe('D1');
    const ts = r.comments.map((c) => c.ts!);
    expect([...ts].sort().reverse()).toEqual(ts);
    const next = await search({ limit: '5', offset: '5' });
    expect(next.comments[0]!.responseId).not.toBe(r.comments[4]!.responseId);
  });

  it('searches case-insensitively with all words, and returns the spans to highlight', async () => {
    const r = await search({ q: 'WAITED', limit: '200' });
    expect(r.total).toBe(30);
    const c = r.comments.find((x) => x.responseId === 'C30')!;
    expect(c.comment.slice(...c.matches[0]!)).toBe('Waited');
    expect((await search({ q: 'waited again' })).total).toBe(10);
  });

  it('treats % and _ in the search as plain characters', async () => {
    expect((await search({ q: '50%' })).total).toBe(10);
    expect((await search({ q: '_' })).total).toBe(0);
    expect((await search({ q: '%' })).total).toBe(10);
  });

  it('filters by NPS range, category, theme, sentiment, journey and period', async () => {
    expect((await search({ category: 'promoter', theme: 'courtesy' })).total).toBe(30);
    expect((await search({ npsMin: '0', npsMax: '3' })).total).toBe(31);
    expect((await search({ sentiment: 'negative', journey: 'moving' })).total).toBe(1);
    expect((await search({ theme: 'billing_error', from: '2024-01-01', to: '2024-01-31' })).total).toBe(0);
    expect((await search({}, { regions: ['north'] })).total).toBe(10);
  });

  it('returns comments with markup exactly as stored (the cockpit renders them as text)', async () => {
    const r = await search({ q: 'script' });
    expect(r.comments[0]).toMatchObject({
      comment: '<script>alert(1)</script> bad shop',
      sentiment: 'negative',
      themes: [],
      matches: [
        [1, 7],
        [18, 24],
      ],
    });
  });
});
