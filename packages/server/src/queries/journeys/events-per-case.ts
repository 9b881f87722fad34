import type { DataScope } from '@cx/core';
import type { Summary } from './case-durations.ts';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

/** Events and cases in the scope, and the distribution of events per case. */
export async function eventsPerCase(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<Summary & { events: number; cases: number }> {
  const ev = eventsCte(scope, opts);
  const [r] = await db.all<Summary & { events: number; cases: number }>(
    `with ev as (${ev.sql}), c as (select count(*) as n from ev group by case_id)
     select coalesce(sum(n), 0)::bigint as events, count(*)::bigint as cases,
            avg(n) as mean, median(n) as median, min(n) as min, max(n) as max from c`,
    ev.params,
  );
  return { ...r!, events: Number(r!.events), cases: Number(r!.cases) };
}
