import { describe, expect, it } from 'vitest';
import { journeyOwners, MetricsTreeSchema, nodeMeasureScale, parseNodeMeasure } from './metrics-tree.ts';

const node = (id: string, children: string[] = [], measure = 'csat') => ({
  id,
  label: id,
  kind: 'element' as const,
  measure,
  children,
});
const problems = (tree: unknown) => {
  const r = MetricsTreeSchema.safeParse(tree);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('metrics tree schema', () => {
  it('parses measures and refuses unknown ones', () => {
    expect(parseNodeMeasure('nps')).toEqual({ type: 'score', score: 'nps' });
    expect(parseNodeMeasure('element:speed')).toEqual({ type: 'element', name: 'speed' });
    expect(parseNodeMeasure('kpi:wait_minutes')).toEqual({ type: 'kpi', kpi: 'wait_minutes' });
    expect(parseNodeMeasure('measurement:wait_seconds')).toEqual({
      type: 'measurement',
      kpi: 'wait_seconds',
    });
    for (const bad of ['kpi:coffee', 'element:', 'element:Speed; drop', 'nps:x', 'csat2', 'element:a:b'])
      expect(parseNodeMeasure(bad), bad).toBeNull();
    expect(nodeMeasureScale({ type: 'score', score: 'ces' })).toEqual({ min: 1, max: 7, topBox: 6 });
    expect(nodeMeasureScale({ type: 'kpi', kpi: 'wait_minutes' })).toBeNull();
  });

  it('accepts a tree and names every structural problem by node and field', () => {
    expect(problems({ root: 'a', nodes: [node('a', ['b']), node('b')] })).toEqual([]);
    expect(problems({ root: 'a', nodes: [node('a', ['b']), node('b'), node('b')] })).toContain(
      'nodes.2.id: duplicate node id "b"',
    );
    expect(problems({ root: 'a', nodes: [node('a', ['x'])] })).toEqual([
      'nodes.0.children.0: node "a": unknown child id "x"',
    ]);
    expect(problems({ root: 'a', nodes: [node('a', ['b']), node('b', ['c']), node('c', ['b'])] })).toEqual([
      'nodes.2.children.0: node "c": child "b" already has the parent "a" (a node has one parent)',
    ]);
    expect(problems({ root: 'a', nodes: [node('a'), node('b', ['c']), node('c', ['b'])] })[0]).toMatch(
      /^nodes\.1\.children: node "b" is part of a cycle \(b → c → b\)$/,
    );
    expect(problems({ root: 'a', nodes: [node('a'), node('b')] })).toEqual([
      'nodes.1.id: node "b" is not reachable from the root (no parent lists it)',
    ]);
    expect(problems({ root: 'z', nodes: [node('a')] })).toContain('root: root "z" is not a node id');
    expect(problems({ root: 'a', nodes: [node('a', [], 'kpi:coffee')] })[0]).toMatch(
      /^nodes\.0\.measure: unknown measure/,
    );
  });

  it('maps journeys to the owners of the journey nodes; the first owner of a journey wins', () => {
    const tree = MetricsTreeSchema.parse({
      root: 'nps',
      nodes: [
        { ...node('nps', ['a', 'b', 'c', 'd'], 'nps'), kind: 'score' },
        {
          ...node('a'),
          kind: 'journey',
          filter: { journeys: ['billing', 'refund'] },
          owner: 'Head of Billing',
        },
        { ...node('b'), kind: 'journey', filter: { journeys: ['billing'] }, owner: 'Someone else' },
        { ...node('c'), kind: 'journey', filter: { journeys: ['upgrade'] } },
        { ...node('d'), kind: 'touchpoint', filter: { journeys: ['shop'] }, owner: 'Shop lead' },
      ],
    });
    expect(journeyOwners(tree)).toEqual([
      { journey: 'billing', owner: 'Head of Billing' },
      { journey: 'refund', owner: 'Head of Billing' },
    ]);
  });
});
