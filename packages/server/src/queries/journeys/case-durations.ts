import type { DataScope } from '@cx/core';
import { journeySource } from './journey-index.ts';
import type { Db, JourneyOptions } from './options.ts';

export interface Summary {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** Case duration = last − first timestamp in seconds (0 for a one-event case); median averages the middle two. */
export async function caseDurations(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<Summary> {
  const src = await journeySource(db, scope, opts);
  const [r] = await db.all<Summary>(
    `with ${src.ctes} select avg(dur) as mean, median(dur) as median, min(dur) as min, max(dur) as max from cases`,
    src.params,
  );
  return r ?? { mean: null, median: null, min: null, max: null };
}
