import {
  AppError,
  type DataScope,
  DRIVER_CASE_KPIS,
  type DriverFilters,
  type DriverLink,
  type DriverLinkChild,
  type DriverResult,
  driverAnalysis,
  importancePerformance,
  isAppError,
  type KpiDirection,
  type MetricsNode,
  type MetricsTree,
  type NodeMeasure,
  nodeMeasureScale,
  parseNodeMeasure,
} from '@cx/core';
import { linkTable } from '../queries/drivers/link-table.ts';
import { partitionStats } from '../queries/drivers/partition-stats.ts';
import type { ResponseSlice } from '../queries/drivers/response-slice.ts';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * One link of the metrics tree: how a node's children drive it, on the responses in the node's slice.
 *
 * - Children measured on every response (elements, KPIs, other scores): relative weights of the
 *   children on the parent (Johnson 2000) with bootstrap 95 % intervals, correlation, VIF, and the
 *   unstandardised OLS coefficient for what-ifs.
 * - Children that partition the responses (journeys, touchpoints — each response belongs to one):
 *   a regression across them is meaningless, so each child's impact is the parent's headline figure
 *   minus the same figure without the child's responses (for NPS: NPS(all) − NPS(rest), "NPS points
 *   explained"), with an analytic interval — docs/decisions.md, 2026-11-23.
 */
const Z = 1.959963984540054;

export interface LinkRequest {
  scope: DataScope;
  filters?: DriverFilters | undefined;
  resamples: number;
  seed: number;
}

/** Path from the root to `nodeId` (inclusive); a not_found error names the id. */
export function nodePath(tree: MetricsTree, nodeId: string): MetricsNode[] {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<string, string>();
  for (const n of tree.nodes) for (const c of n.children) parentOf.set(c, n.id);
  const node = byId.get(nodeId);
  if (!node) throw new AppError('not_found', `No node "${nodeId}" in the metrics tree`, { field: 'nodeId' });
  const path = [node];
  for (let p = parentOf.get(nodeId); p !== undefined; p = parentOf.get(p)) path.unshift(byId.get(p)!);
  return path;
}

/** The node's slice: the caller's scope with the request's segments/regions, the period, the path's filters. */
export function sliceOf(path: MetricsNode[], req: LinkRequest): ResponseSlice {
  const scope: DataScope = { ...req.scope };
  for (const key of ['segments', 'regions'] as const) {
    const asked = req.filters?.[key];
    if (!asked?.length) continue;
    const allowed = scope[key];
    // The caller's scope is a restriction: a filter can narrow it, never widen it.
    scope[key] = allowed?.length ? asked.filter((v) => allowed.includes(v)) : asked;
    if (!scope[key]!.length) scope[key] = ['\u0000none'];
  }
  return {
    scope,
    period: { from: req.filters?.from, to: req.filters?.to },
    filters: path.flatMap((n) => (n.filter ? [n.filter] : [])),
  };
}

const measureOf = (n: MetricsNode): NodeMeasure => {
  const m = parseNodeMeasure(n.measure);
  if (!m)
    throw new AppError('bad_input', `node "${n.id}": unknown measure "${n.measure}"`, { field: 'measure' });
  return m;
};

const directionOf = (n: MetricsNode): KpiDirection => {
  if (n.direction) return n.direction;
  const m = parseNodeMeasure(n.measure);
  return m?.type === 'kpi' ? DRIVER_CASE_KPIS[m.kpi].direction : 'higher_is_better';
};

const targetOf = (n: MetricsNode): number | null => {
  if (n.target !== undefined) return n.target;
  const m = parseNodeMeasure(n.measure);
  return m?.type === 'kpi' ? DRIVER_CASE_KPIS[m.kpi].target : null;
};

/** Performance of a child on its own values (NaN = missing): mean, top box, share within target. */
export function performanceOf(child: MetricsNode, values: ArrayLike<number>): DriverLinkChild['performance'] {
  const m = measureOf(child);
  const scale = nodeMeasureScale(m);
  const direction = directionOf(child);
  const target = targetOf(child);
  let n = 0;
  let sum = 0;
  let top = 0;
  let within = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (scale?.topBox !== undefined && v >= scale.topBox) top++;
    if (target !== null && (direction === 'lower_is_better' ? v <= target : v >= target)) within++;
  }
  const mean = n ? sum / n : null;
  const topBox = n && scale?.topBox !== undefined ? top / n : null;
  const withinTarget = n && target !== null ? within / n : null;
  let normalised: number | null = null;
  if (mean !== null && scale) {
    const x = (mean - scale.min) / (scale.max - scale.min);
    normalised = direction === 'lower_is_better' ? 1 - x : x;
  } else if (withinTarget !== null) normalised = withinTarget;
  return { n, mean, topBox, withinTarget, target, direction, normalised };
}

/**
 * Relative weights with bootstrap intervals. A child that cannot enter the model on this slice
 * (constant, e.g. no transfers at a touchpoint; or missing everywhere) is left out with a warning
 * rather than failing the whole link.
 */
function analyse(
  names: string[],
  columns: Float64Array[],
  target: Float64Array,
  options: { resamples: number; seed: number },
  warnings: string[],
): { result: DriverResult | null; kept: string[] } {
  let kept = names.map((_, j) => j);
  while (kept.length) {
    try {
      const result = driverAnalysis(
        { names: kept.map((j) => names[j]!), drivers: kept.map((j) => columns[j]!), target },
        options,
      );
      return { result, kept: kept.map((j) => names[j]!) };
    } catch (e) {
      if (!isAppError(e) || e.code !== 'bad_input') throw e;
      const fields = String(e.details?.field ?? '').split(',');
      const drop = kept.filter((j) => fields.includes(names[j]!));
      if (!drop.length || drop.length === kept.length) {
        warnings.push(e.message);
        return { result: null, kept: [] };
      }
      // Of collinear drivers one goes; a constant driver goes alone.
      const gone = drop[drop.length - 1]!;
      warnings.push(`"${names[gone]}" left out: ${e.message}`);
      kept = kept.filter((j) => j !== gone);
    }
  }
  return { result: null, kept: [] };
}

const isPartition = (children: MetricsNode[]) =>
  children.length > 0 &&
  children.every((c) => (c.kind === 'journey' || c.kind === 'touchpoint') && c.filter !== undefined);

export async function computeLink(
  wh: WarehouseSession,
  tree: MetricsTree,
  version: number,
  nodeId: string,
  req: LinkRequest,
): Promise<DriverLink> {
  const t0 = performance.now();
  const path = nodePath(tree, nodeId);
  const node = path[path.length - 1]!;
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const children = node.children.map((c) => byId.get(c)!);
  const slice = sliceOf(path, req);
  const target = measureOf(node);
  const npsParent = target.type === 'score' && target.score === 'nps';
  const warnings: string[] = [];
  const base = {
    nodeId: node.id,
    label: node.label,
    measure: node.measure,
    version,
    resamples: req.resamples,
    path: path.map((n) => ({ id: n.id, label: n.label })),
  };
  const hasChildren = (c: MetricsNode) => c.children.length > 0;

  if (children.length === 0) {
    const table = await linkTable(wh, slice, target, []);
    return {
      ...base,
      method: 'none',
      n: table.n,
      r2: null,
      parent: headline(table.target, npsParent),
      children: [],
      thresholds: { importance: 0, performance: null },
      warnings: ['this node has no children: nothing drives it in the tree'],
      ms: performance.now() - t0,
    };
  }

  let out: DriverLinkChild[];
  let n: number;
  let r2: number | null = null;
  let parent: DriverLink['parent'];
  let method: DriverLink['method'];

  if (isPartition(children)) {
    method = 'impact';
    const stats = await partitionStats(
      wh,
      slice,
      target,
      children.map((c) => ({ filter: c.filter, measure: measureOf(c) })),
    );
    n = stats.all.n;
    const meanAll = n ? stats.all.sy / n : null;
    parent = {
      mean: meanAll,
      headline: meanAll,
      headlineCi: meanAll === null ? null : ci(meanAll, Math.sqrt(varPop(stats.all) / n)),
    };
    const impacts = stats.children.map((s) => {
      const nr = n - s.n;
      if (!s.n || !nr || meanAll === null) return null;
      const rest = { n: nr, sy: stats.all.sy - s.sy, syy: stats.all.syy - s.syy };
      const w = s.n / n;
      const meanK = s.sy / s.n;
      const meanR = rest.sy / nr;
      // NPS(all) − NPS(rest) = w · (NPS(child) − NPS(rest)); the two groups are independent samples.
      const impact = meanAll - meanR;
      const se = w * Math.sqrt(varPop(s) / s.n + varPop(rest) / nr);
      return { impact, se, w, meanK };
    });
    const totalAbs = impacts.reduce((a, x) => a + (x ? Math.abs(x.impact) : 0), 0);
    out = children.map((c, k) => {
      const s = stats.children[k]!;
      const im = impacts[k];
      const perf = performanceOf(c, s.xs);
      // What-if: a change of the child's measure moves the parent within the child's responses by the
      // simple slope, and the whole parent by the child's volume share of it.
      let coefficient: number | null = null;
      let coefficientCi: DriverLinkChild['coefficientCi'] = null;
      if (s.slope !== null && s.sxx && s.nxy > 2 && im) {
        const resid = Math.max(0, (s.syyXy ?? 0) - s.slope * (s.sxy ?? 0)) / (s.nxy - 2);
        const seSlope = Math.sqrt(resid / s.sxx);
        coefficient = im.w * s.slope;
        coefficientCi = ci(coefficient, im.w * seSlope);
      }
      const interval = im ? ci(im.impact, im.se) : null;
      return {
        ...childBase(c),
        share: im && totalAbs > 0 ? Math.abs(im.impact) / totalAbs : 0,
        raw: im?.impact ?? 0,
        ci: interval,
        shareCi: null,
        notSignificant: interval ? interval.low <= 0 && interval.high >= 0 : true,
        correlation: null,
        sign: im && im.impact < 0 ? -1 : 1,
        vif: null,
        coefficient,
        coefficientCi,
        npsPoints: npsParent && im ? im.impact : null,
        npsPointsCi: npsParent ? interval : null,
        volumeShare: im?.w ?? (s.n && n ? s.n / n : 0),
        performance: perf,
        quadrant: null,
        included: im !== null,
        hasChildren: hasChildren(c),
      };
    });
  } else {
    method = 'relative_weights';
    const measures = children.map(measureOf);
    const table = await linkTable(wh, slice, target, measures);
    parent = headline(table.target, npsParent);
    const names = children.map((c) => c.id);
    const { result } = analyse(
      names,
      table.drivers,
      table.target,
      { resamples: req.resamples, seed: req.seed },
      warnings,
    );
    n = result?.n ?? 0;
    r2 = result?.r2 ?? null;
    if (result) warnings.push(...result.warnings);
    out = children.map((c, j) => {
      const k = result ? result.weights.findIndex((w) => w.name === c.id) : -1;
      const w = k >= 0 ? result!.weights[k]! : null;
      const r2v = result?.r2 ?? 0;
      return {
        ...childBase(c),
        share: w?.share ?? 0,
        raw: w?.raw ?? 0,
        ci: w?.ci ?? null,
        shareCi: w?.ci && r2v > 0 ? { low: w.ci.low / r2v, high: w.ci.high / r2v } : null,
        notSignificant: w ? (w.notSignificant ?? false) : true,
        correlation: w?.correlation ?? null,
        sign: w?.sign ?? 1,
        vif: k >= 0 ? (result!.vif[k] ?? null) : null,
        coefficient: w?.coefficient ?? null,
        coefficientCi: w?.coefficientCi ?? null,
        npsPoints: null,
        npsPointsCi: null,
        volumeShare: null,
        performance: performanceOf(c, table.drivers[j]!),
        quadrant: null,
        included: w !== null,
        hasChildren: hasChildren(c),
      };
    });
  }

  const placed = out.filter((c) => c.included && c.performance.normalised !== null);
  const ipa = importancePerformance(
    placed.map((c) => ({ name: c.id, importance: c.share, performance: c.performance.normalised! })),
  );
  for (const p of ipa.points) {
    const c = out.find((x) => x.id === p.name);
    if (c) c.quadrant = p.quadrant;
  }
  return {
    ...base,
    method,
    n,
    r2,
    parent,
    children: out,
    thresholds: {
      importance: placed.length ? ipa.importanceThreshold : 1 / Math.max(1, out.length),
      performance: placed.length ? ipa.performanceThreshold : null,
    },
    // The statistics name drivers by id; people read labels.
    warnings: warnings.map((w) =>
      children
        .toSorted((a, b) => b.id.length - a.id.length)
        .reduce((text, c) => text.replaceAll(c.id, c.label), w),
    ),
    ms: performance.now() - t0,
  };
}

const childBase = (c: MetricsNode) => ({ id: c.id, label: c.label, kind: c.kind, measure: c.measure });

const varPop = (s: { n: number; sy: number; syy: number }) => {
  if (!s.n) return 0;
  const m = s.sy / s.n;
  return Math.max(0, s.syy / s.n - m * m);
};

const ci = (estimate: number, se: number) => ({ low: estimate - Z * se, high: estimate + Z * se });

/** The parent's own figure on the link's responses: NPS (coded mean) or mean, with a normal interval. */
function headline(values: Float64Array, nps: boolean): DriverLink['parent'] {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const v of values)
    if (Number.isFinite(v)) {
      n++;
      sum += v;
      sq += v * v;
    }
  if (!n) return { mean: null, headline: null, headlineCi: null };
  const mean = sum / n;
  // NPS uses the population variance p + d − (p − d)² (DESIGN.md §4); a mean the sample variance.
  const variance = nps ? sq / n - mean * mean : n > 1 ? (sq - n * mean * mean) / (n - 1) : 0;
  return { mean, headline: mean, headlineCi: ci(mean, Math.sqrt(Math.max(0, variance) / n)) };
}
