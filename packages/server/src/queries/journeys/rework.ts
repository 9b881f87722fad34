import { byCountThenName, type DataScope, type ReworkResult } from '@cx/core';
import { type Db, eventsCte, int, type JourneyOptions, share } from './options.ts';

/**
 * Rework (issue 4 §1): an activity that occurs more than once in a case. Per activity: the cases that
 * contain it, those where it repeats, the repeats (occurrences beyond the first) and its self-loops
 * (directly-follows a→a, which also counts equal timestamps in file order); overall: the share of
 * cases with any rework. One SQL query, grouped per activity and in total (grouping sets).
 */
export async function rework(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<ReworkResult> {
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{
    activity: string | null;
    total: boolean;
    cases: unknown;
    cwr: unknown;
    repeats: unknown;
    self_loops: unknown;
  }>(
    `with ev as (${ev.sql}),
     steps as (
       select case_id, activity, lead(activity) over (partition by case_id order by ts, ord) as nxt from ev
     ),
     per as (
       select case_id, activity, count(*) as n, count(*) filter (where nxt = activity) as self
       from steps group by case_id, activity
     )
     select activity, grouping(activity) = 1 as total, count(distinct case_id) as cases,
            count(distinct case_id) filter (where n > 1) as cwr, sum(n - 1) as repeats, sum(self) as self_loops
     from per group by grouping sets ((activity), ())`,
    ev.params,
  );
  const total = rows.find((r) => r.total);
  const activities = rows
    .filter((r) => !r.total)
    .map((r) => ({
      activity: r.activity ?? '',
      cases: int(r.cases),
      casesWithRepeat: int(r.cwr),
      repeats: int(r.repeats),
      selfLoops: int(r.self_loops),
      repeatShare: share(int(r.cwr), int(r.cases)),
    }))
    .sort(
      (a, b) =>
        b.repeats - a.repeats ||
        byCountThenName({ name: a.activity, count: a.cases }, { name: b.activity, count: b.cases }),
    );
  const cases = int(total?.cases);
  const casesWithRework = int(total?.cwr);
  return {
    cases,
    casesWithRework,
    reworkShare: share(casesWithRework, cases),
    repeats: int(total?.repeats),
    selfLoops: int(total?.self_loops),
    activities,
  };
}
