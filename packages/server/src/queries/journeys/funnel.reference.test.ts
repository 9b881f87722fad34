import { type FunnelMode, FunnelSpecSchema, funnelAttempt, type TraceEvent, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { funnel, funnelDropOffCases } from './funnel.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';

/**
 * The SQL funnel against the plain reference (core/journeys/funnel-reference.ts) on a random log:
 * 400 cases of 1–9 events over activities A–D, 0–3 ten-minute steps apart (so many ties), with a
 * 30-minute window — every mode, with a repeated step and without.
 */
const CASES = 400;
let seed = 20240101;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const traces = new Map<string, TraceEvent[]>();
const rows: unknown[][] = [];

describe.each([false, true])('journey index used: %s', (indexed) => {
  let s: Stores;
  beforeAll(async () => {
    // The log is generated once and loaded into both stores.
    const generate = traces.size === 0;
    for (let c = 0; generate && c < CASES; c++) {
      const events: TraceEvent[] = [];
      let t = Date.UTC(2024, 0, 1) + c * 86_400_000;
      const n = 1 + Math.floor(rand() * 9);
      for (let i = 0; i < n; i++) {
        t += Math.floor(rand() * 4) * 600_000;
        events.push({ activity: 'ABCD'[Math.floor(rand() * 4)]!, ts: t });
      }
      traces.set(`c${c}`, events);
      for (const e of events) rows.push([`e${rows.length}`, `c${c}`, `u${c % 50}`, e.activity, e.ts, 'test']);
    }
    s = await openStores('memory');
    await s.warehouse.append(
      'events',
      ['event_id', 'case_id', 'customer_id', 'activity', 'ts', 'load_id'],
      rows,
    );
    if (indexed) await rebuildJourneyIndex(s.warehouse);
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(indexed);
  });
  afterAll(() => s.close());

  const quantile = (xs: number[], p: number) => {
    if (!xs.length) return null;
    const v = [...xs].sort((a, b) => a - b);
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    return v[lo]! + (h - lo) * ((v[lo + 1] ?? v[lo]!) - v[lo]!);
  };

  const MODES: FunnelMode[] = ['ordered', 'strict', 'any-order'];
  const STEP_SETS = [
    ['A', 'B', 'C'],
    ['A', 'B', 'A', 'D'],
  ];

  describe('SQL funnel = reference funnel on a random log with ties and repeats', () => {
    for (const mode of MODES)
      for (const steps of STEP_SETS)
        it(`${mode} ${steps.join('→')}`, async () => {
          const spec = FunnelSpecSchema.parse({ steps, windowSeconds: 1800, mode });
          const best = [...traces].map(([id, ev]) => ({ id, times: funnelAttempt(ev, spec) }));
          const r = await funnel(s.warehouse, UNRESTRICTED, {}, spec);
          expect(r.totalCases).toBe(CASES);
          steps.forEach((_, k) => {
            const reached = best.filter((b) => b.times.length > k);
            expect(r.steps[k]!.cases, `step ${k + 1} cases`).toBe(reached.length);
            if (k > 0) {
              const d = reached.map((b) => (b.times[k]! - b.times[k - 1]!) / 1000);
              expect(r.steps[k]!.medianSecondsFromPrevious).toBeCloseTo(quantile(d, 0.5)!, 6);
              expect(r.steps[k]!.p90SecondsFromPrevious).toBeCloseTo(quantile(d, 0.9)!, 6);
            }
          });
          const conv = best
            .filter((b) => b.times.length === steps.length)
            .map((b) => (b.times.at(-1)! - b.times[0]!) / 1000);
          expect(r.medianSecondsToConvert).toBeCloseTo(quantile(conv, 0.5)!, 6);
          // Somewhere in the middle of the funnel somebody drops off; the same cases as the reference.
          const drop = await funnelDropOffCases(s.warehouse, UNRESTRICTED, {}, spec, 1, 1000);
          const expected = best.filter((b) => b.times.length === 2).map((b) => b.id);
          expect(drop.cases.map((c) => c.caseId).sort()).toEqual(expected.sort());
          expect(expected.length).toBeGreaterThan(0);
        });
  });
});
