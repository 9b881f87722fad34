import { JourneyModelSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { conformance } from './conformance.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';

/**
 * The designed journey: start at A, end at D; A→B within 1 h, B→C, C→D, B→D; milestones A, B, D in
 * that order. Cases (times on 2024-01-01, minutes after 10:00 unless noted):
 *  k1 A 0, B 30, C 60, D 70                conforms
 *  k2 A 0, B 120, D 130                    A→B took 2 h: too slow by 3600 s
 *  k3 B 0, A 10, D 20                      bad start B, B→A and A→D not allowed, B before A
 *  k4 A 0                                  one event: bad end A, B and D missing
 *  k5 A 0, B 10, B 20, B 25, D 30          B→B (a repeat) not allowed, twice
 *  k6 A, B, D all at 0 (file order)        ties keep file order: conforms
 *  k7 A 0, B 10, B 15, D 20                B→B once
 */
const CASES: [string, [string, number][]][] = [
  [
    'k1',
    [
      ['A', 0],
      ['B', 30],
      ['C', 60],
      ['D', 70],
    ],
  ],
  [
    'k2',
    [
      ['A', 0],
      ['B', 120],
      ['D', 130],
    ],
  ],
  [
    'k3',
    [
      ['B', 0],
      ['A', 10],
      ['D', 20],
    ],
  ],
  ['k4', [['A', 0]]],
  [
    'k5',
    [
      ['A', 0],
      ['B', 10],
      ['B', 20],
      ['B', 25],
      ['D', 30],
    ],
  ],
  [
    'k6',
    [
      ['A', 0],
      ['B', 0],
      ['D', 0],
    ],
  ],
  [
    'k7',
    [
      ['A', 0],
      ['B', 10],
      ['B', 15],
      ['D', 20],
    ],
  ],
];

const MODEL = JourneyModelSchema.parse({
  startActivities: ['A'],
  endActivities: ['D'],
  transitions: [
    { from: 'A', to: 'B', maxSeconds: 3600 },
    { from: 'B', to: 'C' },
    { from: 'C', to: 'D' },
    { from: 'B', to: 'D' },
  ],
  expectedOrder: ['A', 'B', 'D'],
});

describe.each([false, true])('journey index used: %s', (indexed) => {
  let s: Stores;
  beforeAll(async () => {
    s = await openStores('memory');
    const rows = CASES.flatMap(([c, evs]) =>
      evs.map(([a, m]) => [c, a, Date.parse('2024-01-01T10:00:00Z') + m * 60_000]),
    );
    await s.warehouse.append(
      'events',
      ['event_id', 'case_id', 'activity', 'ts', 'load_id'],
      rows.map((r, i) => [`e${i}`, ...r, 'test']),
    );
    if (indexed) await rebuildJourneyIndex(s.warehouse);
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(indexed);
  });
  afterAll(() => s.close());

  const dev = (
    kind: string,
    x: object,
    cases: number,
    occurrences: number,
    extraSeconds: number,
    meanCaseSeconds: number,
  ) => ({
    kind,
    ...x,
    cases,
    occurrences,
    extraSeconds,
    meanCaseSeconds,
  });

  describe('conformance with a designed journey', () => {
    it('finds every deviation kind with cases, occurrences and time cost', async () => {
      const r = await conformance(s.warehouse, UNRESTRICTED, {}, MODEL);
      expect(r.cases).toBe(7);
      expect(r.conformingCases).toBe(2);
      expect(r.share).toBe(2 / 7);
      // Durations: k1 4200, k2 7800, k3 1200, k4 0, k5 1800, k6 0, k7 1200.
      expect(r.meanCaseSecondsConforming).toBe(2100);
      expect(r.meanCaseSecondsDeviating).toBe((7800 + 1200 + 0 + 1800 + 1200) / 5);
      expect(r.deviations).toEqual([
        dev('disallowed-transition', { from: 'B', to: 'B' }, 2, 3, 600 + 300 + 300, 1500),
        dev('bad-end', { activity: 'A' }, 1, 1, 0, 0),
        dev('bad-start', { activity: 'B' }, 1, 1, 0, 1200),
        dev('disallowed-transition', { from: 'A', to: 'D' }, 1, 1, 600, 1200),
        dev('disallowed-transition', { from: 'B', to: 'A' }, 1, 1, 600, 1200),
        dev('missing-step', { activity: 'B' }, 1, 1, 0, 0),
        dev('missing-step', { activity: 'D' }, 1, 1, 0, 0),
        dev('out-of-order', { from: 'A', to: 'B' }, 1, 1, 0, 1200),
        dev('too-slow', { from: 'A', to: 'B' }, 1, 1, 3600, 7800),
      ]);
    });

    it('without an expected order there are no missing or out-of-order steps', async () => {
      const { expectedOrder: _, ...model } = MODEL;
      const r = await conformance(s.warehouse, UNRESTRICTED, {}, model);
      expect(r.deviations.map((d) => d.kind)).not.toContain('missing-step');
      expect(r.deviations.map((d) => d.kind)).not.toContain('out-of-order');
      expect(r.conformingCases).toBe(2);
    });

    it('rejects a model that repeats a transition or a milestone, naming the field', async () => {
      const twice = { ...MODEL, transitions: [...MODEL.transitions, { from: 'A', to: 'B' }] };
      await expect(conformance(s.warehouse, UNRESTRICTED, {}, twice)).rejects.toThrow('field transitions[4]');
      const order = { ...MODEL, expectedOrder: ['A', 'B', 'A'] };
      await expect(conformance(s.warehouse, UNRESTRICTED, {}, order)).rejects.toThrow(
        'field expectedOrder[2]',
      );
    });
  });
});
