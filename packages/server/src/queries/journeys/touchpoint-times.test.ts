import { TouchpointTimesResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { appendLog } from './journey-test-log.ts';
import { touchpointTimes } from './touchpoint-times.ts';

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, [
    ['t1', 'u1', 0, 'A'],
    ['t1', 'u1', 10, 'B'],
    ['t1', 'u1', 40, 'C'],
    ['t2', 'u2', 0, 'A'],
    ['t2', 'u2', 20, 'B'],
    ['t2', 'u2', 20, 'C'],
    ['t3', 'u3', 0, 'A'],
    ['t3', 'u3', 60, 'B'],
    ['t4', 'u4', 0, 'A'],
    ['t5', 'u5', 0, 'A'],
    ['t5', 'u5', 5, 'A'],
    ['t5', 'u5', 10, 'B'],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('touchpoint times against targets', () => {
  it('count, median, p90 and share over target; unseen targets count 0', async () => {
    const r = TouchpointTimesResultSchema.parse(
      await touchpointTimes(s.warehouse, UNRESTRICTED, {
        targets: [
          { from: 'A', to: 'B', maxSeconds: 900 },
          { from: 'B', to: 'C', maxSeconds: 1800 },
          { from: 'X', to: 'Y', maxSeconds: 60 },
        ],
        includeUntargeted: true,
      }),
    );
    // A→B: 300, 600, 1200, 3600 s. median 900; p90 at rank 2.7 = 1200 + 0.7 · 2400 = 2880.
    // B→C: 0 (tie), 1800 s. p90 = 0.9 · 1800 = 1620; 1800 is not over a 1800 s target.
    expect(r.transitions).toEqual([
      {
        from: 'A',
        to: 'B',
        count: 4,
        medianSeconds: 900,
        p90Seconds: 2880,
        targetSeconds: 900,
        overTarget: 2,
        overTargetShare: 0.5,
      },
      {
        from: 'B',
        to: 'C',
        count: 2,
        medianSeconds: 900,
        p90Seconds: 1620,
        targetSeconds: 1800,
        overTarget: 0,
        overTargetShare: 0,
      },
      {
        from: 'X',
        to: 'Y',
        count: 0,
        medianSeconds: null,
        p90Seconds: null,
        targetSeconds: 60,
        overTarget: 0,
        overTargetShare: null,
      },
      {
        from: 'A',
        to: 'A',
        count: 1,
        medianSeconds: 300,
        p90Seconds: 300,
        targetSeconds: null,
        overTarget: null,
        overTargetShare: null,
      },
    ]);
  });

  it('without targets lists every transition when asked, nothing otherwise', async () => {
    const r = await touchpointTimes(s.warehouse, UNRESTRICTED, { includeUntargeted: true });
    expect(r.transitions.map((t) => [t.from, t.to, t.count])).toEqual([
      ['A', 'B', 4],
      ['B', 'C', 2],
      ['A', 'A', 1],
    ]);
    expect(await touchpointTimes(s.warehouse, UNRESTRICTED)).toEqual({ transitions: [] });
  });

  it('honours the filter: cases of at most two events leave only t3 A→B (3600 s)', async () => {
    const r = await touchpointTimes(s.warehouse, UNRESTRICTED, {
      targets: [{ from: 'A', to: 'B', maxSeconds: 900 }],
      filter: { caseSize: { max: 2 } },
    });
    expect(r.transitions[0]).toMatchObject({ count: 1, medianSeconds: 3600, overTarget: 1 });
  });

  it('rejects a negative target naming the field', async () => {
    await expect(
      touchpointTimes(s.warehouse, UNRESTRICTED, { targets: [{ from: 'A', to: 'B', maxSeconds: -1 }] }),
    ).rejects.toMatchObject({ code: 'bad_input', details: { field: 'targets[0].maxSeconds' } });
  });
});
