import { PathsSpecSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';
import { paths } from './paths.ts';

/**
 * p1 A B C D, p2 A B C (p1 and p2 are customer u1), p3 X A B D, p4 A (one event), p5 B A A C (the
 * anchor repeats: its first occurrence counts), p6 A B at the same instant (file order A, B), p7 Y Z
 * (no anchor). Events are inserted in file order, one minute apart unless tied.
 */
const CASES: [string, string, string[]][] = [
  ['p1', 'u1', ['A', 'B', 'C', 'D']],
  ['p2', 'u1', ['A', 'B', 'C']],
  ['p3', 'u3', ['X', 'A', 'B', 'D']],
  ['p4', 'u4', ['A']],
  ['p5', 'u5', ['B', 'A', 'A', 'C']],
  ['p6', 'u6', ['A', 'B']],
  ['p7', 'u7', ['Y', 'Z']],
];

describe.each([false, true])('journey index used: %s', (indexed) => {
  let s: Stores;
  beforeAll(async () => {
    s = await openStores('memory');
    const rows = CASES.flatMap(([c, u, acts]) =>
      acts.map((a, i) => [c, u, a, Date.parse('2024-01-01T10:00:00Z') + (c === 'p6' ? 0 : i * 60_000)]),
    );
    await s.warehouse.append(
      'events',
      ['event_id', 'case_id', 'customer_id', 'activity', 'ts', 'load_id'],
      rows.map((r, i) => [`e${i}`, ...r, 'test']),
    );
    if (indexed) await rebuildJourneyIndex(s.warehouse);
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(indexed);
  });
  afterAll(() => s.close());

  const run = (x: object) =>
    paths(s.warehouse, UNRESTRICTED, {}, PathsSpecSchema.parse({ anchor: 'A', ...x }));

  describe('paths after an anchor', () => {
    it('gives the top paths with % of cases and customers, and a step-indexed Sankey of all cases', async () => {
      const r = await run({ direction: 'after', depth: 2, top: 3 });
      expect(r).toMatchObject({
        anchor: 'A',
        direction: 'after',
        depth: 2,
        cases: 6,
        customers: 5,
        distinctPaths: 5,
      });
      expect(r.paths).toEqual([
        { activities: ['A', 'B', 'C'], cases: 2, customers: 1, shareOfCases: 2 / 6, shareOfCustomers: 1 / 5 },
        { activities: ['A'], cases: 1, customers: 1, shareOfCases: 1 / 6, shareOfCustomers: 1 / 5 },
        { activities: ['A', 'A', 'C'], cases: 1, customers: 1, shareOfCases: 1 / 6, shareOfCustomers: 1 / 5 },
      ]);
      expect(r.sankey.links).toEqual([
        { source: '0 A', target: '+1 B', value: 4 },
        { source: '0 A', target: '+1 A', value: 1 },
        { source: '+1 B', target: '+2 C', value: 2 },
        { source: '+1 A', target: '+2 C', value: 1 },
        { source: '+1 B', target: '+2 D', value: 1 },
      ]);
      expect(r.sankey.nodes.map((n) => n.name)).toEqual(['0 A', '+1 A', '+1 B', '+2 C', '+2 D']);
      expect(r.sankey.nodes[1]).toEqual({ name: '+1 A', activity: 'A', step: 1 });
    });

    it('depth 1 keeps only the next activity', async () => {
      const r = await run({ depth: 1, top: 10 });
      expect(r.paths.map((p) => [p.activities, p.cases])).toEqual([
        [['A', 'B'], 4],
        [['A'], 1],
        [['A', 'A'], 1],
      ]);
    });
  });

  describe('paths before an anchor', () => {
    it('takes the activities leading to the first occurrence; one-event and first-event cases have none', async () => {
      const r = await run({ direction: 'before', depth: 3 });
      expect(r.paths.map((p) => [p.activities, p.cases, p.customers])).toEqual([
        [['A'], 4, 3],
        [['B', 'A'], 1, 1],
        [['X', 'A'], 1, 1],
      ]);
      expect(r.sankey.links).toEqual([
        { source: '-1 B', target: '0 A', value: 1 },
        { source: '-1 X', target: '0 A', value: 1 },
      ]);
    });

    it('an anchor nobody did gives an empty result', async () => {
      const r = await paths(s.warehouse, UNRESTRICTED, {}, PathsSpecSchema.parse({ anchor: 'nope' }));
      expect(r).toMatchObject({
        cases: 0,
        customers: 0,
        distinctPaths: 0,
        paths: [],
        sankey: { nodes: [], links: [] },
      });
    });
  });
});
