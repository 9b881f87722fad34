import { describe, expect, it } from 'vitest';
import { countCrossings, type Layout, layoutGraph, MAP_END, MAP_START, simplifyMap } from './layout.ts';

const nodes = (...ids: string[]) => ids.map((id) => ({ id }));
const edge = (from: string, to: string, weight = 1) => ({ from, to, weight });
const byId = (l: Layout) => Object.fromEntries(l.nodes.map((n) => [n.id, n]));

describe('layoutGraph', () => {
  it('puts a chain in consecutive layers, one below the other', () => {
    const l = layoutGraph({ nodes: nodes('a', 'b', 'c'), edges: [edge('a', 'b'), edge('b', 'c')] });
    const n = byId(l);
    expect([n.a!.layer, n.b!.layer, n.c!.layer]).toEqual([0, 1, 2]);
    expect(n.a!.x).toBe(n.b!.x);
    expect(n.b!.x).toBe(n.c!.x);
    // nodeHeight 40 + layerGap 56: centres 96 apart, starting at half a node.
    expect([n.a!.y, n.b!.y, n.c!.y]).toEqual([20, 116, 212]);
    expect(l).toMatchObject({ layers: 3, width: 140, height: 232 });
    // Edges run from the bottom of the source to the top of the target.
    expect(l.edges[0]!.points).toEqual([
      { x: 70, y: 40 },
      { x: 70, y: 96 },
    ]);
  });

  it('breaks a cycle by reversing the edge that closes it (rework loop), not the main flow', () => {
    const l = layoutGraph({
      nodes: nodes('a', 'b', 'c', 'd'),
      edges: [edge('a', 'b', 10), edge('b', 'c', 10), edge('c', 'b', 3), edge('c', 'd', 7)],
      sources: ['a'],
    });
    const n = byId(l);
    expect([n.a!.layer, n.b!.layer, n.c!.layer, n.d!.layer]).toEqual([0, 1, 2, 3]);
    const back = l.edges.find((e) => e.from === 'c' && e.to === 'b')!;
    expect(back.reversed).toBe(true);
    // A reversed edge still starts at its source (c, below) and ends at its target (b, above).
    expect(back.points[0]!.y).toBeGreaterThan(back.points.at(-1)!.y);
    expect(l.edges.filter((e) => e.reversed)).toHaveLength(1);
  });

  it('terminates on a graph that is one big cycle and on self-loops', () => {
    const l = layoutGraph({
      nodes: nodes('a', 'b', 'c'),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('b', 'b', 5)],
    });
    expect(new Set(l.nodes.map((n) => n.layer))).toEqual(new Set([0, 1, 2]));
    const self = l.edges.find((e) => e.from === 'b' && e.to === 'b')!;
    expect(self).toMatchObject({ self: true, points: [] });
  });

  it('centres a join between its branches (diamond)', () => {
    const l = layoutGraph({
      nodes: nodes('a', 'b', 'c', 'd'),
      edges: [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')],
    });
    const n = byId(l);
    expect(n.b!.layer).toBe(1);
    expect(n.c!.layer).toBe(1);
    expect(n.d!.layer).toBe(2);
    expect(n.d!.x).toBeCloseTo((n.b!.x + n.c!.x) / 2, 6);
    expect(n.a!.x).toBeCloseTo(n.d!.x, 6);
    // Same layer: at least the node gap between the boxes.
    expect(Math.abs(n.b!.x - n.c!.x)).toBeGreaterThanOrEqual(140 + 28);
  });

  it('reorders a layer by barycentre so that crossings disappear', () => {
    // Priority order would put b under a's side and c under d's: a→d, b→c cross unless reordered.
    const input = {
      nodes: nodes('a', 'b', 'c', 'd'),
      edges: [
        edge('s', 'a'),
        edge('s', 'b'),
        edge('a', 'd', 5),
        edge('b', 'c', 5),
        edge('a', 'x'),
        edge('x', 'd'),
      ],
    };
    input.nodes.unshift({ id: 's' });
    input.nodes.push({ id: 'x' });
    const l = layoutGraph(input);
    expect(countCrossings(l)).toBe(0);
    const n = byId(l);
    expect(Math.sign(n.a!.x - n.b!.x)).toBe(Math.sign(n.d!.x - n.c!.x));
  });

  it('routes an edge that skips layers through one bend point per crossed layer', () => {
    const l = layoutGraph({
      nodes: nodes('a', 'b', 'c', 'd'),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('a', 'd')],
    });
    const long = l.edges.find((e) => e.from === 'a' && e.to === 'd')!;
    expect(long.points).toHaveLength(4);
    // The bends stay clear of b and c (they reserve their own slot in the layer).
    const n = byId(l);
    for (const p of long.points.slice(1, -1))
      expect(Math.abs(p.x - n.b!.x)).toBeGreaterThanOrEqual(70 + 7 + 28);
  });

  it('forces the end node to the bottom layer and ignores edges to unknown nodes', () => {
    const l = layoutGraph({
      nodes: nodes('start', 'a', 'b', 'end'),
      edges: [edge('start', 'a'), edge('a', 'end'), edge('a', 'b'), edge('b', 'zzz')],
      sources: ['start'],
      last: ['end'],
    });
    const n = byId(l);
    expect(n.end!.layer).toBe(3);
    expect(n.b!.layer).toBe(2);
    expect(l.edges).toHaveLength(3);
  });

  it('is deterministic and handles an empty graph', () => {
    const input = {
      nodes: nodes('a', 'b', 'c', 'd', 'e'),
      edges: [
        edge('a', 'b', 3),
        edge('a', 'c', 2),
        edge('c', 'e'),
        edge('b', 'e'),
        edge('e', 'a'),
        edge('d', 'e'),
      ],
    };
    expect(layoutGraph(input)).toEqual(layoutGraph(input));
    expect(layoutGraph({ nodes: [], edges: [] })).toEqual({
      nodes: [],
      edges: [],
      width: 0,
      height: 0,
      layers: 0,
    });
  });

  it('keeps boxes of the same layer apart with custom widths', () => {
    const l = layoutGraph({
      nodes: [{ id: 'r' }, { id: 'wide', width: 300 }, { id: 'narrow', width: 60 }, { id: 'x' }],
      edges: [edge('r', 'wide'), edge('r', 'narrow'), edge('r', 'x')],
    });
    const layer1 = l.nodes.filter((n) => n.layer === 1).sort((a, b) => a.x - b.x);
    for (let i = 1; i < layer1.length; i++) {
      const gap = layer1[i]!.x - layer1[i]!.width / 2 - (layer1[i - 1]!.x + layer1[i - 1]!.width / 2);
      expect(gap).toBeGreaterThanOrEqual(28 - 1e-9);
    }
    expect(Math.min(...l.nodes.map((n) => n.x - n.width / 2))).toBeCloseTo(0, 9);
  });
});

describe('simplifyMap', () => {
  const map = {
    activities: [
      { name: 'A', count: 100 },
      { name: 'B', count: 80 },
      { name: 'C', count: 30 },
      { name: 'D', count: 5 },
    ],
    startActivities: [{ name: 'A', count: 100 }],
    endActivities: [
      { name: 'C', count: 60 },
      { name: 'D', count: 5 },
      { name: 'B', count: 35 },
    ],
    dfg: [
      { from: 'A', to: 'B', count: 80, medianSeconds: 60 },
      { from: 'B', to: 'C', count: 45, medianSeconds: 120 },
      { from: 'A', to: 'C', count: 15, medianSeconds: 30 },
      { from: 'C', to: 'D', count: 5, medianSeconds: 10 },
      { from: 'B', to: 'B', count: 2, medianSeconds: 5 },
    ],
  };

  it('keeps everything at 100 % / 100 %, with start and end edges', () => {
    const s = simplifyMap(map, 1, 1);
    expect(s.activities.map((a) => a.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(s.edges).toHaveLength(5 + 1 + 3);
    expect(s.edges[0]).toEqual({ from: MAP_START, to: 'A', count: 100, medianSeconds: null });
  });

  it('keeps the most frequent activities and only edges between them', () => {
    const s = simplifyMap(map, 0.5, 1);
    expect(s.activities.map((a) => a.name)).toEqual(['A', 'B']);
    expect(s.edges.map((e) => `${e.from}>${e.to}`)).toEqual([`${MAP_START}>A`, 'A>B', `B>${MAP_END}`, 'B>B']);
  });

  it('at 0 % edges still keeps each activity reachable: its busiest edge in and out', () => {
    const s = simplifyMap(map, 1, 0);
    expect(s.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(
      [`${MAP_START}>A`, 'A>B', 'B>C', `C>${MAP_END}`, 'C>D', `D>${MAP_END}`].sort(),
    );
  });

  it('keeps at least one activity and copes with an empty map', () => {
    expect(simplifyMap(map, 0, 0).activities).toEqual([{ name: 'A', count: 100 }]);
    expect(simplifyMap({ activities: [], startActivities: [], endActivities: [], dfg: [] }, 1, 1)).toEqual({
      activities: [],
      edges: [],
    });
  });
});
