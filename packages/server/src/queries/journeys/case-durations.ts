import type { DataScope } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions, secondsBetween } from './options.ts';

export interface Summary {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** Case duration = last − first timestamp in seconds (0 for a one-event case); median averages the middle two. */
export async function caseDurations(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<Summary> {
  const ev = eventsCte(scope, opts);
  const [r] = await db.all<Summary>(
    `with ev as (${ev.sql}),
     d as (select ${secondsBetween('min(ts)', 'max(ts)')} as s from ev group by case_id)
     select avg(s) as mean, median(s) as median, min(s) as min, max(s) as max from d`,
    ev.params,
  );
  return r ?? { mean: null, median: null, min: null, max: null };
}
