/**
 * Layered (Sugiyama-style) layout of a process map, top to bottom, pure and deterministic so the
 * cockpit draws the same map for the same data and it can be unit-tested:
 *
 * 1. cycles are broken by a depth-first search from the start nodes that follows the heaviest edges
 *    first, so the main flow points down and only rework loops are reversed;
 * 2. layers by longest path from the sources (nodes named in `last` go to the bottom layer);
 * 3. edges spanning several layers get one dummy node per crossed layer, so they bend around nodes;
 * 4. crossings are reduced by weighted barycentre sweeps (down, then up), keeping the best order;
 * 5. x positions pull each node towards its neighbours while keeping the order and a minimum gap.
 */

export interface LayoutInputNode {
  id: string;
  /** Drawn width; defaults to `options.nodeWidth`. */
  width?: number;
}

export interface LayoutInputEdge {
  from: string;
  to: string;
  /** Frequency: heavier edges are kept pointing down and pull their ends closer together. */
  weight: number;
}

export interface LayoutInput {
  /** In priority order (most frequent first): ties are broken by this order. */
  nodes: readonly LayoutInputNode[];
  edges: readonly LayoutInputEdge[];
  /** Where the journey starts (layer 0), in priority order. Nodes without incoming edges are sources too. */
  sources?: readonly string[];
  /** Nodes forced into the bottom layer (an artificial end node). */
  last?: readonly string[];
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Vertical space between layers. */
  layerGap: number;
  /** Minimum horizontal space between neighbours in a layer. */
  nodeGap: number;
  /** Width reserved for an edge passing through a layer. */
  dummyWidth: number;
  sweeps: number;
}

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = {
  nodeWidth: 140,
  nodeHeight: 40,
  layerGap: 56,
  nodeGap: 28,
  dummyWidth: 14,
  sweeps: 12,
};

export interface Point {
  x: number;
  y: number;
}

export interface LayoutNode {
  id: string;
  layer: number;
  /** Position within the layer, 0 = leftmost (dummy nodes included in the count). */
  order: number;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  weight: number;
  /** From the bottom of `from` to the top of `to` (or the reverse for a reversed edge), through the dummies. */
  points: Point[];
  /** The edge points upwards: it closes a cycle. */
  reversed: boolean;
  /** from === to: drawn as a loop beside the node; `points` is empty. */
  self: boolean;
}

export interface Layout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
  layers: number;
}

interface Vertex {
  id: string;
  width: number;
  dummy: boolean;
  layer: number;
  priority: number;
}

interface Link {
  /** Vertex indices, always pointing one layer down. */
  up: number;
  down: number;
  weight: number;
}

export function layoutGraph(input: LayoutInput, options: Partial<LayoutOptions> = {}): Layout {
  const o = { ...DEFAULT_LAYOUT_OPTIONS, ...options };
  const index = new Map<string, number>();
  const vertices: Vertex[] = [];
  for (const n of input.nodes) {
    if (index.has(n.id)) continue;
    index.set(n.id, vertices.length);
    vertices.push({
      id: n.id,
      width: n.width ?? o.nodeWidth,
      dummy: false,
      layer: 0,
      priority: vertices.length,
    });
  }
  const real = vertices.length;
  const edges = input.edges.filter((e) => index.has(e.from) && index.has(e.to));

  // 1. Cycle breaking by DFS; children visited heaviest edge first.
  const out: { to: number; weight: number; edge: number }[][] = vertices.map(() => []);
  const indeg = new Array<number>(real).fill(0);
  edges.forEach((e, i) => {
    const a = index.get(e.from)!;
    const b = index.get(e.to)!;
    if (a === b) return;
    out[a]!.push({ to: b, weight: e.weight, edge: i });
    indeg[b]!++;
  });
  for (const list of out) list.sort((x, y) => y.weight - x.weight || x.to - y.to);
  const reversed = new Set<number>();
  const state = new Array<number>(real).fill(0); // 0 new, 1 on the stack, 2 done
  const visit = (root: number) => {
    // Iterative DFS: a long journey must not overflow the call stack.
    const stack: { v: number; next: number }[] = [{ v: root, next: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const succ = out[top.v]![top.next++];
      if (!succ) {
        state[top.v] = 2;
        stack.pop();
        continue;
      }
      if (state[succ.to] === 1) reversed.add(succ.edge);
      else if (state[succ.to] === 0) {
        state[succ.to] = 1;
        stack.push({ v: succ.to, next: 0 });
      }
    }
  };
  const roots = [
    ...(input.sources ?? []).map((s) => index.get(s)).filter((v): v is number => v !== undefined),
    ...vertices.map((_, i) => i).filter((i) => indeg[i] === 0),
    ...vertices.map((_, i) => i),
  ];
  for (const r of roots) if (r < real && state[r] === 0) visit(r);

  // 2. Longest-path layering on the acyclic graph (reversed edges flipped).
  const dagOut: number[][] = vertices.map(() => []);
  const dagIn = new Array<number>(real).fill(0);
  edges.forEach((e, i) => {
    let a = index.get(e.from)!;
    let b = index.get(e.to)!;
    if (a === b) return;
    if (reversed.has(i)) [a, b] = [b, a];
    dagOut[a]!.push(b);
    dagIn[b]!++;
  });
  const lastSet = new Set((input.last ?? []).map((id) => index.get(id)).filter((v) => v !== undefined));
  const queue = vertices.map((_, i) => i).filter((i) => dagIn[i] === 0);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of dagOut[v]!) {
      vertices[w]!.layer = Math.max(vertices[w]!.layer, vertices[v]!.layer + 1);
      if (--dagIn[w]! === 0) queue.push(w);
    }
  }
  let maxLayer = 0;
  for (let i = 0; i < real; i++) if (!lastSet.has(i)) maxLayer = Math.max(maxLayer, vertices[i]!.layer);
  for (const i of lastSet) vertices[i]!.layer = Math.max(maxLayer + 1, vertices[i]!.layer);
  maxLayer = Math.max(0, ...vertices.map((v) => v.layer));

  // 3. Dummy chains for long edges; `chains[i]` lists the vertices edge i runs through, top to bottom.
  const links: Link[] = [];
  const chains: number[][] = edges.map((e, i) => {
    let a = index.get(e.from)!;
    let b = index.get(e.to)!;
    if (a === b) return [];
    if (reversed.has(i)) [a, b] = [b, a];
    const chain = [a];
    for (let l = vertices[a]!.layer + 1; l < vertices[b]!.layer; l++) {
      chain.push(vertices.length);
      vertices.push({
        id: `${e.from}\u0000${e.to}\u0000${l}`,
        width: o.dummyWidth,
        dummy: true,
        layer: l,
        priority: real + i,
      });
    }
    chain.push(b);
    for (let k = 1; k < chain.length; k++)
      links.push({ up: chain[k - 1]!, down: chain[k]!, weight: e.weight });
    return chain;
  });

  // 4. Ordering by barycentre sweeps.
  const ups: { v: number; w: number }[][] = vertices.map(() => []);
  const downs: { v: number; w: number }[][] = vertices.map(() => []);
  for (const l of links) {
    downs[l.up]!.push({ v: l.down, w: l.weight });
    ups[l.down]!.push({ v: l.up, w: l.weight });
  }
  const layers: number[][] = Array.from({ length: maxLayer + 1 }, () => []);
  for (let v = 0; v < vertices.length; v++) layers[vertices[v]!.layer]!.push(v);
  const pos = new Array<number>(vertices.length).fill(0);
  const setPositions = () => {
    for (const layer of layers)
      layer.forEach((v, i) => {
        pos[v] = i;
      });
  };
  for (const layer of layers) layer.sort((a, b) => vertices[a]!.priority - vertices[b]!.priority);
  setPositions();
  const reorder = (layer: number[], neighbours: { v: number; w: number }[][]) => {
    const bary = new Map<number, number>();
    for (const v of layer) {
      const ns = neighbours[v]!;
      const total = ns.reduce((s, n) => s + n.w, 0);
      // No neighbours on that side: stay where it is.
      bary.set(v, ns.length && total > 0 ? ns.reduce((s, n) => s + n.w * pos[n.v]!, 0) / total : pos[v]!);
    }
    layer.sort((a, b) => bary.get(a)! - bary.get(b)! || pos[a]! - pos[b]!);
    layer.forEach((v, i) => {
      pos[v] = i;
    });
  };
  let best = layers.map((l) => [...l]);
  let bestCrossings = totalCrossings(layers, downs, pos);
  for (let s = 0; s < o.sweeps && bestCrossings > 0; s++) {
    if (s % 2 === 0) for (let l = 1; l < layers.length; l++) reorder(layers[l]!, ups);
    else for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l]!, downs);
    const c = totalCrossings(layers, downs, pos);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => [...l]);
    }
  }
  for (let l = 0; l < layers.length; l++) layers[l] = best[l]!;
  setPositions();

  // 5. Horizontal coordinates: start packed and centred, then pull towards neighbours.
  const x = new Array<number>(vertices.length).fill(0);
  const sep = (a: number, b: number) => (vertices[a]!.width + vertices[b]!.width) / 2 + o.nodeGap;
  for (const layer of layers) {
    let cur = 0;
    layer.forEach((v, i) => {
      if (i > 0) cur += sep(layer[i - 1]!, v);
      x[v] = cur;
    });
    const shift = cur / 2;
    for (const v of layer) x[v]! -= shift;
  }
  const place = (layer: number[], neighbours: { v: number; w: number }[][]) => {
    const desired = layer.map((v) => {
      const ns = neighbours[v]!;
      const total = ns.reduce((s, n) => s + n.w, 0);
      return ns.length && total > 0 ? ns.reduce((s, n) => s + n.w * x[n.v]!, 0) / total : x[v]!;
    });
    // Two feasible placements (pushed right, pushed left); their mean is feasible and balanced.
    const right = [...desired];
    for (let i = 1; i < layer.length; i++)
      right[i] = Math.max(right[i]!, right[i - 1]! + sep(layer[i - 1]!, layer[i]!));
    const left = [...desired];
    for (let i = layer.length - 2; i >= 0; i--)
      left[i] = Math.min(left[i]!, left[i + 1]! - sep(layer[i]!, layer[i + 1]!));
    layer.forEach((v, i) => {
      x[v] = (right[i]! + left[i]!) / 2;
    });
  };
  for (let s = 0; s < 4; s++) {
    for (let l = 1; l < layers.length; l++) place(layers[l]!, ups);
    for (let l = layers.length - 2; l >= 0; l--) place(layers[l]!, downs);
  }
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  for (let v = 0; v < vertices.length; v++) {
    minX = Math.min(minX, x[v]! - vertices[v]!.width / 2);
    maxX = Math.max(maxX, x[v]! + vertices[v]!.width / 2);
  }
  if (!vertices.length) minX = maxX = 0;
  const yOf = (layer: number) => layer * (o.nodeHeight + o.layerGap) + o.nodeHeight / 2;
  const nodes: LayoutNode[] = vertices.slice(0, real).map((v, i) => ({
    id: v.id,
    layer: v.layer,
    order: pos[i]!,
    x: x[i]! - minX,
    y: yOf(v.layer),
    width: v.width,
    height: o.nodeHeight,
  }));
  const outEdges: LayoutEdge[] = edges.map((e, i) => {
    const chain = chains[i]!;
    if (!chain.length)
      return { from: e.from, to: e.to, weight: e.weight, points: [], reversed: false, self: true };
    const pts = chain.map((v, k) => {
      const y = yOf(vertices[v]!.layer);
      const dy = k === 0 ? o.nodeHeight / 2 : k === chain.length - 1 ? -o.nodeHeight / 2 : 0;
      return { x: x[v]! - minX, y: y + dy };
    });
    const rev = reversed.has(i);
    return {
      from: e.from,
      to: e.to,
      weight: e.weight,
      points: rev ? pts.reverse() : pts,
      reversed: rev,
      self: false,
    };
  });
  return {
    nodes,
    edges: outEdges,
    width: maxX - minX,
    height: vertices.length ? yOf(maxLayer) + o.nodeHeight / 2 : 0,
    layers: vertices.length ? maxLayer + 1 : 0,
  };
}

/** Crossings between adjacent layers for the given order (pairs of links whose ends swap order). */
function totalCrossings(layers: number[][], downs: { v: number; w: number }[][], pos: number[]): number {
  let c = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const segs: [number, number][] = [];
    for (const v of layers[l]!) for (const d of downs[v]!) segs.push([pos[v]!, pos[d.v]!]);
    for (let i = 0; i < segs.length; i++)
      for (let j = i + 1; j < segs.length; j++) {
        const [a1, b1] = segs[i]!;
        const [a2, b2] = segs[j]!;
        if ((a1 - a2) * (b1 - b2) < 0) c++;
      }
  }
  return c;
}

/** Crossings between straight segments of a finished layout's edges (for tests and diagnostics). */
export function countCrossings(layout: Layout): number {
  const segs: [Point, Point][] = [];
  for (const e of layout.edges)
    for (let k = 1; k < e.points.length; k++) segs.push([e.points[k - 1]!, e.points[k]!]);
  const cross = (p: Point, q: Point, r: Point) =>
    Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  let c = 0;
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++) {
      const [a, b] = segs[i]!;
      const [p, q] = segs[j]!;
      if (cross(a, b, p) * cross(a, b, q) < 0 && cross(p, q, a) * cross(p, q, b) < 0) c++;
    }
  return c;
}

// ---------------------------------------------------------------------------------------------------
// Simplifying a process map with the two sliders (share of activities, share of edges).

export const MAP_START = '▶ start';
export const MAP_END = '■ end';

export interface MapEdge {
  from: string;
  to: string;
  count: number;
  /** Median edge time in seconds; null for the artificial start and end edges. */
  medianSeconds: number | null;
}

export interface SimplifiedMap {
  /** Kept activities with their event counts, most frequent first (start and end nodes not included). */
  activities: { name: string; count: number }[];
  /** Kept edges, including edges from MAP_START and to MAP_END. */
  edges: MapEdge[];
}

/**
 * Keeps the most frequent `activityShare` of activities and `edgeShare` of the edges between them
 * (at least one activity), as Disco's sliders do. So that the map stays readable as a flow from start
 * to end, every kept activity also keeps its most frequent incoming and outgoing edge, whatever the
 * edge share. Start and end are artificial nodes linked to the kept start and end activities.
 */
export function simplifyMap(
  map: {
    activities: readonly { name: string; count: number }[];
    startActivities: readonly { name: string; count: number }[];
    endActivities: readonly { name: string; count: number }[];
    dfg: readonly { from: string; to: string; count: number; medianSeconds: number }[];
  },
  activityShare: number,
  edgeShare: number,
): SimplifiedMap {
  const clamp = (s: number) => Math.min(1, Math.max(0, s));
  const sorted = [...map.activities].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  if (!sorted.length) return { activities: [], edges: [] };
  const keepN = Math.max(1, Math.round(clamp(activityShare) * sorted.length));
  const activities = sorted.slice(0, keepN);
  const kept = new Set(activities.map((a) => a.name));
  const candidates: MapEdge[] = [
    ...map.startActivities
      .filter((s) => kept.has(s.name))
      .map((s) => ({ from: MAP_START, to: s.name, count: s.count, medianSeconds: null })),
    ...map.dfg
      .filter((e) => kept.has(e.from) && kept.has(e.to))
      .map((e) => ({ from: e.from, to: e.to, count: e.count, medianSeconds: e.medianSeconds })),
    ...map.endActivities
      .filter((s) => kept.has(s.name))
      .map((s) => ({ from: s.name, to: MAP_END, count: s.count, medianSeconds: null })),
  ].sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1));
  const chosen = new Set(candidates.slice(0, Math.round(clamp(edgeShare) * candidates.length)));
  for (const name of kept) {
    const incoming = candidates.find((e) => e.to === name && e.from !== name);
    const outgoing = candidates.find((e) => e.from === name && e.to !== name);
    if (incoming) chosen.add(incoming);
    if (outgoing) chosen.add(outgoing);
  }
  return { activities, edges: candidates.filter((e) => chosen.has(e)) };
}
