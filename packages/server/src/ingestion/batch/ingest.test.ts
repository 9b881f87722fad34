import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { undoLoad } from '../loads.ts';
import { ingestBatch } from './ingest.ts';

let stores: Stores;
beforeEach(async () => {
  stores = await openStores('memory');
});
afterEach(() => stores.close());

const now = new Date('2024-06-01T12:00:00Z');
const track = (messageId: string) => ({
  type: 'track',
  messageId,
  userId: 'u1',
  event: 'E',
  timestamp: '2024-05-01T10:00:00Z',
});

describe('ingestBatch group commit', () => {
  it('writes concurrent batches together yet keeps each its own load, with duplicates across them', async () => {
    const [a, b, c] = await Promise.all([
      ingestBatch(stores.warehouse, [track('a1'), track('a2')], { now }),
      ingestBatch(stores.warehouse, [track('b1'), track('shared')], { now }),
      ingestBatch(stores.warehouse, [track('shared'), track('c1'), { type: 'track' }], { now }),
    ]);
    expect([a!.accepted, b!.accepted, c!.accepted]).toEqual([2, 2, 1]);
    expect(c!.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'rejected']);
    expect(new Set([a!.loadId, b!.loadId, c!.loadId]).size).toBe(3);
    const byLoad = await stores.warehouse.all<{ load_id: string; ids: string[] }>(
      'select load_id, list(event_id order by event_id) as ids from events group by load_id order by 2',
    );
    expect(byLoad).toEqual([
      { load_id: a!.loadId, ids: ['a1', 'a2'] },
      { load_id: b!.loadId, ids: ['b1', 'shared'] },
      { load_id: c!.loadId, ids: ['c1'] },
    ]);
    expect(
      await stores.warehouse.all(
        'select load_id, rows_read, rows_stored, rows_duplicate, rows_rejected from loads order by rows_read, rows_stored',
      ),
    ).toEqual([
      { load_id: a!.loadId, rows_read: 2, rows_stored: 2, rows_duplicate: 0, rows_rejected: 0 },
      { load_id: b!.loadId, rows_read: 2, rows_stored: 2, rows_duplicate: 0, rows_rejected: 0 },
      { load_id: c!.loadId, rows_read: 3, rows_stored: 1, rows_duplicate: 1, rows_rejected: 1 },
    ]);
    expect(await stores.warehouse.all('select load_id, line, field from dead_letters')).toEqual([
      { load_id: c!.loadId, line: 2, field: 'messageId' },
    ]);
    // Each batch can be undone on its own.
    await undoLoad(stores.warehouse, b!.loadId!, now);
    expect(await stores.warehouse.all('select event_id from events order by 1')).toEqual([
      { event_id: 'a1' },
      { event_id: 'a2' },
      { event_id: 'c1' },
    ]);
  });

  it('keeps the customers, identities and comments of each batch in a group on its own load', async () => {
    const [, b, c] = await Promise.all([
      ingestBatch(stores.warehouse, [track('a1')], { now }),
      ingestBatch(
        stores.warehouse,
        [{ type: 'identify', messageId: 'b1', userId: 'u2', traits: { segment: 'sme', crm_id: 'CRM-2' } }],
        { now },
      ),
      ingestBatch(
        stores.warehouse,
        [
          { type: 'identify', messageId: 'c1', userId: 'u3', traits: { crm_id: 'CRM-3' } },
          {
            type: 'feedback',
            messageId: 'c2',
            userId: 'u3',
            timestamp: '2024-05-01T10:00:00Z',
            nps: 3,
            comment: 'Nobody called back. Mail me at jane.doe@example.com',
          },
        ],
        { now },
      ),
    ]);
    // b and c were written in one transaction (a started the writer alone).
    expect(b!.loadId).not.toBe(c!.loadId);
    const loadOf = (sql: string) => stores.warehouse.all(sql);
    expect(
      await loadOf(
        "select customer_id, segment, load_id from customers where customer_id <> 'u1' order by 1",
      ),
    ).toEqual([
      { customer_id: 'u2', segment: 'sme', load_id: b!.loadId },
      { customer_id: 'u3', segment: null, load_id: c!.loadId },
    ]);
    expect(
      await loadOf(
        "select external_id, customer_id, load_id from identities where source <> 'user_id' order by 1",
      ),
    ).toEqual([
      { external_id: 'CRM-2', customer_id: 'u2', load_id: b!.loadId },
      { external_id: 'CRM-3', customer_id: 'u3', load_id: c!.loadId },
    ]);
    const [fb] = await stores.warehouse.all<{ comment: string; load_id: string }>(
      'select comment, load_id from feedback',
    );
    expect(fb!.load_id).toBe(c!.loadId);
    expect(fb!.comment).toContain('[email]');
    await undoLoad(stores.warehouse, c!.loadId!, now);
    expect(await loadOf('select customer_id from customers order by 1')).toEqual([
      { customer_id: 'u1' },
      { customer_id: 'u2' },
    ]);
    expect(await loadOf('select count(*) as n from feedback')).toEqual([{ n: 0 }]);
  });

  it('answers an empty batch without a load', async () => {
    expect(await ingestBatch(stores.warehouse, [], { now })).toEqual({
      loadId: null,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      results: [],
    });
    expect(await stores.warehouse.all('select count(*) as n from loads')).toEqual([{ n: 0 }]);
  });
});

describe('ingestBatch feedback', () => {
  it('stores a comment redacted, with its language, sentiment and themes, in the same commit', async () => {
    const r = await ingestBatch(
      stores.warehouse,
      [
        {
          type: 'feedback',
          messageId: 'f1',
          userId: 'u1',
          timestamp: '2024-05-01T10:00:00Z',
          nps: 2,
          comment: 'Waited 40 minutes on hold and still no answer. Write to me at jane.doe@example.com',
        },
      ],
      { now },
    );
    expect(r.accepted).toBe(1);
    const [row] = await stores.warehouse.all<Record<string, unknown>>(
      'select comment, language, sentiment, themes from feedback',
    );
    expect(row).toMatchObject({ language: 'en', sentiment: 'negative' });
    expect(row!.comment).toContain('[email]');
    expect(row!.comment).not.toContain('jane.doe');
    expect(row!.themes).toContain('waiting_time');
  });
});
