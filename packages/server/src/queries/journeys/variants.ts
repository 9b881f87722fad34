import { byCountThenSequence, type DataScope } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

export interface VariantRow {
  activities: string[];
  count: number;
  /** count / cases in the scope */
  share: number;
}

/** Variants: the ordered activity sequence of each case, with case counts and share. */
export async function variants(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<VariantRow[]> {
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{ activities: string[]; count: number; total: number }>(
    `with ev as (${ev.sql}),
     seqs as (select list(activity order by ts, ord) as activities from ev group by case_id)
     select activities, count(*)::int as count, sum(count(*)) over ()::int as total from seqs group by activities`,
    ev.params,
  );
  return rows
    .map((r) => ({
      activities: [...r.activities],
      count: Number(r.count),
      share: Number(r.count) / Number(r.total),
    }))
    .sort(byCountThenSequence);
}
