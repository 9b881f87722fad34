import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../ingestion/import/import-file.ts';
import { openStores, type Stores } from '../../stores.ts';
import { discover } from './discover.ts';
import { eventsPerCase } from './events-per-case.ts';
import { variants } from './variants.ts';

/**
 * A hand-made log: c1 has a tie (Z before B in the file, same instant — a name tie-break would put
 * B first) and repeats A; c2 is a one-event case; c3 and c4 have start + complete events of A.
 */
const LOG = `case:concept:name,concept:name,time:timestamp,lifecycle:transition
c1,A,2024-01-01T10:00:00Z,complete
c1,Z,2024-01-01T10:05:00Z,complete
c1,B,2024-01-01T10:05:00Z,complete
c1,A,2024-01-01T10:10:00Z,complete
c2,A,2024-01-01T09:00:00Z,complete
c3,A,2024-01-01T08:00:00Z,start
c3,A,2024-01-01T08:30:00Z,complete
c3,B,2024-01-01T09:00:00Z,complete
c4,A,2024-01-01T08:00:00Z,start
c4,A,2024-01-01T08:10:00Z,complete
c4,B,2024-01-01T08:40:00Z,complete
`;

let dir: string;
let s: Stores;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cx-journeys-'));
  writeFileSync(join(dir, 'log.csv'), LOG);
  s = await openStores('memory');
  await importFile(s.warehouse, { path: join(dir, 'log.csv') });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const edge = (from: string, to: string, count: number, d: number[], stdev: number | null) => ({
  from,
  to,
  count,
  meanSeconds: d.reduce((a, b) => a + b, 0) / d.length,
  medianSeconds: d.length === 2 ? (d[0]! + d[1]!) / 2 : d[0],
  minSeconds: Math.min(...d),
  maxSeconds: Math.max(...d),
  sumSeconds: d.reduce((a, b) => a + b, 0),
  stdevSeconds: stdev,
});

describe('journey discovery on a hand-made log', () => {
  it('keeps file order on ties, counts one-event cases and repeats, every lifecycle counts (PM4Py default)', async () => {
    const r = await discover(s.warehouse, UNRESTRICTED);
    expect(r.events).toBe(11);
    expect(r.cases).toBe(4);
    expect(r.activities).toEqual([
      { name: 'A', count: 7 },
      { name: 'B', count: 3 },
      { name: 'Z', count: 1 },
    ]);
    expect(r.startActivities).toEqual([{ name: 'A', count: 4 }]);
    expect(r.endActivities).toEqual([
      { name: 'A', count: 2 },
      { name: 'B', count: 2 },
    ]);
    // A→A: 1800 s (c3) and 600 s (c4): sample stdev = sqrt(2 · 600²) = 848.528…
    expect(r.dfg).toEqual([
      edge('A', 'A', 2, [600, 1800], Math.sqrt(2 * 600 ** 2)),
      edge('A', 'B', 2, [1800, 1800], 0),
      edge('A', 'Z', 1, [300], null),
      edge('B', 'A', 1, [300], null),
      edge('Z', 'B', 1, [0], null),
    ]);
    expect(r.variants).toEqual([
      { activities: ['A', 'A', 'B'], count: 2 },
      { activities: ['A'], count: 1 },
      { activities: ['A', 'Z', 'B', 'A'], count: 1 },
    ]);
    // c1 600 s, c2 0 s (one event), c3 3600 s, c4 2400 s
    expect(r.caseDurations).toEqual({ mean: 1650, median: 1500, min: 0, max: 3600 });
  });

  it('--complete-only drops start events', async () => {
    const r = await discover(s.warehouse, UNRESTRICTED, { completeOnly: true });
    expect(r.events).toBe(9);
    expect(r.dfg.map((e) => [e.from, e.to, e.count])).toEqual([
      ['A', 'B', 2],
      ['A', 'Z', 1],
      ['B', 'A', 1],
      ['Z', 'B', 1],
    ]);
    expect(r.caseDurations).toEqual({ mean: 1050, median: 1200, min: 0, max: 1800 });
  });

  it('--classifier name+lifecycle tells start from complete', async () => {
    const r = await discover(s.warehouse, UNRESTRICTED, { classifier: 'name+lifecycle' });
    expect(r.activities).toEqual([
      { name: 'A+complete', count: 5 },
      { name: 'B+complete', count: 3 },
      { name: 'A+start', count: 2 },
      { name: 'Z+complete', count: 1 },
    ]);
    expect(r.startActivities).toEqual([
      { name: 'A+complete', count: 2 },
      { name: 'A+start', count: 2 },
    ]);
  });

  it('variants carry their share; events per case', async () => {
    expect((await variants(s.warehouse, UNRESTRICTED)).map((v) => v.share)).toEqual([0.5, 0.25, 0.25]);
    expect(await eventsPerCase(s.warehouse, UNRESTRICTED)).toEqual({
      events: 11,
      cases: 4,
      mean: 2.75,
      median: 3,
      min: 1,
      max: 4,
    });
  });

  it('applies the data scope in SQL', async () => {
    await s.warehouse.run(`update events set journey = 'billing' where case_id in ('c1', 'c2')`);
    const r = await discover(s.warehouse, { journeys: ['billing'] });
    expect([r.events, r.cases]).toEqual([5, 2]);
    expect(r.variants).toEqual([
      { activities: ['A'], count: 1 },
      { activities: ['A', 'Z', 'B', 'A'], count: 1 },
    ]);
    const none = await discover(s.warehouse, { journeys: ['nope'] });
    expect(none).toMatchObject({ events: 0, cases: 0, dfg: [], variants: [] });
    expect(none.caseDurations).toEqual({ mean: null, median: null, min: null, max: null });
  });
});
