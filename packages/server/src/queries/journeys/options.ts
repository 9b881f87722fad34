import type { CaseNotion, DataScope, JourneyFilterInput } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';
import { applyJourneyFilter, parseCaseNotion, parseJourneyFilter } from './filter-sql.ts';

export { EVENT_COLUMNS } from './filter-sql.ts';

/** How events become activities, as `cxc journeys discover` offers it. */
export interface JourneyOptions {
  /**
   * `name` (default, as PM4Py): the activity alone, every event counts whatever its lifecycle.
   * `name+lifecycle`: activity and lifecycle transition, joined with "+".
   */
  classifier?: 'name' | 'name+lifecycle' | undefined;
  /** Keep only events whose lifecycle is `complete` (or absent). */
  completeOnly?: boolean | undefined;
  /**
   * Which events to keep (issue 4 §2); raw JSON is validated here and bad parts are reported as
   * `filter.<path>`. Order of application: see `filter-sql.ts`.
   */
  filter?: JourneyFilterInput | undefined;
  /** What one case is; default `{ kind: 'case_id' }`. */
  caseNotion?: CaseNotion | undefined;
}

export type Db = Pick<WarehouseSession, 'all'>;

export interface Sql {
  sql: string;
  params: string[];
}

/**
 * File order of an event, the tiebreak after ts. The events table keeps no explicit ordinal yet, so
 * `rowid` stands in for it: the importers insert in file order and DuckDB preserves insertion order.
 * (A dedicated `ord` column — DESIGN.md §2 — belongs in a later migration together with precomputed
 * successors; only this expression changes then.)
 */
const ORD = 'e.rowid';

/**
 * The classified events of the scope, as a CTE body with the columns `EVENT_COLUMNS`: case_id,
 * activity, ts, ord, customer_id, channel, journey, touchpoint, resource, source_system, lifecycle.
 * Order within a case is ts, then ord. The case notion and the filter of `opts` are applied here, so
 * every journey query built on this CTE honours them.
 */
export function eventsCte(scope: DataScope, opts: JourneyOptions = {}): Sql {
  const s = scopeSql(scope, 'e', 'events');
  const activity =
    opts.classifier === 'name+lifecycle' ? `e.activity || '+' || coalesce(e.lifecycle, '')` : 'e.activity';
  const complete = opts.completeOnly ? `and (e.lifecycle is null or lower(e.lifecycle) = 'complete')` : '';
  const base = {
    sql: `select e.case_id, ${activity} as activity, e.ts, ${ORD} as ord, e.customer_id, e.channel, e.journey,
                 e.touchpoint, e.resource, e.source_system, e.lifecycle
          from events e where ${s.sql} ${complete}`,
    params: s.params,
  };
  const filter = opts.filter === undefined ? undefined : parseJourneyFilter(opts.filter);
  return applyJourneyFilter(base, parseCaseNotion(opts.caseNotion), filter);
}

/** Seconds between two timestamptz values, to the microsecond. */
export const secondsBetween = (a: string, b: string): string => `((epoch_us(${b}) - epoch_us(${a})) / 1e6)`;

/** part / whole, or null when there is no whole. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** DuckDB aggregates may come back as null (no rows) or as doubles; counts become integers. */
export const int = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The given keys of `opts` that are set, for a strict option schema. */
export function pick<T extends object, K extends keyof T>(opts: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (opts[k] !== undefined) out[k] = opts[k];
  return out;
}
