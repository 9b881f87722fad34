import { UNRESTRICTED } from '@cx/core';
import { activityCounts } from '../packages/server/src/queries/journeys/activities.ts';
import { caseDurations } from '../packages/server/src/queries/journeys/case-durations.ts';
import { directlyFollows } from '../packages/server/src/queries/journeys/dfg.ts';
import { eventsPerCase } from '../packages/server/src/queries/journeys/events-per-case.ts';
import { startEndActivities } from '../packages/server/src/queries/journeys/start-end-activities.ts';
import { variants } from '../packages/server/src/queries/journeys/variants.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, writeResult } from './lib.ts';

/**
 * Journey discovery from the warehouse on a generated log (JOURNEY_EVENTS, default 1M events, 20
 * activities, ~10 events per case). Rows are generated in SQL, so the time measured is the queries.
 * Successors come from lead() at query time; precomputed successors (DESIGN.md §2) come later.
 */
const events = Number(process.env.JOURNEY_EVENTS ?? 1_000_000);
const perCase = 10;
const stores = await openStores('memory');
const wh = stores.warehouse;
await wh.run(
  `insert into events (event_id, case_id, ts, activity, load_id)
   select 'e' || i, 'c' || (i // ${perCase}),
          timestamptz '2024-01-01' + to_seconds((i // ${perCase}) * 60 + (i % ${perCase}) * (hash(i) % 3600)::bigint),
          'activity ' || ((hash(i // ${perCase}) + (i % ${perCase}) * (1 + hash(i) % 2)) % 20), 'bench'
   from range(${events}) t(i)`,
);
const out: Record<string, number> = {};
const queries: Record<string, (db: typeof wh, scope: typeof UNRESTRICTED) => Promise<unknown>> = {
  eventsPerCase,
  activityCounts,
  startEndActivities,
  directlyFollows,
  variants,
  caseDurations,
};
for (const [name, fn] of Object.entries(queries)) {
  await fn(wh, UNRESTRICTED); // warm
  const { seconds } = await timed(() => fn(wh, UNRESTRICTED));
  out[`${name}Seconds`] = Math.round(seconds * 1000) / 1000;
}
const [{ n } = { n: 0 }] = await wh.all<{ n: number }>(
  'select count(distinct list) as n from (select list(activity order by ts, rowid) as list from events group by case_id)',
);
await stores.close();
writeResult('journeys', { events, cases: events / perCase, variants: Number(n), ...out });
