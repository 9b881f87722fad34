import { UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { rebuildJourneyIndex } from './journey-index.ts';
import { journeyMap } from './journey-map.ts';
import { appendLog, randomLog, significant } from './journey-test-log.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await appendLog(stores.warehouse, randomLog(120, 11));
});
afterAll(() => stores.close());

/**
 * The map on the top k activities must be the map of the log with every other activity's events
 * removed (the event-level `activities.keep` filter, which re-derives successors by a window over
 * the remaining events): same DFG with edge times, same start and end activities.
 */
async function expectProjectionEqualsKeepFilter(k: number): Promise<void> {
  const wh = stores.warehouse;
  const projected = await journeyMap(wh, UNRESTRICTED, {}, { maxActivities: k });
  const top = projected.activities.slice(0, k).map((a) => a.name);
  const kept = await journeyMap(wh, UNRESTRICTED, { filter: { activities: { keep: top } } });
  expect(projected.dfg.length).toBeGreaterThan(0);
  expect(significant(projected.dfg)).toEqual(significant(kept.dfg));
  expect(projected.startActivities).toEqual(kept.startActivities);
  expect(projected.endActivities).toEqual(kept.endActivities);
}

describe('journey map on the top activities', () => {
  it.each([1, 2, 3, 5])('k = %i, live: equals the log with the other activities removed', async (k) => {
    await expectProjectionEqualsKeepFilter(k);
  });

  it.each([1, 2, 3, 5])('k = %i, from the journey index: the same', async (k) => {
    await rebuildJourneyIndex(stores.warehouse);
    await expectProjectionEqualsKeepFilter(k);
  });
});
