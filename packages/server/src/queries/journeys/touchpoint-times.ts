import {
  byCountThenEdge,
  type DataScope,
  type TouchpointTimesOptions,
  TouchpointTimesOptionsSchema,
  type TouchpointTimesResult,
} from '@cx/core';
import { parseWith } from './filter-sql.ts';
import { type Db, eventsCte, int, type JourneyOptions, pick, secondsBetween, share } from './options.ts';

export type TouchpointTimesQueryOptions = JourneyOptions & TouchpointTimesOptions;

interface Row {
  from: string;
  to: string;
  n: unknown;
  med: number | null;
  p90: number | null;
  target: number | null;
  over: unknown;
}

/**
 * Time between touchpoints against a journey's target times (issue 4 §1). A step is a directly-
 * follows pair of a case (ts, then ord; time = ts(b) − ts(a), as PM4Py's performance DFG); per target
 * {from, to, maxSeconds}: how often it occurred, median and 90th percentile (linear interpolation),
 * and how many took longer than the target. Targets that never occur are reported with count 0.
 */
export async function touchpointTimes(
  db: Db,
  scope: DataScope,
  opts: TouchpointTimesQueryOptions = {},
): Promise<TouchpointTimesResult> {
  const o = parseWith(TouchpointTimesOptionsSchema, pick(opts, ['targets', 'includeUntargeted']));
  const ev = eventsCte(scope, opts);
  const cte = `with ev as (${ev.sql}),
     pairs as (
       select activity as a, lead(activity) over w as b, ${secondsBetween('ts', 'lead(ts) over w')} as d
       from ev window w as (partition by case_id order by ts, ord)
     )`;
  const targets = o.targets.map((t, i) => ({ ...t, i }));
  const values = targets.map(() => '(cast(? as integer), ?, ?, cast(? as double))').join(', ');
  const targetParams = targets.flatMap((t) => [String(t.i), t.from, t.to, String(t.maxSeconds)]);
  const targetsCte = `targets(i, f, t, mx) as (values ${values})`;
  const out: TouchpointTimesResult['transitions'] = [];
  const stats = `count(p.d) as n, median(p.d) as med, quantile_cont(p.d, 0.9) as p90`;
  if (targets.length) {
    const rows = await db.all<Row & { i: number }>(
      `${cte}, ${targetsCte}
       select t.i, t.f as "from", t.t as "to", t.mx as target, ${stats}, count(p.d) filter (where p.d > t.mx) as over
       from targets t left join pairs p on p.a = t.f and p.b = t.t
       group by t.i, t.f, t.t, t.mx order by t.i`,
      [...ev.params, ...targetParams],
    );
    for (const r of rows) {
      const n = int(r.n);
      out.push({
        from: r.from,
        to: r.to,
        count: n,
        medianSeconds: r.med,
        p90Seconds: r.p90,
        targetSeconds: r.target,
        overTarget: int(r.over),
        overTargetShare: share(int(r.over), n),
      });
    }
  }
  if (o.includeUntargeted) {
    const rows = await db.all<Row>(
      `${cte}${targets.length ? `, ${targetsCte}` : ''}
       select p.a as "from", p.b as "to", ${stats} from pairs p
       where p.b is not null ${targets.length ? 'and not exists (select 1 from targets t where t.f = p.a and t.t = p.b)' : ''}
       group by p.a, p.b`,
      [...ev.params, ...targetParams],
    );
    const rest = rows
      .map((r) => ({
        from: r.from,
        to: r.to,
        count: int(r.n),
        medianSeconds: r.med,
        p90Seconds: r.p90,
        targetSeconds: null,
        overTarget: null,
        overTargetShare: null,
      }))
      .sort(byCountThenEdge);
    out.push(...rest);
  }
  return { transitions: out };
}
