import { byCountThenSequence, type DataScope } from '@cx/core';
import { journeySource } from './journey-index.ts';
import type { Db, JourneyOptions } from './options.ts';

export interface VariantRow {
  activities: string[];
  count: number;
  /** count / cases in the scope */
  share: number;
}

/** Variants: the ordered activity sequence of each case, with case counts and share. */
export async function variants(db: Db, scope: DataScope, opts: JourneyOptions = {}): Promise<VariantRow[]> {
  const src = await journeySource(db, scope, opts);
  // Cases are grouped by their variant fingerprint; the sequence is looked up once per variant.
  const rows = await db.all<{ activities: string[]; count: number; total: number }>(
    `with ${src.ctes},
     vc as (select fp, count(*)::int as count, sum(count(*)) over ()::int as total from cases group by fp)
     select v.activities, vc.count, vc.total from vc join (${src.variantsOf('vc')}) v using (fp)`,
    src.params,
  );
  return rows
    .map((r) => ({
      activities: [...r.activities],
      count: Number(r.count),
      share: Number(r.count) / Number(r.total),
    }))
    .sort(byCountThenSequence);
}
