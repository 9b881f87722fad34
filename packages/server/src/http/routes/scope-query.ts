import { type DataScope, inputError } from '@cx/core';
import type { Period } from '../../queries/scope-sql.ts';

/** A query-string comma list: trimmed, empty items dropped; undefined when nothing is left. */
export const list = (v: string | undefined): string[] | undefined => {
  const xs = v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return xs?.length ? xs : undefined;
};

/** The query-string filters every analytic GET route takes. */
export interface ScopeQuery {
  from?: string | undefined;
  to?: string | undefined;
  regions?: string | undefined;
  segments?: string | undefined;
  journeys?: string | undefined;
  channels?: string | undefined;
}

/** The request's comma lists as a DataScope. */
export function scopeOf(q: Omit<ScopeQuery, 'from' | 'to'>): DataScope {
  // The request's filters are the scope for now; a role's restrictions are intersected here later,
  // before any query runs.
  const scope: DataScope = {};
  for (const k of ['regions', 'segments', 'journeys', 'channels'] as const) {
    const values = list(q[k]);
    if (values) scope[k] = values;
  }
  return scope;
}

/** The scope and the period (from ≤ to, both optional) of a request. */
export function scopeAndPeriod(q: ScopeQuery): { scope: DataScope; period: Period } {
  if (q.from && q.to && q.from > q.to) throw inputError('from must not be after to', { field: 'from' });
  return { scope: scopeOf(q), period: { from: q.from, to: q.to } };
}
