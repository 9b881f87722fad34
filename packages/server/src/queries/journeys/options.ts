import type { DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/** How events become activities, as `cxc journeys discover` offers it. */
export interface JourneyOptions {
  /**
   * `name` (default, as PM4Py): the activity alone, every event counts whatever its lifecycle.
   * `name+lifecycle`: activity and lifecycle transition, joined with "+".
   */
  classifier?: 'name' | 'name+lifecycle' | undefined;
  /** Keep only events whose lifecycle is `complete` (or absent). */
  completeOnly?: boolean | undefined;
}

export type Db = Pick<WarehouseSession, 'all'>;

export interface Sql {
  sql: string;
  params: string[];
}

/**
 * The classified events of the scope, as a CTE body: case_id, activity, ts, ord.
 *
 * Order within a case is ts, then file order. The events table keeps no explicit ordinal yet, so
 * `rowid` stands in for it: the importers insert in file order and DuckDB preserves insertion order.
 * (A dedicated `ord` column — DESIGN.md §2 — belongs in a later migration together with precomputed
 * successors; only this CTE changes then.)
 */
export function eventsCte(scope: DataScope, opts: JourneyOptions = {}): Sql {
  const s = scopeSql(scope, 'e', 'events');
  const activity =
    opts.classifier === 'name+lifecycle' ? `e.activity || '+' || coalesce(e.lifecycle, '')` : 'e.activity';
  const complete = opts.completeOnly ? `and (e.lifecycle is null or lower(e.lifecycle) = 'complete')` : '';
  return {
    sql: `select e.case_id, ${activity} as activity, e.ts, e.rowid as ord from events e where ${s.sql} ${complete}`,
    params: s.params,
  };
}

/** Seconds between two timestamptz values, to the microsecond. */
export const secondsBetween = (a: string, b: string): string => `((epoch_us(${b}) - epoch_us(${a})) / 1e6)`;
