import type { AppError } from '@cx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { listLoads, newLoadId, recordLoad, undoLoad } from './loads.ts';
import { createStage, insertStaged } from './stage.ts';

let stores: Stores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);
/** Loads events through the shared staging tail, the way every importer does. */
async function loadEvents(s: Stores, loadId: string, rows: [string | null, string, number, string][]) {
  return s.warehouse.transaction(async (tx) => {
    await createStage(tx, 'events', 'stage_events');
    await tx.append(
      'stage_events',
      ['event_id', 'case_id', 'ts', 'activity', '_ord', '_line'],
      rows.map((r, i) => [...r, i, i + 2]),
    );
    const result = await insertStaged(tx, 'events', 'stage_events', loadId);
    const now = new Date(T0);
    await recordLoad(tx, {
      loadId,
      kind: 'events',
      source: 'test',
      startedAt: now,
      finishedAt: now,
      counts: {
        rowsRead: rows.length,
        rowsStored: result.stored,
        rowsDuplicate: result.duplicate,
        rowsRejected: 0,
      },
    });
    return result;
  });
}

describe('loads and the staging tail', () => {
  it('derives stable keys, keeps exact repeats inside a file, and stores nothing twice on re-import', async () => {
    stores = await openStores('memory');
    const rows: [string | null, string, number, string][] = [
      [null, 'c1', T0, 'open'],
      [null, 'c1', T0, 'open'], // an exact repeat in the same file is a real second event (ties happen)
      [null, 'c1', T0 + 60_000, 'close'],
    ];
    expect(await loadEvents(stores, 'L1', rows)).toEqual({ stored: 3, duplicate: 0 });
    expect(await loadEvents(stores, 'L2', rows)).toEqual({ stored: 0, duplicate: 3 });
    const [n] = await stores.warehouse.all<{ n: number; ids: number }>(
      'select count(*) as n, count(distinct event_id) as ids from events',
    );
    expect(n).toEqual({ n: 3, ids: 3 });
  });

  it('treats a given key as the identity: repeats within a load and across loads are duplicates', async () => {
    stores = await openStores('memory');
    expect(
      await loadEvents(stores, 'L1', [
        ['m1', 'c1', T0, 'a'],
        ['m1', 'c1', T0, 'a'],
        ['m2', 'c1', T0, 'b'],
      ]),
    ).toEqual({ stored: 2, duplicate: 1 });
    expect(await loadEvents(stores, 'L2', [['m2', 'c9', T0, 'z']])).toEqual({ stored: 0, duplicate: 1 });
  });

  it('lists loads with their counts and undoes one completely', async () => {
    stores = await openStores('memory');
    await loadEvents(stores, 'L1', [['e1', 'c1', T0, 'a']]);
    await loadEvents(stores, 'L2', [
      ['e2', 'c2', T0, 'a'],
      ['e3', 'c2', T0, 'b'],
    ]);
    const loads = await listLoads(stores.warehouse);
    expect(loads.map((l) => [l.load_id, l.rows_stored, l.status]).sort()).toEqual([
      ['L1', 1, 'done'],
      ['L2', 2, 'done'],
    ]);
    const removed = await undoLoad(stores.warehouse, 'L2', new Date(T0));
    expect(removed.events).toBe(2);
    expect(await stores.warehouse.all('select event_id from events')).toEqual([{ event_id: 'e1' }]);
    const after = await listLoads(stores.warehouse);
    expect(after.find((l) => l.load_id === 'L2')?.status).toBe('undone');
    await expect(undoLoad(stores.warehouse, 'L2', new Date(T0))).rejects.toThrow(/already undone/);
    const missing = await undoLoad(stores.warehouse, 'nope', new Date(T0)).catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('not_found');
  });

  it('makes load ids that sort by time', () => {
    const a = newLoadId(new Date(Date.UTC(2024, 0, 1)));
    const b = newLoadId(new Date(Date.UTC(2024, 0, 2)));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^ld_20240101000000_[0-9a-f]{8}$/);
  });
});
