import type { DataScope, VariantsPage } from '@cx/core';
import { journeySource } from './journey-index.ts';
import type { Db, JourneyOptions } from './options.ts';

/**
 * One page of variants, most frequent first (ties by sequence), each with its share, the cumulative
 * share of cases covered up to it, and the mean and median duration of its cases. Cases are grouped by
 * their variant fingerprint (journey-index.ts); ranking, cumulative shares and paging happen in SQL,
 * so a log with 100,000 variants sends only the page to JS.
 */
export async function variantStats(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions & { limit: number; offset: number },
): Promise<VariantsPage> {
  const src = await journeySource(db, scope, opts);
  const rows = await db.all<{
    rk: number | null;
    activities: string[] | null;
    n: number | null;
    cum: number | null;
    mean: number | null;
    med: number | null;
    cases: number;
    total: number;
  }>(
    `with ${src.ctes},
     vs as (select fp, count(*) as n, avg(dur) as mean, median(dur) as med from cases group by fp),
     ranked as (
       select v.activities, vs.n, vs.mean, vs.med, row_number() over r as rk,
              sum(vs.n) over (r rows unbounded preceding) as cum
       from vs join (${src.variantsOf('vs')}) v using (fp)
       window r as (order by vs.n desc, v.activities)
     ),
     totals as (select coalesce(sum(n), 0)::bigint as cases, count(*)::bigint as total from vs)
     select p.rk::bigint as rk, p.activities, p.n::bigint as n, p.cum::bigint as cum, p.mean, p.med,
            t.cases, t.total
     from totals t left join (select * from ranked where rk > ?::bigint and rk <= ?::bigint) p on true
     order by p.rk`,
    [...src.params, String(opts.offset), String(opts.offset + opts.limit)],
  );
  const cases = Number(rows[0]?.cases ?? 0);
  return {
    cases,
    total: Number(rows[0]?.total ?? 0),
    offset: opts.offset,
    variants: rows
      .filter((r) => r.rk !== null)
      .map((r) => ({
        rank: Number(r.rk),
        activities: [...(r.activities ?? [])],
        count: Number(r.n),
        share: Number(r.n) / cases,
        cumulativeShare: Number(r.cum) / cases,
        meanSeconds: r.mean ?? 0,
        medianSeconds: r.med ?? 0,
      })),
  };
}
