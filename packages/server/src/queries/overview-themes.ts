import type { DataScope } from '@cx/core';
import { and, type Period, periodSql, type SqlFragment, scopeSql } from './scope-sql.ts';

/**
 * The Overview's theme filter (issue 5: "a theme can be used as a filter everywhere"). Scores are
 * computed over the responses tagged with one of the themes; volumes over the customers who gave
 * such a response in the same scope and period — "what did the customers who complained about
 * billing do" — since events carry no themes themselves. No themes = no filter.
 */
export type Themes = readonly string[];

const TRUE: SqlFragment = { sql: 'true', params: [] };
const list = (themes: Themes) => `[${themes.map(() => '?').join(', ')}]::varchar[]`;

/** Feedback rows (alias) tagged with at least one of the themes. */
export function themedResponsesSql(themes: Themes, alias: string): SqlFragment {
  if (!themes.length) return TRUE;
  return { sql: `coalesce(list_has_any(${alias}.themes, ${list(themes)}), false)`, params: [...themes] };
}

/** Rows (alias, with customer_id) of a customer who gave a themed response within scope and period. */
export function themedCustomersSql(
  scope: DataScope,
  period: Period,
  themes: Themes,
  alias: string,
): SqlFragment {
  if (!themes.length) return TRUE;
  const fb = and(
    scopeSql(scope, 'tf', 'feedback'),
    periodSql(period, 'tf'),
    themedResponsesSql(themes, 'tf'),
  );
  return {
    sql: `${alias}.customer_id in (select tf.customer_id from feedback tf where tf.customer_id is not null and ${fb.sql})`,
    params: fb.params,
  };
}
