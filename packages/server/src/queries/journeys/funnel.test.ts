import { type FunnelSpecInput, FunnelSpecSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { funnel, funnelDropOffCases } from './funnel.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';

/**
 * A hand-made log for steps A → B → C with a 1 h window (times on 2024-01-01, UTC):
 *  c1 web  A 10:00, B 10:10, C 10:30                    every mode converts
 *  c2 web  A 10:00, X 10:05, B 10:20, C 12:00            C is outside the window; X breaks strict
 *  c3 web  B 09:00, A 09:10                              B only before A
 *  c4 web  A 08:00                                       a one-event case
 *  c5 app  A, B, C all at 10:00 (file order A, B, C)     ties keep file order: converts in 0 s
 *  c6 app  B 10:00, A 10:00 (file order B, A), C 10:30   tie the other way round: B is before A
 *  c7 app  A 09:00, A 09:30, B 09:40, B 09:50, C 10:20   repeats: the 09:30 attempt converts
 *  c8 app  A 10:00, B 10:30, C 11:00                     C exactly at the window's end: inside
 *  c9 app  Z 10:00                                       never enters
 * c1 and c2 belong to customer u1 (segment consumer); the others have a customer of their own.
 */
const LOG: [string, string, string, string, string][] = [
  ['c1', 'u1', 'A', '10:00', 'web'],
  ['c1', 'u1', 'B', '10:10', 'web'],
  ['c1', 'u1', 'C', '10:30', 'web'],
  ['c2', 'u1', 'A', '10:00', 'web'],
  ['c2', 'u1', 'X', '10:05', 'web'],
  ['c2', 'u1', 'B', '10:20', 'web'],
  ['c2', 'u1', 'C', '12:00', 'web'],
  ['c3', 'u3', 'B', '09:00', 'web'],
  ['c3', 'u3', 'A', '09:10', 'web'],
  ['c4', 'u4', 'A', '08:00', 'web'],
  ['c5', 'u5', 'A', '10:00', 'app'],
  ['c5', 'u5', 'B', '10:00', 'app'],
  ['c5', 'u5', 'C', '10:00', 'app'],
  ['c6', 'u6', 'B', '10:00', 'app'],
  ['c6', 'u6', 'A', '10:00', 'app'],
  ['c6', 'u6', 'C', '10:30', 'app'],
  ['c7', 'u7', 'A', '09:00', 'app'],
  ['c7', 'u7', 'A', '09:30', 'app'],
  ['c7', 'u7', 'B', '09:40', 'app'],
  ['c7', 'u7', 'B', '09:50', 'app'],
  ['c7', 'u7', 'C', '10:20', 'app'],
  ['c8', 'u8', 'A', '10:00', 'app'],
  ['c8', 'u8', 'B', '10:30', 'app'],
  ['c8', 'u8', 'C', '11:00', 'app'],
  ['c9', 'u9', 'Z', '10:00', 'app'],
];

/** Inserts events in the given order, which becomes their file order (the tie-break). */
async function insertLog(s: Stores, rows: readonly (readonly string[])[]): Promise<void> {
  await s.warehouse.append(
    'events',
    ['event_id', 'case_id', 'customer_id', 'activity', 'ts', 'channel', 'load_id'],
    rows.map(([c, u, a, t, ch], i) => [
      `e${i}`,
      c,
      u,
      a,
      Date.parse(`2024-01-01T${t}:00Z`),
      ch ?? null,
      'test',
    ]),
  );
}

describe.each([false, true])('journey index used: %s', (indexed) => {
  let s: Stores;
  beforeAll(async () => {
    s = await openStores('memory');
    await insertLog(s, LOG);
    await s.warehouse.run(
      `insert into customers (customer_id, segment, load_id) values ('u1', 'consumer', 'test')`,
    );
    if (indexed) await rebuildJourneyIndex(s.warehouse);
  });

  it(`takes the ${indexed ? 'indexed' : 'live'} path`, async () => {
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(indexed);
  });
  afterAll(() => s.close());

  const spec = (x: Partial<FunnelSpecInput> = {}) =>
    FunnelSpecSchema.parse({ steps: ['A', 'B', 'C'], windowSeconds: 3600, ...x });
  const run = (x: Partial<FunnelSpecInput> = {}, opts = {}) =>
    funnel(s.warehouse, UNRESTRICTED, opts, spec(x));
  const counts = (r: { steps: { cases: number }[] }) => r.steps.map((st) => st.cases);
  /** quantile_cont / numpy linear interpolation, for the expected values below. */
  const q = (xs: number[], p: number) => {
    const v = [...xs].sort((a, b) => a - b);
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    return v[lo]! + (h - lo) * ((v[lo + 1] ?? v[lo]!) - v[lo]!);
  };

  describe('funnel, ordered (first match after the previous step, best attempt per case)', () => {
    it('counts cases per step with conversion, drop-off and times between steps', async () => {
      const r = await run();
      expect(r.totalCases).toBe(9);
      expect(counts(r)).toEqual([8, 5, 4]);
      expect(r.steps.map((x) => x.customers)).toEqual([7, 4, 4]);
      expect(r.steps.map((x) => x.dropOff)).toEqual([3, 1, 0]);
      expect(r.steps[1]!.conversionFromStart).toBe(5 / 8);
      expect(r.steps[2]!.conversionFromPrevious).toBe(4 / 5);
      expect(r.steps[0]).toMatchObject({ conversionFromPrevious: 1, medianSecondsFromPrevious: null });
      // A→B: c1 600, c2 1200, c5 0, c7 600 (from the 09:30 A), c8 1800.
      expect(r.steps[1]!.medianSecondsFromPrevious).toBe(600);
      expect(r.steps[1]!.p90SecondsFromPrevious).toBeCloseTo(1560, 9);
      expect(r.steps[1]!.p90SecondsFromPrevious).toBeCloseTo(q([600, 1200, 0, 600, 1800], 0.9), 9);
      // B→C: c1 1200, c5 0, c7 2400, c8 1800.
      expect(r.steps[2]!.medianSecondsFromPrevious).toBe(1500);
      expect(r.steps[2]!.p90SecondsFromPrevious).toBeCloseTo(2220, 9);
      // A→C: c1 1800, c5 0, c7 3000, c8 3600.
      expect(r.medianSecondsToConvert).toBe(2400);
      expect(r.p90SecondsToConvert).toBeCloseTo(3420, 9);
    });

    it('the window end is inclusive: one second less drops c8 at C', async () => {
      expect(counts(await run({ windowSeconds: 3599 }))).toEqual([8, 5, 3]);
    });

    it('a repeated step is matched by a later occurrence of the same activity', async () => {
      const r = await run({ steps: ['A', 'A'] });
      expect(counts(r)).toEqual([8, 1]);
      expect(r.steps[1]!.medianSecondsFromPrevious).toBe(1800);
    });

    it('lists the cases behind each drop-off', async () => {
      const d0 = await funnelDropOffCases(s.warehouse, UNRESTRICTED, {}, spec(), 0, 100);
      expect(d0.total).toBe(3);
      expect(d0.cases.map((c) => c.caseId).sort()).toEqual(['c3', 'c4', 'c6']);
      expect(d0.cases[0]).toEqual({ caseId: 'c6', customerId: 'u6', reachedAt: '2024-01-01T10:00:00.000Z' });
      const d1 = await funnelDropOffCases(s.warehouse, UNRESTRICTED, {}, spec(), 1, 1);
      expect(d1).toEqual({
        stepIndex: 1,
        total: 1,
        cases: [{ caseId: 'c2', customerId: 'u1', reachedAt: '2024-01-01T10:20:00.000Z' }],
      });
      await expect(funnelDropOffCases(s.warehouse, UNRESTRICTED, {}, spec(), 2, 10)).rejects.toThrow(
        /stepIndex/,
      );
    });

    it('breaks down by the channel of the first step and by the segment of the customer', async () => {
      const r = await run({ breakdownBy: 'channel' });
      expect(counts(r)).toEqual([8, 5, 4]);
      expect(r.breakdown?.map((b) => [b.value, counts(b)])).toEqual([
        ['app', [4, 3, 3]],
        ['web', [4, 2, 1]],
      ]);
      const seg = await run({ breakdownBy: 'segment' });
      expect(seg.breakdown?.map((b) => [b.value, counts(b)])).toEqual([
        [null, [6, 3, 3]],
        ['consumer', [2, 2, 1]],
      ]);
    });

    it('honours the journey filter of the options', async () => {
      const r = await run({}, { filter: { attributes: [{ field: 'channel', values: ['web'] }] } });
      expect(r.totalCases).toBe(4);
      expect(counts(r)).toEqual([4, 2, 1]);
    });
  });

  describe('funnel, strict (each step is the very next event)', () => {
    it('breaks on any event in between and uses the best run of a repeating case', async () => {
      const r = await run({ mode: 'strict' });
      // c1, c5 (ties in file order), c7 (09:30 A → B, then B again), c8 reach B; c7 stops there.
      expect(counts(r)).toEqual([8, 4, 3]);
      expect(r.steps[1]!.medianSecondsFromPrevious).toBe(600);
      expect(r.steps[1]!.p90SecondsFromPrevious).toBeCloseTo(q([600, 0, 600, 1800], 0.9), 9);
      expect(r.steps[2]!.medianSecondsFromPrevious).toBe(1200);
      expect(r.steps[2]!.p90SecondsFromPrevious).toBeCloseTo(1680, 9);
      expect(r.medianSecondsToConvert).toBe(1800);
      expect(r.p90SecondsToConvert).toBeCloseTo(3240, 9);
      const d = await funnelDropOffCases(s.warehouse, UNRESTRICTED, {}, spec({ mode: 'strict' }), 1, 10);
      expect(d.cases.map((c) => c.caseId)).toEqual(['c7']);
    });
  });

  describe('funnel, any order (all steps within the window of the first)', () => {
    it('counts cases that did k of the steps, in whatever order', async () => {
      const r = await run({ mode: 'any-order' });
      // c3 (B then A) and c6 (B before A at the same instant) now count; c2 still misses C.
      expect(counts(r)).toEqual([8, 7, 5]);
      expect(r.steps[1]!.medianSecondsFromPrevious).toBe(600);
      expect(r.steps[1]!.p90SecondsFromPrevious).toBeCloseTo(1440, 9);
      expect(r.steps[2]!.medianSecondsFromPrevious).toBe(1800);
      expect(r.steps[2]!.p90SecondsFromPrevious).toBeCloseTo(2160, 9);
      expect(r.medianSecondsToConvert).toBe(1800);
      expect(r.p90SecondsToConvert).toBeCloseTo(3360, 9);
    });

    it('a step listed twice needs two occurrences', async () => {
      const r = await run({ mode: 'any-order', steps: ['A', 'A', 'B'] });
      // Only c7 has two A's; within 1 h of 09:00 it also has B.
      expect(counts(r)).toEqual([8, 7, 1]);
    });
  });

  describe('funnel on an empty log', () => {
    it('returns zeros and nulls, not NaN', async () => {
      const empty = await openStores('memory');
      try {
        const r = await funnel(empty.warehouse, UNRESTRICTED, {}, spec());
        expect(r.totalCases).toBe(0);
        expect(r.steps[0]).toEqual({
          activity: 'A',
          cases: 0,
          customers: 0,
          conversionFromStart: null,
          conversionFromPrevious: null,
          dropOff: 0,
          medianSecondsFromPrevious: null,
          p90SecondsFromPrevious: null,
        });
        expect(r.medianSecondsToConvert).toBeNull();
      } finally {
        await empty.close();
      }
    });
  });
});
