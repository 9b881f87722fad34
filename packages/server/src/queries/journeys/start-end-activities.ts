import { byCountThenName, type DataScope, type NameCount } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

/** Cases per first and per last activity (ts, then file order). */
export async function startEndActivities(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<{ start: NameCount[]; end: NameCount[] }> {
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{ which: string; name: string; count: number }>(
    `with ev as (${ev.sql}),
     ends as (
       select arg_min(activity, (ts, ord)) as first, arg_max(activity, (ts, ord)) as last from ev group by case_id
     )
     select 'start' as which, first as name, count(*)::int as count from ends group by first
     union all
     select 'end', last, count(*)::int from ends group by last`,
    ev.params,
  );
  const pick = (w: string) =>
    rows
      .filter((r) => r.which === w)
      .map((r) => ({ name: r.name, count: Number(r.count) }))
      .sort(byCountThenName);
  return { start: pick('start'), end: pick('end') };
}
