import { ReworkResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { appendLog } from './journey-test-log.ts';
import { rework } from './rework.ts';

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  // r1 repeats A, twice at the same instant (a self-loop on a tie); r2 is a one-event case; r3 repeats
  // B directly; r4 repeats C with A in between (rework, no self-loop).
  await appendLog(s.warehouse, [
    ['r1', 'u1', 0, 'A'],
    ['r1', 'u1', 1, 'B'],
    ['r1', 'u1', 2, 'A'],
    ['r1', 'u1', 2, 'A'],
    ['r2', 'u2', 0, 'A'],
    ['r3', 'u3', 0, 'B'],
    ['r3', 'u3', 1, 'B'],
    ['r3', 'u3', 2, 'C'],
    ['r4', 'u4', 0, 'C'],
    ['r4', 'u4', 1, 'A'],
    ['r4', 'u4', 2, 'C'],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('rework', () => {
  it('counts repeats, cases with a repeat and self-loops per activity', async () => {
    const r = ReworkResultSchema.parse(await rework(s.warehouse, UNRESTRICTED));
    expect(r).toEqual({
      cases: 4,
      casesWithRework: 3,
      reworkShare: 0.75,
      repeats: 4,
      selfLoops: 2,
      activities: [
        { activity: 'A', cases: 3, casesWithRepeat: 1, repeats: 2, selfLoops: 1, repeatShare: 1 / 3 },
        { activity: 'B', cases: 2, casesWithRepeat: 1, repeats: 1, selfLoops: 1, repeatShare: 0.5 },
        { activity: 'C', cases: 2, casesWithRepeat: 1, repeats: 1, selfLoops: 0, repeatShare: 0.5 },
      ],
    });
  });

  it('works on the filtered log: removing B makes r1 loop on A twice and r3 rework-free', async () => {
    const r = await rework(s.warehouse, UNRESTRICTED, { filter: { activities: { remove: ['B'] } } });
    expect([r.cases, r.casesWithRework, r.selfLoops]).toEqual([4, 2, 2]);
    expect(r.activities[0]).toEqual({
      activity: 'A',
      cases: 3,
      casesWithRepeat: 1,
      repeats: 2,
      selfLoops: 2,
      repeatShare: 1 / 3,
    });
  });

  it('an empty slice gives zeros and a null share', async () => {
    expect(await rework(s.warehouse, { journeys: ['none'] })).toEqual({
      cases: 0,
      casesWithRework: 0,
      reworkShare: null,
      repeats: 0,
      selfLoops: 0,
      activities: [],
    });
  });
});
