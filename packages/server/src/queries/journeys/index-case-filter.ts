import type { JourneyFilterInput } from '@cx/core';
import { marks } from '../sql-marks.ts';
import type { Frag } from './filter-sql.ts';

/**
 * The case-level journey filters the journey index can answer, as one predicate on `journey_cases c`
 * — or null when the filter has a part only the live path can answer.
 *
 * A case-level filter keeps or drops whole cases, so the kept cases' steps, successors and variants
 * are those the index already stores; only which cases count changes. That is what the journey page
 * sends on a click (a node: `withActivities`; an edge: `directlyFollows`), so clicks read the index
 * instead of re-windowing every event. Event-level projections (activities keep/remove, event
 * attributes, an event time range) change the steps themselves, and the remaining case-level filters
 * (case time range, variants, case attributes, feedback themes) need columns the index does not
 * keep: those go live. Each predicate means exactly what `casePredicates` in filter-sql.ts means on
 * an unprojected log — the equality is tested in index-case-filter.test.ts.
 */
const ANSWERABLE: ReadonlySet<keyof JourneyFilterInput> = new Set<keyof JourneyFilterInput>([
  'startActivities',
  'endActivities',
  'withActivities',
  'withoutActivities',
  'caseSize',
  'caseDuration',
  'directlyFollows',
  'eventuallyFollows',
]);

/** `c.cn in (cases with a step meeting cond)`, or `not in` when `negate`. */
const withStep = (cond: string, negate = false) =>
  `c.cn ${negate ? 'not in' : 'in'} (select cn from journey_steps where ${cond})`;

export function indexCaseFilter(filter: JourneyFilterInput | undefined): Frag | null {
  const f = filter ?? {};
  const used = (Object.keys(f) as (keyof JourneyFilterInput)[]).filter((k) => f[k] !== undefined);
  if (used.some((k) => !ANSWERABLE.has(k))) return null;
  const preds: Frag[] = [];
  if (f.startActivities)
    preds.push({
      sql: withStep(`rn = 1 and activity in (${marks(f.startActivities.length)})`),
      params: [...f.startActivities],
    });
  if (f.endActivities)
    preds.push({
      sql: withStep(`nxt is null and activity in (${marks(f.endActivities.length)})`),
      params: [...f.endActivities],
    });
  for (const a of f.withActivities ?? []) preds.push({ sql: withStep('activity = ?'), params: [a] });
  if (f.withoutActivities?.length)
    preds.push({
      sql: withStep(`activity in (${marks(f.withoutActivities.length)})`, true),
      params: [...f.withoutActivities],
    });
  const size = f.caseSize;
  if (size?.min !== undefined)
    preds.push({ sql: 'c.events >= cast(? as bigint)', params: [String(size.min)] });
  if (size?.max !== undefined)
    preds.push({ sql: 'c.events <= cast(? as bigint)', params: [String(size.max)] });
  const dur = f.caseDuration;
  if (dur?.minSeconds !== undefined)
    preds.push({ sql: 'c.dur >= cast(? as double)', params: [String(dur.minSeconds)] });
  if (dur?.maxSeconds !== undefined)
    preds.push({ sql: 'c.dur <= cast(? as double)', params: [String(dur.maxSeconds)] });
  for (const r of f.directlyFollows ?? [])
    preds.push({ sql: withStep('activity = ? and nxt = ?', r.exclude), params: [r.from, r.to] });
  // Some `from` step precedes some `to` step: the first `from` comes before the last `to`.
  for (const r of f.eventuallyFollows ?? [])
    preds.push({
      sql: `c.cn ${r.exclude ? 'not in' : 'in'} (select cn from journey_steps where activity in (?, ?) group by cn
              having min(rn) filter (where activity = ?) < max(rn) filter (where activity = ?))`,
      params: [r.from, r.to, r.from, r.to],
    });
  return {
    sql: preds.length ? preds.map((p) => p.sql).join(' and ') : 'true',
    params: preds.flatMap((p) => p.params),
  };
}
