import { byCountThenName, type DataScope, type NameCount } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

/** Events per activity, count descending then name. */
export async function activityCounts(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<NameCount[]> {
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{ name: string; count: number }>(
    `with ev as (${ev.sql}) select activity as name, count(*)::int as count from ev group by activity`,
    ev.params,
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count) })).sort(byCountThenName);
}
