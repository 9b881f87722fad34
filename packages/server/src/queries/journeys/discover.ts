import type { DataScope, DiscoverResult } from '@cx/core';
import { activityCounts } from './activities.ts';
import { caseDurations } from './case-durations.ts';
import { directlyFollows } from './dfg.ts';
import { eventsPerCase } from './events-per-case.ts';
import type { Db, JourneyOptions } from './options.ts';
import { startEndActivities } from './start-end-activities.ts';
import { variants } from './variants.ts';

export type { JourneyOptions } from './options.ts';

/** Runs every discovery query on the scope and returns the `cxc journeys discover --json` shape. */
export async function discover(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<DiscoverResult> {
  const counts = await eventsPerCase(db, scope, opts);
  const activities = await activityCounts(db, scope, opts);
  const ends = await startEndActivities(db, scope, opts);
  const dfg = await directlyFollows(db, scope, opts);
  const vs = await variants(db, scope, opts);
  const durations = await caseDurations(db, scope, opts);
  return {
    events: counts.events,
    cases: counts.cases,
    activities,
    startActivities: ends.start,
    endActivities: ends.end,
    dfg,
    variants: vs.map((v) => ({ activities: v.activities, count: v.count })),
    caseDurations: durations,
  };
}
