import { AppError, type DataScope } from '@cx/core';
import { marks } from './sql-marks.ts';

/**
 * Turns a DataScope into a SQL predicate, so row-level restrictions are enforced inside the
 * warehouse for every analytic query (DESIGN.md §1.6) instead of filtering rows in JS afterwards.
 *
 * - regions / segments are attributes of the customer: rows are kept when their customer_id belongs
 *   to a customer in the allowed regions/segments (rows without a customer are then not visible).
 * - journeys / channels are attributes of the row itself on events and feedback; for tables without
 *   those columns (customers, outcomes, …) a customer is visible when they have an event in an
 *   allowed journey/channel — a journey owner sees the customers who took their journey.
 *
 * Values travel as positional `?` parameters, never spliced into the SQL text.
 */
export interface SqlFragment {
  sql: string;
  params: string[];
}

export type ScopedTable = 'customers' | 'events' | 'feedback' | 'identities' | 'measurements' | 'outcomes';

const OWN_JOURNEY_CHANNEL: ReadonlySet<ScopedTable> = new Set(['events', 'feedback']);

export function scopeSql(scope: DataScope, alias: string, table: ScopedTable): SqlFragment {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new AppError('internal', `Invalid table alias ${alias}`);
  const parts: string[] = [];
  const params: string[] = [];
  const regions = scope.regions ?? [];
  const segments = scope.segments ?? [];
  const journeys = scope.journeys ?? [];
  const channels = scope.channels ?? [];

  if (regions.length || segments.length) {
    const cond: string[] = [];
    const col = (c: string) => (table === 'customers' ? `${alias}.${c}` : `sc.${c}`);
    if (regions.length) {
      cond.push(`${col('region')} in (${marks(regions.length)})`);
      params.push(...regions);
    }
    if (segments.length) {
      cond.push(`${col('segment')} in (${marks(segments.length)})`);
      params.push(...segments);
    }
    parts.push(
      table === 'customers'
        ? cond.join(' and ')
        : `${alias}.customer_id in (select sc.customer_id from customers sc where ${cond.join(' and ')})`,
    );
  }

  if (journeys.length || channels.length) {
    const own = OWN_JOURNEY_CHANNEL.has(table);
    const cond: string[] = [];
    const col = (c: string) => (own ? `${alias}.${c}` : `se.${c}`);
    if (journeys.length) {
      cond.push(`${col('journey')} in (${marks(journeys.length)})`);
      params.push(...journeys);
    }
    if (channels.length) {
      cond.push(`${col('channel')} in (${marks(channels.length)})`);
      params.push(...channels);
    }
    parts.push(
      own
        ? cond.join(' and ')
        : `exists (select 1 from events se where se.customer_id = ${alias}.customer_id and ${cond.join(' and ')})`,
    );
  }
  return { sql: parts.length ? parts.map((p) => `(${p})`).join(' and ') : 'true', params };
}

/** A reporting period of whole UTC days; both ends inclusive, either may be open. */
export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}

/** `alias.column` within the period; rows without a time are outside any bounded period. */
export function periodSql(period: Period, alias: string, column = 'ts'): SqlFragment {
  const parts: string[] = [];
  const params: string[] = [];
  if (period.from) {
    parts.push(`${alias}.${column} >= cast(? as date)::timestamptz`);
    params.push(period.from);
  }
  if (period.to) {
    parts.push(`${alias}.${column} < (cast(? as date) + 1)::timestamptz`);
    params.push(period.to);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

/** Joins fragments with `and`, keeping their parameters in text order. */
export function and(...fragments: SqlFragment[]): SqlFragment {
  return {
    sql: fragments.map((f) => `(${f.sql})`).join(' and '),
    params: fragments.flatMap((f) => f.params),
  };
}
