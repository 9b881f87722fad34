import type { DataScope, JourneyAttributes, NameCount } from '@cx/core';
import { scopeSql } from '../scope-sql.ts';
import type { Db } from './options.ts';

/**
 * Values for the cockpit's filter pickers, within the caller's scope: channels and journeys with
 * their event counts, segments and regions with their customer counts, feedback themes with their
 * response counts (for the feedbackThemes filter); most frequent first.
 */
export async function journeyAttributes(db: Db, scope: DataScope): Promise<JourneyAttributes> {
  const ev = scopeSql(scope, 'e', 'events');
  const cu = scopeSql(scope, 'c', 'customers');
  const fb = scopeSql(scope, 'f', 'feedback');
  const rows = await db.all<{ field: string; name: string; count: number }>(
    `select 'channels' as field, channel as name, count(*)::bigint as count from events e
       where channel is not null and ${ev.sql} group by channel
     union all
     select 'journeys', journey, count(*)::bigint from events e where journey is not null and ${ev.sql} group by journey
     union all
     select 'segments', segment, count(*)::bigint from customers c where segment is not null and ${cu.sql} group by segment
     union all
     select 'regions', region, count(*)::bigint from customers c where region is not null and ${cu.sql} group by region
     union all
     select 'themes', theme, count(*)::bigint
       from (select unnest(themes) as theme from feedback f where ${fb.sql}) where theme is not null group by theme`,
    [...ev.params, ...ev.params, ...cu.params, ...cu.params, ...fb.params],
  );
  const pick = (field: string): NameCount[] =>
    rows
      .filter((r) => r.field === field)
      .map((r) => ({ name: r.name, count: Number(r.count) }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    channels: pick('channels'),
    journeys: pick('journeys'),
    segments: pick('segments'),
    regions: pick('regions'),
    themes: pick('themes'),
  };
}
