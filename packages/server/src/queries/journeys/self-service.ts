import {
  compareCodePoints,
  type DataScope,
  type SelfServiceOptions,
  SelfServiceOptionsSchema,
  type SelfServiceResult,
} from '@cx/core';
import { marks } from '../sql-marks.ts';
import { parseWith } from './filter-sql.ts';
import { type Db, eventsCte, int, type JourneyOptions, pick, share } from './options.ts';

export type SelfServiceQueryOptions = JourneyOptions & SelfServiceOptions;

/**
 * Self-service rate (issue 4 §1): the share of cases without any event on an assisted channel
 * (default `DEFAULT_ASSISTED_CHANNELS`: call_centre, shop, chat). The event data does not say whether
 * a case was resolved, so every case in the (filtered) slice counts; filter on an end activity to
 * count only resolved cases. Broken down by the journey of each case's first event.
 */
export async function selfService(
  db: Db,
  scope: DataScope,
  opts: SelfServiceQueryOptions = {},
): Promise<SelfServiceResult> {
  const o = parseWith(SelfServiceOptionsSchema, pick(opts, ['assistedChannels']));
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{ journey: string | null; total: boolean; cases: unknown; self: unknown }>(
    `with ev as (${ev.sql}),
     cs as (
       select case_id, first(journey order by ts, ord) as journey,
              coalesce(bool_or(channel in (${marks(o.assistedChannels.length)})), false) as assisted
       from ev group by case_id
     )
     select journey, grouping(journey) = 1 as total, count(*) as cases, count(*) filter (where not assisted) as self
     from cs group by grouping sets ((journey), ())`,
    [...ev.params, ...o.assistedChannels],
  );
  const total = rows.find((r) => r.total);
  const cases = int(total?.cases);
  const selfServiceCases = int(total?.self);
  return {
    assistedChannels: o.assistedChannels,
    cases,
    selfServiceCases,
    selfServiceShare: share(selfServiceCases, cases),
    byJourney: rows
      .filter((r) => !r.total)
      .map((r) => ({
        journey: r.journey,
        cases: int(r.cases),
        selfServiceCases: int(r.self),
        selfServiceShare: share(int(r.self), int(r.cases)),
      }))
      .sort(
        (a, b) =>
          b.cases - a.cases ||
          (a.journey === null ? 1 : b.journey === null ? -1 : compareCodePoints(a.journey, b.journey)),
      ),
  };
}
