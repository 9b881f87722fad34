import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNRESTRICTED } from '@cx/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../stores.ts';
import type { Warehouse } from '../../warehouse/port.ts';
import { directlyFollows } from './dfg.ts';
import { isJourneyIndexStale, journeySource, rebuildJourneyIndex } from './journey-index.ts';
import { journeyMap } from './journey-map.ts';
import { variants } from './variants.ts';

const dir = mkdtempSync(join(tmpdir(), 'cx-journey-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLS = ['event_id', 'case_id', 'customer_id', 'ts', 'activity', 'channel', 'load_id'];
const at = (min: number) => Date.UTC(2024, 0, 1, 0, min);

async function seed(wh: Warehouse, rows: unknown[][]): Promise<void> {
  await wh.append('events', COLS, rows);
}

describe('journey index', () => {
  it('is used only while fresh: a write makes queries go live until it is rebuilt', async () => {
    const s = await openStores('memory');
    try {
      await s.warehouse.run(
        "insert into customers (customer_id, region, segment) values ('u1', 'north', 'consumer'), ('u2', 'south', 'business')",
      );
      await seed(s.warehouse, [
        ['1', 'c1', 'u1', at(0), 'a', 'web', 'L'],
        ['2', 'c1', 'u1', at(1), 'b', 'web', 'L'],
        ['3', 'c2', 'u2', at(0), 'a', 'shop', 'L'],
        ['4', 'c2', 'u2', at(5), 'c', 'shop', 'L'],
      ]);
      expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(false);
      const build = await rebuildJourneyIndex(s.warehouse);
      expect(build).toMatchObject({ events: 4, cases: 2, variants: 2 });
      expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(true);
      // A customer-level scope is answered from the index (no case mixes customers)…
      expect((await journeySource(s.warehouse, { regions: ['north'] })).indexed).toBe(true);
      expect(await directlyFollows(s.warehouse, { regions: ['north'] })).toMatchObject([
        { from: 'a', to: 'b', count: 1, meanSeconds: 60 },
      ]);
      // …and so is a case-level filter (index-case-filter.test.ts), while event-level scopes and
      // filters and other case notions go live.
      expect(
        (await journeySource(s.warehouse, UNRESTRICTED, { filter: { startActivities: ['a'] } })).indexed,
      ).toBe(true);
      expect((await journeySource(s.warehouse, { channels: ['web'] })).indexed).toBe(false);
      expect(
        (await journeySource(s.warehouse, UNRESTRICTED, { filter: { activities: { remove: ['b'] } } }))
          .indexed,
      ).toBe(false);
      expect(
        (await journeySource(s.warehouse, UNRESTRICTED, { caseNotion: { kind: 'customer_journey' } }))
          .indexed,
      ).toBe(false);

      await seed(s.warehouse, [['5', 'c2', 'u2', at(9), 'b', 'shop', 'L2']]);
      expect(await isJourneyIndexStale(s.warehouse)).toBe(true);
      expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(false);
      // The live path sees the new event at once.
      expect((await variants(s.warehouse, UNRESTRICTED)).map((v) => v.activities.join(''))).toEqual([
        'ab',
        'acb',
      ]);
      await rebuildJourneyIndex(s.warehouse);
      expect((await variants(s.warehouse, UNRESTRICTED)).map((v) => v.activities.join(''))).toEqual([
        'ab',
        'acb',
      ]);
    } finally {
      await s.close();
    }
  });

  it('goes live for a region scope when a case mixes customers', async () => {
    const s = await openStores('memory');
    try {
      await seed(s.warehouse, [
        ['1', 'c1', 'u1', at(0), 'a', 'web', 'L'],
        ['2', 'c1', 'u2', at(1), 'b', 'web', 'L'],
      ]);
      await rebuildJourneyIndex(s.warehouse);
      expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(true);
      expect((await journeySource(s.warehouse, { regions: ['north'] })).indexed).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('answers a journey scope when every case keeps to one journey, with the live numbers', async () => {
    const s = await openStores('memory');
    try {
      // journey of each case: c1 j1, c2 j2, c3 j1; c4 has no journey at all.
      const rows = [
        ['1', 'c1', 'u1', at(0), 'a', 'web', 'L', 'j1'],
        ['2', 'c1', 'u1', at(2), 'b', 'web', 'L', 'j1'],
        ['3', 'c1', 'u1', at(3), 'c', 'web', 'L', 'j1'],
        ['4', 'c2', 'u2', at(0), 'a', 'web', 'L', 'j2'],
        ['5', 'c2', 'u2', at(7), 'c', 'web', 'L', 'j2'],
        ['6', 'c3', 'u1', at(1), 'b', 'web', 'L', 'j1'],
        ['7', 'c3', 'u1', at(4), 'c', 'web', 'L', 'j1'],
        ['8', 'c4', 'u2', at(1), 'a', 'web', 'L', null],
        ['9', 'c4', 'u2', at(5), 'b', 'web', 'L', null],
      ];
      await s.warehouse.append('events', [...COLS, 'journey'], rows);
      const j1 = { journeys: ['j1'] };
      const filter = { withActivities: ['b'] };
      const live = [await journeyMap(s.warehouse, j1), await journeyMap(s.warehouse, j1, { filter })];
      expect(live[0]).toMatchObject({ cases: 2, events: 5 });
      await rebuildJourneyIndex(s.warehouse);
      expect((await journeySource(s.warehouse, j1, { filter })).indexed).toBe(true);
      expect([await journeyMap(s.warehouse, j1), await journeyMap(s.warehouse, j1, { filter })]).toEqual(
        live,
      );

      // One event of c2 in another journey: a j2 scope would cut c2, so journey scopes go live.
      await s.warehouse.append(
        'events',
        [...COLS, 'journey'],
        [['10', 'c2', 'u2', at(9), 'd', 'web', 'L', 'j1']],
      );
      await rebuildJourneyIndex(s.warehouse);
      expect((await journeySource(s.warehouse, j1)).indexed).toBe(false);
      expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(true);
      expect(await journeyMap(s.warehouse, { journeys: ['j2'] })).toMatchObject({ cases: 1, events: 2 });
    } finally {
      await s.close();
    }
  });

  it('is recognised as fresh after a restart by the fingerprint of the events, and as stale after a change', async () => {
    const dataDir = join(dir, 'persisted');
    const open = () =>
      openStores({
        dataDir,
        warehousePath: join(dataDir, 'cx.duckdb'),
        appStorePath: join(dataDir, 'app.sqlite'),
        dbThreads: undefined,
      });
    let s = await open();
    await seed(s.warehouse, [
      ['1', 'c1', 'u1', at(0), 'a', 'web', 'L'],
      ['2', 'c1', 'u1', at(1), 'b', 'web', 'L'],
    ]);
    await rebuildJourneyIndex(s.warehouse);
    await s.close();

    s = await open();
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(true);
    await s.warehouse.run("update events set case_id = 'c9' where event_id = '2'");
    await s.close();

    s = await open();
    try {
      expect(await isJourneyIndexStale(s.warehouse)).toBe(true);
      expect((await variants(s.warehouse, UNRESTRICTED)).map((v) => v.activities)).toEqual([['a'], ['b']]);
    } finally {
      await s.close();
    }
  });
});
