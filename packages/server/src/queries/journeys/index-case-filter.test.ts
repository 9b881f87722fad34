import { FunnelSpecSchema, type JourneyFilterInput, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { funnel } from './funnel.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';
import { journeyMap } from './journey-map.ts';
import { appendLog, randomLog, significant } from './journey-test-log.ts';

/**
 * Every case-level filter the journey index answers gives exactly the live path's numbers: the map
 * (counts, variants, starts, ends, DFG with times, durations, also projected on the top activities)
 * and an ordered and a strict funnel, computed live before the index is built and from it after.
 */
const FILTERS: Record<string, JourneyFilterInput> = {
  start: { startActivities: ['a', 'c'] },
  end: { endActivities: ['f'] },
  with: { withActivities: ['b', 'd'] },
  without: { withoutActivities: ['e'] },
  size: { caseSize: { min: 4, max: 6 } },
  duration: { caseDuration: { minSeconds: 600, maxSeconds: 3000 } },
  directly: { directlyFollows: [{ from: 'b', to: 'c' }] },
  directlyExcluded: { directlyFollows: [{ from: 'a', to: 'b', exclude: true }] },
  eventually: { eventuallyFollows: [{ from: 'd', to: 'b' }] },
  eventuallyExcluded: { eventuallyFollows: [{ from: 'c', to: 'a', exclude: true }] },
  combined: { withActivities: ['c'], caseSize: { min: 5 }, endActivities: ['f', 'e'] },
  noMatch: { withActivities: ['zzz'] },
};
const SPECS = ['ordered', 'strict'].map((mode) =>
  FunnelSpecSchema.parse({ steps: ['a', 'b', 'c'], windowSeconds: 3600, mode }),
);

let stores: Stores;
const live: Record<string, unknown> = {};

async function analyse(filter: JourneyFilterInput) {
  const wh = stores.warehouse;
  return significant({
    map: await journeyMap(wh, UNRESTRICTED, { filter }),
    projected: await journeyMap(wh, UNRESTRICTED, { filter }, { maxActivities: 3 }),
    funnels: await Promise.all(SPECS.map((spec) => funnel(wh, UNRESTRICTED, { filter }, spec))),
  });
}

beforeAll(async () => {
  stores = await openStores('memory');
  await appendLog(stores.warehouse, randomLog(80));
  for (const [name, filter] of Object.entries(FILTERS)) live[name] = await analyse(filter);
  await rebuildJourneyIndex(stores.warehouse);
});
afterAll(() => stores.close());

describe('case-level filters on the journey index', () => {
  it.each(Object.keys(FILTERS))('%s: the index answers it, with the live numbers', async (name) => {
    const filter = FILTERS[name]!;
    expect((await journeySource(stores.warehouse, UNRESTRICTED, { filter })).indexed).toBe(true);
    expect(await analyse(filter)).toEqual(live[name]);
  });

  it('the filters keep different, non-empty sets of cases (the comparison is not vacuous)', () => {
    const cases = Object.entries(live).map(([name, r]) => [
      name,
      (r as { map: { cases: number } }).map.cases,
    ]);
    const counts = Object.fromEntries(cases);
    expect(counts.noMatch).toBe(0);
    const others = cases.filter(([n]) => n !== 'noMatch').map(([, c]) => c as number);
    for (const c of others) expect(c).toBeGreaterThan(0);
    for (const c of others) expect(c).toBeLessThan(80);
  });

  it('an event-level part sends the whole filter to the live path', async () => {
    const filter: JourneyFilterInput = { withActivities: ['b'], activities: { keep: ['a', 'b'] } };
    expect((await journeySource(stores.warehouse, UNRESTRICTED, { filter })).indexed).toBe(false);
  });
});
