import {
  AppError,
  type DataScope,
  type DriverFilters,
  type DriverLink,
  DriverNodeRequestSchema,
  type DriverWhatIf,
  DriverWhatIfRequestSchema,
} from '@cx/core';
import type { AppStore } from '../app-store/port.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { computeLink, nodePath } from './link.ts';
import { getMetricsTree } from './tree-store.ts';

/**
 * Link analyses and what-ifs for the API. Results are kept per warehouse while its write count is
 * unchanged (the journeys routes' pattern): clicking back to a node answers from memory, and any load
 * or undo drops them all. The key includes the tree version, so a saved edit is never answered with
 * the old tree's figures.
 */
const CACHE_SIZE = 128;
const caches = new WeakMap<Warehouse, { writeCount: number; entries: Map<string, Promise<DriverLink>> }>();

function cached(wh: Warehouse, key: string, compute: () => Promise<DriverLink>): Promise<DriverLink> {
  let cache = caches.get(wh);
  if (!cache || cache.writeCount !== wh.writeCount) {
    cache = { writeCount: wh.writeCount, entries: new Map() };
    caches.set(wh, cache);
  }
  const hit = cache.entries.get(key);
  if (hit) {
    cache.entries.delete(key); // most recently used goes last
    cache.entries.set(key, hit);
    return hit;
  }
  const writeCount = wh.writeCount;
  const entries = cache.entries;
  // The promise itself is kept, so concurrent requests for one node share a computation.
  const value = compute().then(
    (v) => {
      // A write during the query may or may not be in the answer: do not keep it.
      if (wh.writeCount !== writeCount) entries.delete(key);
      return v;
    },
    (e) => {
      entries.delete(key);
      throw e;
    },
  );
  entries.set(key, value);
  if (entries.size > CACHE_SIZE) entries.delete(entries.keys().next().value!);
  return value;
}

export interface DriverDeps {
  warehouse: Warehouse;
  appStore: AppStore;
}

async function link(
  deps: DriverDeps,
  args: {
    nodeId: string;
    scope: DataScope;
    filters: DriverFilters | undefined;
    resamples: number;
    seed: number;
    version: number | undefined;
  },
): Promise<DriverLink> {
  const stored = await getMetricsTree(deps.appStore, args.version);
  const key = JSON.stringify([
    stored.version,
    args.nodeId,
    args.scope,
    args.filters ?? {},
    args.resamples,
    args.seed,
  ]);
  // The built-in default (version 0) is the same tree everywhere, so its key is stable too.
  return cached(deps.warehouse, key, () =>
    computeLink(deps.warehouse, stored.tree, stored.version, args.nodeId, {
      scope: args.scope,
      filters: args.filters,
      resamples: args.resamples,
      seed: args.seed,
    }),
  );
}

export async function driverNode(deps: DriverDeps, body: unknown): Promise<DriverLink> {
  const req = DriverNodeRequestSchema.parse(body);
  return link(deps, {
    nodeId: req.nodeId,
    scope: req.scope ?? {},
    filters: req.filters,
    resamples: req.resamples,
    seed: req.seed,
    version: req.version,
  });
}

/** Resamples of the links a what-if walks through: enough for stable coefficient intervals. */
const WHAT_IF_RESAMPLES = 1000;

/**
 * Expected change of the node if one child improves by `delta` (OLS coefficient × delta, with its
 * bootstrap interval), carried up to the root by multiplying the coefficients along the path. The
 * chain is a linear approximation: each step holds the parent's other children fixed, and the
 * intervals combine the steps' relative errors as if they were independent (delta method).
 */
export async function driverWhatIf(deps: DriverDeps, body: unknown): Promise<DriverWhatIf> {
  const req = DriverWhatIfRequestSchema.parse(body);
  const stored = await getMetricsTree(deps.appStore, req.version);
  const path = nodePath(stored.tree, req.nodeId);
  const node = path[path.length - 1]!;
  if (!node.children.includes(req.childId))
    throw new AppError(
      'bad_input',
      `"${req.childId}" is not a child of "${req.nodeId}"; its children are ${node.children.join(', ') || 'none'}`,
      { field: 'childId' },
    );
  const steps: DriverWhatIf['steps'] = [];
  let child = req.childId;
  let change = req.delta;
  let relVar = 0;
  const notes: string[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = path[i]!;
    const l = await link(deps, {
      nodeId: parent.id,
      scope: req.scope ?? {},
      filters: req.filters,
      resamples: WHAT_IF_RESAMPLES,
      seed: 1,
      version: req.version,
    });
    const c = l.children.find((x) => x.id === child);
    if (!c || c.coefficient === null) {
      notes.push(
        `the effect of "${child}" on "${parent.id}" could not be estimated on this slice; the chain stops there`,
      );
      break;
    }
    const b = c.coefficient;
    change *= b;
    if (c.coefficientCi && b !== 0) {
      const se = (c.coefficientCi.high - c.coefficientCi.low) / (2 * 1.959963984540054);
      relVar += (se / b) ** 2;
    }
    const half = 1.959963984540054 * Math.abs(change) * Math.sqrt(relVar);
    let interval: { low: number; high: number } | null = null;
    if (c.coefficientCi && steps.length === 0) {
      // The first step is the coefficient's own (bootstrap) interval times the change.
      const [lo, hi] = [c.coefficientCi.low * req.delta, c.coefficientCi.high * req.delta];
      interval = { low: Math.min(lo, hi), high: Math.max(lo, hi) };
    } else if (c.coefficientCi) interval = { low: change - half, high: change + half };
    steps.push({
      nodeId: parent.id,
      label: parent.label,
      measure: parent.measure,
      change,
      ci: interval,
      coefficient: b,
    });
    child = parent.id;
  }
  return {
    nodeId: req.nodeId,
    childId: req.childId,
    delta: req.delta,
    steps,
    note: [
      'Linear approximation: each step is the OLS coefficient of the child on its parent (impact links: volume share × slope within the child), the other children held fixed; steps up the tree multiply, and their intervals combine as if independent.',
      ...notes,
    ].join(' '),
  };
}
