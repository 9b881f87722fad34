import type { JourneyMap, JourneyModelInput } from '@cx/core';

/**
 * Starting points for the analysis views, read off the process map so that each view shows something
 * meaningful on first open; the user edits from there.
 */

/**
 * The happy path: from the most frequent start activity, follow the most frequent outgoing edge to
 * an activity not yet on the path, up to `n` activities.
 */
export function happyPath(map: JourneyMap, n: number): string[] {
  const start = map.startActivities[0]?.name;
  if (!start) return [];
  const path = [start];
  while (path.length < n) {
    const last = path[path.length - 1]!;
    const next = map.dfg
      .filter((e) => e.from === last && !path.includes(e.to))
      .sort((a, b) => b.count - a.count || (a.to < b.to ? -1 : 1))[0];
    if (!next) break;
    path.push(next.to);
  }
  return path;
}

/** The smallest set of the most frequent items that covers `share` of the total. */
function covering(items: { name: string; count: number }[], share: number): string[] {
  const total = items.reduce((s, x) => s + x.count, 0);
  const out: string[] = [];
  let sum = 0;
  for (const x of items) {
    if (out.length && sum >= share * total) break;
    out.push(x.name);
    sum += x.count;
  }
  return out;
}

/**
 * A first designed journey: the start and end activities of 80 % of the cases and the transitions
 * taken by at least 5 % of them (at least the busiest one), without time limits.
 */
export function designedJourney(map: JourneyMap): JourneyModelInput {
  const minCount = 0.05 * map.cases;
  const transitions = map.dfg
    .filter((e, i) => i === 0 || e.count >= minCount)
    .map((e) => ({ from: e.from, to: e.to }));
  return {
    startActivities: covering(map.startActivities, 0.8),
    endActivities: covering(map.endActivities, 0.8),
    transitions,
  };
}
