import { type DataScope, inputError } from '@cx/core';
import type { Period } from '../../queries/scope-sql.ts';

/** Query-string filters shared by the money and campaign routes: comma lists → a DataScope. */
export const list = (v: string | undefined): string[] | undefined => {
  const xs = v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return xs?.length ? xs : undefined;
};

export interface ScopeQuery {
  from?: string | undefined;
  to?: string | undefined;
  regions?: string | undefined;
  segments?: string | undefined;
  journeys?: string | undefined;
  channels?: string | undefined;
}

export function valueScope(q: ScopeQuery): { scope: DataScope; period: Period } {
  if (q.from && q.to && q.from > q.to) throw inputError('from must not be after to', { field: 'from' });
  // The request's filters are the scope for now; a role's restrictions are intersected here later.
  const scope: DataScope = {};
  for (const k of ['regions', 'segments', 'journeys', 'channels'] as const) {
    const values = list(q[k]);
    if (values) scope[k] = values;
  }
  return { scope, period: { from: q.from, to: q.to } };
}
